// The Train demo's settings panel: data, network, optimizer and training length, each control
// built by controls.js from the engine's own field metadata (Session.optionFields()).
import { h } from '../../dom.js';
import { fieldControl } from '../../controls.js';
import { controlPlace, placeError, placeErrors } from '../../field-errors.js';
import { OPTION_PATH, hasNoiseAndPoints, hiddenForData, settingFields } from './options.js';

/**
 * `values`: the settings and `optimizer` from the page state; `engineFields`: Session.optionFields().
 * `onChange(patch)` reports each edit as a state patch. Returns { element, showError(error) ->
 * whether a control took it (by `error.field`), showErrors(errors) -> those no control took,
 * clearErrors() }.
 */
export function settingsPanel(values, engineFields, onChange) {
  const fields = settingFields(engineFields);
  const { optimizers } = engineFields;
  // Each control of a Session option, by the option's path (field-errors.js).
  const places = new Map();
  const control = (name, path, field, value, onValue) => {
    const c = fieldControl(field, value, onValue, `train-${name}`);
    if (path) places.set(path, controlPlace(c));
    return c.element;
  };

  const section = (title, ...children) => h('fieldset', { class: 'fields' }, h('legend', {}, title), children);
  const setting = (name, onValue = (v) => onChange({ [name]: v })) => control(name, OPTION_PATH[name], fields[name], values[name], onValue);

  // The data and the network: picking the digits hides noise and points (they do not apply) and
  // gives the network the digits' default shape, if it still has the old data's (options.js).
  let { data, hidden } = values;
  const hiddenSetting = () => setting('hidden', (v) => ((hidden = v), onChange({ hidden: v })));
  const hiddenSlot = h('div', { class: 'field-slot' }, hiddenSetting());
  const noiseAndPoints = [setting('noise'), setting('points')];
  const showDataFields = () => noiseAndPoints.forEach((element) => (element.hidden = !hasNoiseAndPoints(data)));
  const dataSetting = setting('data', (kind) => {
    const network = hiddenForData(data, kind, hidden);
    data = kind;
    showDataFields();
    if (network !== hidden) {
      hidden = network;
      values = { ...values, hidden };
      hiddenSlot.replaceChildren(hiddenSetting());
    }
    onChange({ data: kind, hidden });
  });
  showDataFields();

  // The optimizer: its kind, then that kind's fields (rebuilt when the kind changes; none for a
  // kind the engine does not know, which it says next to the kind).
  let optimizer = values.optimizer;
  const optimizerFields = h('div', { class: 'fields' });
  const buildOptimizerFields = () => {
    for (const path of places.keys()) if (path.startsWith('optimizer.') && path !== 'optimizer.kind') places.delete(path);
    optimizerFields.replaceChildren(
      ...(Object.hasOwn(optimizers, optimizer.kind) ? optimizers[optimizer.kind] : []).map((field) =>
        control(`optimizer-${field.name}`, `optimizer.${field.name}`, field, optimizer[field.name], (v) => {
          optimizer = { ...optimizer };
          if (v === undefined) delete optimizer[field.name];
          else optimizer[field.name] = v;
          onChange({ optimizer });
        }),
      ),
    );
  };
  const kindField = { name: 'kind', type: 'choice', choices: Object.keys(optimizers), description: 'The torch.optim optimizer' };
  const kindPicker = control('optimizer-kind', 'optimizer.kind', kindField, optimizer.kind, (kind) => {
    optimizer = { kind };
    buildOptimizerFields();
    onChange({ optimizer });
  });
  buildOptimizerFields();

  return {
    element: h(
      'div',
      { class: 'train-settings' },
      section('Data', dataSetting, ...noiseAndPoints),
      section('Network', hiddenSlot, setting('activation')),
      section('Optimizer', kindPicker, optimizerFields),
      section('Training', setting('batch'), setting('trainsteps'), setting('seeds')),
    ),
    showError: (error) => placeError(places, error),
    showErrors: (errors) => placeErrors(places, errors),
    clearErrors: () => placeError(places, null),
  };
}
