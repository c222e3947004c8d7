// One input per schedule field, built only from the field's Schedule.kinds() metadata, so the
// ranges the page offers are exactly those the engine enforces.
import { h } from './dom.js';
import { controlPlace } from './field-errors.js';
import { formatNumber } from './format.js';
import { readable } from './messages.js';
import { keepValidityReadable, rangeInWords } from './number-range.js';

// A log slider spans this many decades each side of the field's example value.
const LOG_DECADES = 3;

/**
 * `value` is the spec's current value (undefined: absent, so the library default applies).
 * `onChange(value)` gets the new value; undefined means "drop the key" (an optional field left empty).
 * Returns { element, showError(message | null) } for the engine's message about this field.
 */
export function fieldControl(field, value, onChange, testid) {
  // A field type this page does not know yet still gets an editor: its value as JSON.
  const build = BUILDERS[field.type] ?? jsonInput;
  const error = h('div', { class: 'field-error', role: 'alert', 'data-testid': `${testid}-error`, hidden: true });
  // The input's own complaint (unparseable text) wins over the engine's last message.
  let local = null;
  let remote = null;
  const render = () => {
    error.textContent = readable(local ?? remote) ?? '';
    error.hidden = !error.textContent;
  };
  const setLocalError = (message) => {
    local = message;
    render();
  };
  const id = `field-input-${nextId++}`;
  const input = build(field, value ?? field.default, onChange, { id, testid, setLocalError });
  const label = h('label', { class: 'field-name', for: id, title: field.description }, field.name);
  const element = h('div', { class: `field field-${field.type}` }, label, input, error);
  return {
    element,
    showError(message) {
      remote = message;
      render();
    },
  };
}

/**
 * One control per field of `spec` (`fields`: its kind's metadata), testids `${testid}-<name>`;
 * `onSpec(spec)` gets the whole new spec after each edit. Returns { elements, places: Map(field
 * name -> showError) } for placeError.
 */
export function specControls(fields, spec, onSpec, testid) {
  const places = new Map();
  const elements = fields.map((field) => {
    const control = fieldControl(
      field,
      spec[field.name],
      (value) => {
        spec = withField(spec, field.name, value);
        onSpec(spec);
      },
      `${testid}-${field.name}`,
    );
    places.set(field.name, controlPlace(control));
    return control.element;
  });
  return { elements, places };
}

// `spec` with field `name` set to a control's `value` (undefined: the key dropped), in a new object.
function withField(spec, name, value) {
  const next = { ...spec };
  if (value === undefined) delete next[name];
  else next[name] = value;
  return next;
}

// Ids tie each label to its input.
let nextId = 0;

const BUILDERS = {
  float: numberInput,
  int: numberInput,

  bool(field, value, onChange, { id, testid }) {
    const input = h('input', { type: 'checkbox', id, 'data-testid': testid });
    input.checked = Boolean(value);
    input.addEventListener('change', () => onChange(input.checked));
    return input;
  },

  choice(field, value, onChange, { id, testid }) {
    const select = h('select', { id, 'data-testid': testid }, field.choices.map((c) => h('option', { value: c }, c)));
    select.value = value ?? field.choices[0];
    select.addEventListener('change', () => onChange(select.value));
    return select;
  },

  int_list: listInput,
  float_list: listInput,

  // Nested specs (SequentialLR) as JSON: the engine validates them like any other spec.
  schedules: jsonInput,
  // A JSON value a kind reads itself (optax's boundaries_and_scales, sgdr_schedule's cycles).
  json: jsonInput,
};

function jsonInput(field, value, onChange, { id, testid, setLocalError }) {
  const text = h('textarea', { id, rows: 6, spellcheck: 'false', 'data-testid': testid });
  text.value = JSON.stringify(value ?? null, null, 1);
  text.addEventListener('input', () => {
    try {
      const parsed = JSON.parse(text.value);
      setLocalError(null);
      onChange(parsed);
    } catch (err) {
      setLocalError(`not valid JSON: ${err.message}`);
    }
  });
  return text;
}

function numberInput(field, value, onChange, { id, testid }) {
  const input = h('input', {
    type: 'number',
    id,
    min: field.min,
    max: field.max,
    step: field.type === 'int' ? 1 : 'any',
    placeholder: value === null ? 'none' : null,
    'data-testid': testid,
    title: rangeInWords({ min: field.min, max: field.max, integer: field.type === 'int' }),
  });
  input.value = value ?? '';
  keepValidityReadable(input, `${field.name}: ${input.title}`);
  // Empty means "not given": the default for optional fields, an error for required ones.
  const read = () => (input.value.trim() === '' ? (field.required ? NaN : undefined) : Number(input.value));
  if (!field.log) {
    input.addEventListener('input', () => onChange(read()));
    return input;
  }
  const slider = logSlider(field, input.value === '' ? undefined : Number(input.value), `${testid}-slider`, (x) => {
    input.value = x;
    onChange(x);
  });
  input.addEventListener('input', () => {
    slider.setValue(read());
    onChange(read());
  });
  return h('span', { class: 'log-number' }, slider.element, input);
}

// A range input moving in log10 steps, for learning rates and other multiplicative quantities.
function logSlider(field, value, testid, onChange) {
  const centre = Math.log10(field.example ?? field.default ?? 1e-3);
  const lo = Math.max(centre - LOG_DECADES, field.min > 0 ? Math.log10(field.min) : -Infinity);
  const hi = Math.min(centre + LOG_DECADES, field.max !== undefined ? Math.log10(field.max) : Infinity);
  const slider = h('input', { type: 'range', min: lo, max: hi, step: 0.01, 'data-testid': testid, 'aria-label': `${field.name} (log scale)` });
  // The slider moves an exponent; a screen reader says the value it stands for.
  const say = (x) => slider.setAttribute('aria-valuetext', formatNumber(x));
  const setValue = (x) => {
    if (!(x > 0)) return;
    slider.value = Math.log10(x);
    say(x);
  };
  setValue(value);
  // Three significant digits: a slider cannot mean more, and the number box shows the value.
  slider.addEventListener('input', () => {
    const x = Number((10 ** Number(slider.value)).toPrecision(3));
    say(x);
    onChange(x);
  });
  return { element: slider, setValue };
}

function listInput(field, value, onChange, { id, testid }) {
  const input = h('input', { type: 'text', id, placeholder: 'comma-separated', 'data-testid': testid });
  input.value = Array.isArray(value) ? value.join(', ') : '';
  // Unparseable items become NaN, which the engine rejects with a message naming the field.
  input.addEventListener('input', () => {
    const raw = input.value.trim();
    if (raw === '') return onChange(field.required ? [] : undefined);
    onChange(raw.split(',').map((item) => (item.trim() === '' ? NaN : Number(item))));
  });
  return input;
}
