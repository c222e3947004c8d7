// The paths' compact form: one card per path with its label, its optimizer (kind, then that
// kind's fields from Session.optionFields()) and its schedule (the shared schedule editor), plus
// adding and removing paths. The engine's Error goes under the field its `field` names.
import { h } from '../../dom.js';
import { fieldControl } from '../../controls.js';
import { controlPlace, placeError } from '../../field-errors.js';
import { COLORS } from '../../plot.js';
import { scheduleEditor } from '../../schedule-editor.js';
import { MAX_PATHS } from './state.js';

const LABEL = { name: 'label', type: 'text', description: 'What the legend calls this path' };

/**
 * `paths`: [{ label?, optimizer, schedule }]; `kinds`: Schedule.kinds(); `optimizers`: the
 * optimizer fields by kind (Session.optionFields().optimizers). `fieldOf(i)` is the path that an
 * engine Error's `field` gives for path i ("[2]"). `onPaths(paths)` reports every edit. Returns
 * { element, showError(error) -> whether a field took it, clearErrors() }.
 */
export function pathList(paths, { kinds, optimizers, fieldOf, onPaths }) {
  const list = h('div', { class: 'schedule-list path-list', 'data-testid': 'path-list' });
  const addButton = h('button', { type: 'button', class: 'add', 'data-testid': 'add-path', onclick: () => changed([...paths, structuredClone(paths.at(-1))], true) }, '+ Add a path');
  const places = new Map();

  function build() {
    places.clear();
    list.replaceChildren(
      ...paths.map((path, index) => {
        const replace = (next, rebuild = false) => changed(paths.map((p, i) => (i === index ? next : p)), rebuild);
        const label = labelInput(path.label ?? '', `path-${index}-label`, (text) => {
          const { label: _, ...rest } = paths[index];
          replace(text ? { ...rest, label: text } : rest);
        });
        const optimizer = optimizerControls(path.optimizer, optimizers, `path-${index}-optimizer`, (spec, rebuild) => replace({ ...paths[index], optimizer: spec }, rebuild));
        const editor = scheduleEditor({
          index,
          spec: path.schedule,
          kinds,
          color: COLORS[index],
          canRemove: paths.length > 1,
          onRemove: () => changed(paths.filter((_, i) => i !== index), true),
          onSpec: (schedule, { rebuild }) => replace({ ...paths[index], schedule }, rebuild),
          extra: [label, ...optimizer.elements],
        });
        places.set(`${fieldOf(index)}.schedule`, editor.showError);
        for (const [name, place] of optimizer.places) places.set(`${fieldOf(index)}.optimizer${name}`, place);
        return editor.element;
      }),
    );
    addButton.disabled = paths.length >= MAX_PATHS;
  }

  function changed(next, rebuild = false) {
    paths = next;
    if (rebuild) build();
    onPaths(paths);
  }

  build();
  return {
    element: h('div', {}, list, addButton),
    showError: (error) => placeError(places, error),
    clearErrors: () => placeError(places, null),
  };
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
  const places = new Map();
  const kindField = { name: 'optimizer', type: 'choice', choices: Object.keys(optimizers), description: 'The torch.optim optimizer' };
  const kind = fieldControl(kindField, spec.kind, (next) => onSpec({ kind: next }, true), `${testid}-kind`);
  places.set('', controlPlace(kind));
  const fields = (Object.hasOwn(optimizers, spec.kind) ? optimizers[spec.kind] : []).map((field) => {
    const control = fieldControl(
      field,
      spec[field.name],
      (value) => {
        spec = { ...spec };
        if (value === undefined) delete spec[field.name];
        else spec[field.name] = value;
        onSpec(spec, false);
      },
      `${testid}-${field.name}`,
    );
    places.set(`.${field.name}`, controlPlace(control));
    return control.element;
  });
  return { elements: [kind.element, ...fields], places };
}
