// The paths' compact form: one card per path (schedule-list.js) with its label, its optimizer
// (kind, then that kind's fields from Session.optionFields()) and its schedule, plus adding and
// removing paths. The engine's Error goes under the field its `field` names.
import { h } from '../../dom.js';
import { fieldControl, specControls } from '../../controls.js';
import { controlPlace } from '../../field-errors.js';
import { scheduleList } from '../../schedule-list.js';
import { MAX_PATHS } from './state.js';

const LABEL = { name: 'label', type: 'text', description: 'What the legend calls this path' };

/**
 * `paths`: [{ label?, optimizer, schedule }]; `kinds`: Schedule.kinds(); `optimizers`: the
 * optimizer fields by kind (Session.optionFields().optimizers). `fieldOf(i)` is the path that an
 * engine Error's `field` gives for path i ("[2]"). `onPaths(paths)` reports every edit. Returns
 * { element, showError(error) -> whether a field took it, clearErrors() }.
 */
export function pathList(paths, { kinds, optimizers, fieldOf, onPaths }) {
  return scheduleList(paths, {
    itemName: 'path',
    kinds,
    max: MAX_PATHS,
    testids: { list: 'path-list', add: 'add-path' },
    addLabel: '+ Add a path',
    listClass: 'path-list',
    scheduleKey: 'schedule',
    schedulePath: (index) => `${fieldOf(index)}.schedule`,
    extras: (path, index, edit) => {
      const label = labelInput(path.label ?? '', `path-${index}-label`, (text) =>
        edit(({ label: _, ...rest }) => (text ? { ...rest, label: text } : rest)),
      );
      const optimizer = optimizerControls(path.optimizer, optimizers, `path-${index}-optimizer`, (spec, rebuild) => edit((p) => ({ ...p, optimizer: spec }), rebuild));
      const places = new Map([...optimizer.places].map(([name, place]) => [`${fieldOf(index)}.optimizer${name}`, place]));
      return { elements: [label, ...optimizer.elements], places };
    },
    onItems: onPaths,
  });
}

function labelInput(value, testid, onText) {
  const id = `${testid}-input`;
  const input = h('input', { type: 'text', id, maxlength: 40, 'data-testid': testid, placeholder: 'optimizer and schedule' });
  input.value = value;
  input.addEventListener('input', () => onText(input.value.trim()));
  return h('div', { class: 'field' }, h('label', { class: 'field-name', for: id, title: LABEL.description }, 'label'), input);
}

// The optimizer's kind and that kind's fields; a new kind starts from its defaults (rebuilt).
// Returns { elements, places: Map(sub-path -> showError) }, sub-paths '' (the kind) and '.momentum'.
function optimizerControls(spec, optimizers, testid, onSpec) {
  const kindField = { name: 'optimizer', type: 'choice', choices: Object.keys(optimizers), description: 'The torch.optim optimizer' };
  const kind = fieldControl(kindField, spec.kind, (next) => onSpec({ kind: next }, true), `${testid}-kind`);
  const fields = specControls(Object.hasOwn(optimizers, spec.kind) ? optimizers[spec.kind] : [], spec, (next) => onSpec(next, false), testid);
  const places = new Map([['', controlPlace(kind)], ...[...fields.places].map(([name, place]) => [`.${name}`, place])]);
  return { elements: [kind.element, ...fields.elements], places };
}
