// The editor for one schedule of the comparison: a kind picker plus one control per field of
// that kind, all generated from Schedule.kinds().
import { h } from './dom.js';
import { specControls } from './controls.js';
import { placeError } from './field-errors.js';
import { errorText } from './messages.js';

/** A new spec for `kind`: every field that has an example (or a non-empty default) filled in. */
export function seedSpec(kind) {
  const spec = { kind: kind.kind };
  for (const field of kind.fields) if (field.example != null) spec[field.name] = structuredClone(field.example);
  return spec;
}

/**
 * The specs from a link, each checked by the engine itself: a bad one is replaced by a default
 * spec of its kind (or the first kind), with a notice naming it as `label(i)` ("Schedule 1").
 */
export async function validSpecs(engine, kinds, specs, notify, label) {
  const checks = await Promise.allSettled(specs.map((spec) => engine.validate(spec)));
  return specs.map((spec, i) => {
    if (checks[i].status === 'fulfilled') return spec;
    const kind = kinds.find((k) => k.kind === spec.kind) ?? kinds[0];
    notify(`${label(i)} from the link is invalid (${errorText(checks[i].reason)}); using a default ${kind.kind}.`);
    return seedSpec(kind);
  });
}

/**
 * `onSpec(spec, { rebuild })` reports every edit; rebuild is true when the controls must be
 * regenerated (a new kind). `extra`: elements shown under the fields. Returns
 * { element, showError(error | null) }: the engine's Error goes under the field its `field` names
 * ("step_size_up"; "schedules[1].gamma" under `schedules`), else under the whole schedule.
 */
export function scheduleEditor({ index, name = 'schedule', spec, kinds, color, onSpec, onRemove, canRemove, extra = [] }) {
  const kind = kinds.find((k) => k.kind === spec.kind);
  // Each card's controls are named for its item: a screen reader tells "Run 2: schedule kind" apart.
  const item = `${name[0].toUpperCase()}${name.slice(1)} ${index + 1}`;
  const picker = kindPicker(kinds, spec.kind, `kind-${index}`, `${item}: schedule kind`, (name) =>
    onSpec(seedSpec(kinds.find((k) => k.kind === name)), { rebuild: true }),
  );
  const fields = specControls(kind.fields, spec, (next) => onSpec(next, { rebuild: false }), `field-${index}`);
  const errorBox = h('div', { class: 'schedule-error', role: 'alert', 'data-testid': `schedule-error-${index}`, hidden: true });
  const element = h(
    'section',
    { class: 'schedule', 'data-testid': `schedule-${index}`, style: `--series-color: ${color}` },
    h(
      'header',
      {},
      h('span', { class: 'swatch', 'aria-hidden': 'true' }),
      h('span', { class: 'schedule-number' }, `${index + 1}`),
      picker,
      h('button', { type: 'button', class: 'remove', 'data-testid': `remove-${index}`, disabled: !canRemove, onclick: onRemove, title: `Remove ${name} ${index + 1}`, 'aria-label': `Remove ${name} ${index + 1}` }, h('span', { 'aria-hidden': 'true' }, '×')),
    ),
    h('p', { class: 'kind-description' }, `${kind.description} (${kind.library})`),
    h('div', { class: 'fields' }, fields.elements, extra),
    errorBox,
  );
  return {
    element,
    showError(error) {
      const placed = placeError(fields.places, error);
      errorBox.textContent = error && !placed ? errorText(error) : '';
      errorBox.hidden = !errorBox.textContent;
    },
  };
}

// Kinds grouped by the library whose behaviour they reproduce.
function kindPicker(kinds, selected, testid, label, onPick) {
  const libraries = [...new Set(kinds.map((k) => k.library))];
  const select = h(
    'select',
    { class: 'kind', 'data-testid': testid, 'aria-label': label },
    libraries.map((library) =>
      h('optgroup', { label: library }, kinds.filter((k) => k.library === library).map((k) => h('option', { value: k.kind }, k.kind))),
    ),
  );
  select.value = selected;
  select.addEventListener('change', () => onPick(select.value));
  return select;
}
