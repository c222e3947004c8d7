// The page state in the URL hash, declared once. Each key names its type, default and allowed
// values; parsing, serialising and defaults all follow from this table (no ad-hoc hash parsing).
// Parsing is strict: unknown keys are ignored, and a bad value falls back to its default with a
// notice for the user. Deep validation of specs and options needs the engine, so the demos do it:
// the Train demo's engine options are checked here for their type only, and the engine's message
// about a bad value shows next to its control.

import { DEMOS } from './demos/index.js';
import { PRESETS } from './demos/schedule-presets.js';
import { DEFAULT_OPTIMIZER, DEFAULT_RUNS, MAX_RUNS, TRAINSTEPS } from './demos/train-options.js';

const MAX_SCHEDULES = 8;

export const SCHEMA = [
  { key: 'demo', type: 'enum', values: DEMOS.map((d) => d.id), default: DEMOS[0].id },
  // Schedules
  { key: 'steps', type: 'int', min: 1, max: 100_000, default: PRESETS[0].steps },
  { key: 'logy', type: 'bool', default: false },
  {
    key: 'schedules',
    type: 'json',
    maxItems: MAX_SCHEDULES,
    default: PRESETS[0].schedules,
    valid: (v) => isList(v, MAX_SCHEDULES, isSpecShaped),
    expected: `1 to ${MAX_SCHEDULES} schedule specs`,
  },
  // Train
  { key: 'data', type: 'name', default: 'spiral' },
  { key: 'noise', type: 'float', default: 0.1 },
  { key: 'points', type: 'int', default: 400 },
  { key: 'hidden', type: 'ints', default: [16, 16] },
  { key: 'activation', type: 'name', default: 'relu' },
  { key: 'batch', type: 'int', default: 16 },
  { key: 'trainsteps', type: 'int', min: TRAINSTEPS.min, max: TRAINSTEPS.max, default: TRAINSTEPS.default },
  { key: 'optimizer', type: 'json', default: DEFAULT_OPTIMIZER, valid: isSpecShaped, expected: 'an optimizer {kind, ...}' },
  { key: 'runs', type: 'json', maxItems: MAX_RUNS, default: DEFAULT_RUNS, valid: (v) => isList(v, MAX_RUNS, isRunShaped), expected: `1 to ${MAX_RUNS} runs {schedule, seed}` },
  { key: 'selected', type: 'int', min: 0, max: MAX_RUNS - 1, default: 0 },
];

// Per type: write a value as hash text, read it back (undefined when invalid), and say what is
// allowed. Numbers keep to [min, max] where the entry gives them.
const TYPES = {
  int: {
    write: String,
    read: (text, range) => {
      const n = /^-?\d+$/.test(text) ? Number(text) : NaN;
      return Number.isSafeInteger(n) && inRange(n, range) ? n : undefined;
    },
    expected: (range) => `an integer${rangeText(range)}`,
  },
  float: {
    write: String,
    read: (text, range) => {
      const x = /^-?(\d+\.?\d*|\.\d+)(e[-+]?\d+)?$/i.test(text) ? Number(text) : NaN;
      return Number.isFinite(x) && inRange(x, range) ? x : undefined;
    },
    expected: (range) => `a number${rangeText(range)}`,
  },
  // Non-negative integers joined by '-' (URL-safe, unlike ','); empty for none.
  ints: {
    write: (list) => list.join('-'),
    read: (text) => {
      if (text === '') return [];
      const list = text.split('-').map((item) => (/^\d+$/.test(item) ? Number(item) : NaN));
      return list.every(Number.isSafeInteger) ? list : undefined;
    },
    expected: () => 'integers joined by -',
  },
  // An option's value by name (a data kind, an activation); the engine says which names it knows.
  name: {
    write: String,
    read: (text) => (/^\w{1,40}$/.test(text) ? text : undefined),
    expected: () => 'a name (letters, digits, _)',
  },
  bool: {
    write: (b) => (b ? '1' : '0'),
    read: (text) => ({ 1: true, 0: false, true: true, false: false })[text],
    expected: () => '0 or 1',
  },
  enum: {
    write: String,
    read: (text, { values }) => (values.includes(text) ? text : undefined),
    expected: ({ values }) => `one of ${values.join(', ')}`,
  },
  // Structured values (specs, runs) as base64url JSON: compact, and safe in any URL. The entry's
  // `valid(value)` checks the shape.
  json: {
    write: (value) => toBase64Url(JSON.stringify(value)),
    read: (text, { valid }) => {
      const value = tryJson(fromBase64Url(text));
      return value !== undefined && valid(value) ? value : undefined;
    },
    expected: ({ expected }) => expected,
  },
};

export function defaults() {
  return Object.fromEntries(SCHEMA.map((entry) => [entry.key, structuredClone(entry.default)]));
}

/** Reads `#key=value&...`; returns the full state and a notice (plain text) per rejected value. */
export function parse(hash) {
  const params = new URLSearchParams(hash.replace(/^#/, ''));
  const state = defaults();
  const notices = [];
  for (const entry of SCHEMA) {
    const text = params.get(entry.key);
    if (text === null) continue;
    const type = TYPES[entry.type];
    const value = type.read(text, entry);
    if (value === undefined) {
      notices.push(`Ignored ${entry.key}=${clip(text)} from the link: expected ${type.expected(entry)}; using the default.`);
    } else {
      state[entry.key] = value;
    }
  }
  return { state, notices };
}

/** The hash (without '#') for a state; every key is written so a link never depends on defaults. */
export function serialize(state) {
  const params = new URLSearchParams();
  for (const entry of SCHEMA) params.set(entry.key, TYPES[entry.type].write(state[entry.key]));
  return params.toString();
}

function inRange(x, { min = -Infinity, max = Infinity }) {
  return x >= min && x <= max;
}

function rangeText({ min, max }) {
  return min === undefined ? '' : ` in [${min}, ${max}]`;
}

function isList(value, maxItems, isItem) {
  return Array.isArray(value) && value.length >= 1 && value.length <= maxItems && value.every(isItem);
}

function isObject(value) {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

function isSpecShaped(spec) {
  return isObject(spec) && typeof spec.kind === 'string';
}

// A Train run: a schedule and an optional seed, nothing else.
function isRunShaped(run) {
  return (
    isObject(run) &&
    isSpecShaped(run.schedule) &&
    Object.keys(run).every((key) => key === 'schedule' || key === 'seed') &&
    (run.seed === undefined || (Number.isInteger(run.seed) && run.seed >= 0))
  );
}

function tryJson(text) {
  try {
    return text === undefined ? undefined : JSON.parse(text);
  } catch {
    return undefined;
  }
}

// Notices quote what the user sent, shortened so a hostile link cannot flood the page.
function clip(text) {
  return JSON.stringify(text.length > 40 ? `${text.slice(0, 40)}…` : text);
}

function toBase64Url(text) {
  const bytes = new TextEncoder().encode(text);
  return btoa(Array.from(bytes, (b) => String.fromCharCode(b)).join('')).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

function fromBase64Url(text) {
  if (!/^[A-Za-z0-9_-]*$/.test(text)) return undefined;
  try {
    const binary = atob(text.replace(/-/g, '+').replace(/_/g, '/'));
    return new TextDecoder('utf-8', { fatal: true }).decode(Uint8Array.from(binary, (c) => c.charCodeAt(0)));
  } catch {
    return undefined;
  }
}
