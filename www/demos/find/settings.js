// The Find demo's controls: the convention and its fields, then what the test runs on (data,
// network, optimizer, batch size, seeds), each built by controls.js; engine Errors go under the
// control their `field` names, the finder's and the session's apart (they come from different calls).
import { h } from '../../dom.js';
import { fieldControl } from '../../controls.js';
import { controlPlace, placeError } from '../../field-errors.js';
import { CONVENTIONS, CONVENTION_FIELDS, FINDER_FIELDS, MAX_SEEDS } from './options.js';
import { DIGITS_CREDIT, dataKinds } from '../../data-sets.js';

// Each network setting: its field, and the Session option path an engine Error names it by.
function networkFields(fields) {
  const { optimizers } = fields;
  return {
    data: { path: 'data.kind', field: { name: 'data', type: 'choice', choices: dataKinds(fields), description: `A synthetic 2-D data set, or digits: 8×8 images of handwritten digits (a 64-…-10 network). ${DIGITS_CREDIT}` } },
    hidden: { path: 'layers', field: { name: 'hidden', type: 'int_list', required: true, description: 'Hidden layer widths, e.g. 16, 16' } },
    optimizer: { path: 'optimizer', field: { name: 'optimizer', type: 'choice', choices: Object.keys(optimizers), description: 'The torch.optim optimizer, with its default settings (SGD: momentum 0.9)' } },
    batch: { path: 'batch_size', field: { name: 'batch', type: 'int', min: 1, required: true, description: 'Batch size: one batch per rate' } },
    seeds: { path: 'runs', field: { name: 'seeds', type: 'int', min: 1, max: MAX_SEEDS, required: true, description: 'Runs from seeds 1..K, tested at once: the band shows how much the curve depends on the seed' } },
    orders: { path: 'runs[0].data_seed', field: { name: 'batch_orders', type: 'bool', description: 'Each seed also draws its own batch order' } },
  };
}

/**
 * `state`: the Find state; `engineFields`: Session.optionFields(); `onChange(patch)` gets every
 * edit. Returns { element, showError(error, stage) -> whether a control took it, clearErrors() }.
 */
export function settingsPanel(state, engineFields, onChange) {
  const places = { finder: new Map(), session: new Map() };
  const control = (stage, path, field, value, onValue) => {
    const c = fieldControl(field, value, onValue, `find-${field.name}`);
    places[stage].set(path, controlPlace(c));
    return c.element;
  };

  const conventionBox = h('div', { class: 'fields' });
  const buildConvention = () => {
    places.finder.clear();
    conventionBox.replaceChildren(
      control('finder', 'convention', { name: 'convention', type: 'choice', choices: CONVENTIONS, description: 'Whose range test: fastai (Learner.lr_find) or torch-lr-finder (LRFinder.range_test)' }, state.convention, (convention) => {
        state = { ...state, convention };
        buildConvention();
        onChange({ convention });
      }),
      ...CONVENTION_FIELDS[state.convention].map((name) => {
        const { key, field } = FINDER_FIELDS[name];
        return control('finder', name, field, state[key], (value) => {
          state = { ...state, [key]: value };
          onChange({ [key]: value });
        });
      }),
    );
  };
  buildConvention();

  const network = Object.entries(networkFields(engineFields)).map(([key, { path, field }]) => {
    if (key === 'optimizer') return control('session', path, field, state.optimizer.kind, (kind) => onChange({ optimizer: kind === 'sgd' ? { kind, momentum: 0.9 } : { kind } }));
    return control('session', path, field, state[key], (value) => onChange({ [key]: value }));
  });

  const section = (title, ...children) => h('fieldset', { class: 'fields' }, h('legend', {}, title), children);
  return {
    element: h('div', { class: 'find-settings' }, section('Range test', conventionBox), section('What it runs on', ...network)),
    showError: (error, stage) => placeError(places[stage], error),
    clearErrors: () => Object.values(places).forEach((p) => placeError(p, null)),
  };
}
