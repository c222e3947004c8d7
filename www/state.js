// The page state in the URL hash, declared once. Every entry names its key, type, default and
// allowed values; parsing, serialising and defaults all follow from the table (no ad-hoc hash
// parsing). The table is composed: the page's shared entries (which demo is shown) plus each
// registered demo's own (`demo.state`), so this module knows no demo by name.
//
// A link carries the shown demo and that demo's keys only, and is read the same way: keys of other
// demos (or none) are ignored. Parsing is strict: a bad value falls back to its default with a
// notice for the user. Deep validation of specs and options needs the engine, so the demos do it.

import { MAX_NUMBER_TEXT, readDecimal } from './decimal.js';

const BOOLEANS = { 1: true, 0: false, true: true, false: false };
// Structured values in a link: as deep as the engine reads (deeper would overflow the stack of
// JSON.stringify or structuredClone), and far longer than any real spec list.
const MAX_JSON_DEPTH = 32;
const MAX_JSON_TEXT = 64 * 1024;

// Per type: write a value as hash text, read it back (undefined when invalid), say what is
// allowed, and the longest text worth reading (a longer value is refused unread, so no link can
// make parsing slow). Numbers keep to [min, max] where the entry gives them.
const TYPES = {
  int: {
    maxText: MAX_NUMBER_TEXT,
    write: String,
    read: (text, range) => {
      // `+ 0`: -0 reads as 0, as it is written back.
      const n = /^-?\d+$/.test(text) ? Number(text) + 0 : NaN;
      return Number.isSafeInteger(n) && inRange(n, range) ? n : undefined;
    },
    expected: (range) => `an integer${rangeText(range)}`,
  },
  float: {
    maxText: MAX_NUMBER_TEXT,
    write: String,
    read: (text, range) => {
      const x = readDecimal(text, { plus: false }) + 0;
      return Number.isFinite(x) && inRange(x, range) ? x : undefined;
    },
    expected: (range) => `a number${rangeText(range)}`,
  },
  // Non-negative integers joined by '-' (URL-safe, unlike ','); empty for none.
  ints: {
    maxText: 1024,
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
    maxText: 40,
    write: String,
    read: (text) => (/^\w{1,40}$/.test(text) ? text : undefined),
    expected: () => 'a name (letters, digits, _)',
  },
  bool: {
    maxText: 5,
    write: (b) => (b ? '1' : '0'),
    // Own keys only: `__proto__` or `toString` in a link is no boolean.
    read: (text) => (Object.hasOwn(BOOLEANS, text) ? BOOLEANS[text] : undefined),
    expected: () => '0 or 1',
  },
  enum: {
    maxText: 64,
    write: String,
    read: (text, { values }) => (values.includes(text) ? text : undefined),
    expected: ({ values }) => `one of ${values.join(', ')}`,
  },
  // Structured values (specs, runs) as base64url JSON: compact, and safe in any URL. The entry's
  // `valid(value)` checks the shape.
  json: {
    maxText: MAX_JSON_TEXT,
    write: (value) => toBase64Url(JSON.stringify(value)),
    read: (text, { valid }) => {
      const value = tryJson(fromBase64Url(text));
      return value !== undefined && withinDepth(value, MAX_JSON_DEPTH) && valid(value) ? value : undefined;
    },
    expected: ({ expected }) => expected,
  },
};

/**
 * The `backend` key of a demo that trains: where its sessions train, as Session.create's
 * `backend` ("auto": the faster path, timed; "gpu" or "cpu" insist). `backendOption(state)` is
 * the option to spread into Session.create's options (none for "auto", the engine's default).
 */
export const BACKEND_ENTRY = { key: 'backend', type: 'enum', values: ['auto', 'gpu', 'cpu'], default: 'auto' };

export function backendOption(state) {
  return state.backend && state.backend !== 'auto' ? { backend: state.backend } : {};
}

/**
 * The schema for `demos` ([{ id, state: entries }]): `defaults()`, `parse(hash, shown?)` and
 * `serialize(state)` over states shaped `{ demo, [id]: { that demo's keys } }`. `shown` forces
 * the demo (an embed names it in the query, not the hash). `start`: the demo an empty hash opens;
 * `linkDefault`: the demo of a link that names none (both the first demo unless given).
 */
export function pageSchema(demos, { start = demos[0].id, linkDefault = demos[0].id } = {}) {
  const shared = [{ key: 'demo', type: 'enum', values: demos.map((d) => d.id), default: linkDefault }];
  const entries = new Map(demos.map((demo) => [demo.id, checkedEntries(demo, shared)]));

  const defaults = () => ({
    ...defaultsOf(shared),
    ...Object.fromEntries(demos.map((demo) => [demo.id, defaultsOf(demo.state)])),
  });

  return {
    defaults,

    /** Reads `#key=value&...`; returns the full state and a notice (plain text) per rejected value. */
    parse(hash, shown) {
      const params = new URLSearchParams(hash.replace(/^#/, ''));
      const notices = [];
      const state = defaults();
      if (shown !== undefined) state.demo = shown;
      else if (params.size === 0) state.demo = start;
      else Object.assign(state, readEntries(shared, params, notices));
      state[state.demo] = readEntries(entries.get(state.demo), params, notices);
      return { state, notices };
    },

    /** The hash (without '#'): the shown demo and all its keys, so a link never depends on defaults. */
    serialize(state) {
      const params = new URLSearchParams();
      writeEntries(params, shared, state);
      writeEntries(params, entries.get(state.demo), state[state.demo]);
      return params.toString();
    },
  };
}

// A demo's entries, refused when a key is the page's own or given twice (a link could not say
// whose it is), or when the demo's id is a shared key (the state holds each demo under its id).
function checkedEntries(demo, shared) {
  if (shared.some((entry) => entry.key === demo.id)) throw new Error(`state: a demo cannot be called ${demo.id}`);
  const keys = [...shared, ...demo.state].map((entry) => entry.key);
  const twice = keys.find((key, i) => keys.indexOf(key) !== i);
  if (twice !== undefined) throw new Error(`state: the ${demo.id} demo declares the key ${twice} twice or over a shared one`);
  for (const entry of demo.state) {
    if (!Object.hasOwn(TYPES, entry.type)) throw new Error(`state: ${demo.id}.${entry.key} has an unknown type ${entry.type}`);
  }
  return demo.state;
}

// Fresh copies: a caller may change its state in place.
function defaultsOf(entries) {
  return Object.fromEntries(entries.map((entry) => [entry.key, structuredClone(entry.default)]));
}

// The entries' values from `params`: the default where a key is absent, or bad (with a notice).
// An entry's `defaultFor(values)` may give a better default from the link's other keys.
function readEntries(entries, params, notices) {
  const values = defaultsOf(entries);
  const given = new Set();
  for (const entry of entries) {
    const text = params.get(entry.key);
    if (text === null) continue;
    const type = TYPES[entry.type];
    if (text.length > type.maxText) {
      notices.push(`Ignored ${entry.key}=${clip(text)} from the link: it is ${text.length.toLocaleString('en')} characters long, the most is ${type.maxText.toLocaleString('en')}; using the default.`);
      continue;
    }
    const value = type.read(text, entry);
    if (value === undefined) notices.push(`Ignored ${entry.key}=${clip(text)} from the link: expected ${type.expected(entry)}; using the default.`);
    else {
      values[entry.key] = value;
      given.add(entry.key);
    }
  }
  for (const entry of entries) if (entry.defaultFor && !given.has(entry.key)) values[entry.key] = structuredClone(entry.defaultFor(values) ?? values[entry.key]);
  return values;
}

function writeEntries(params, entries, values) {
  for (const entry of entries) params.set(entry.key, TYPES[entry.type].write(values[entry.key]));
}

function inRange(x, { min = -Infinity, max = Infinity }) {
  return x >= min && x <= max;
}

function rangeText({ min, max }) {
  return min === undefined ? '' : ` in [${min}, ${max}]`;
}

// Whether `value` nests at most `depth` lists or objects deep; a walk with its own stack, as the
// value may be deeper than the call stack.
function withinDepth(value, depth) {
  const stack = [[value, 0]];
  while (stack.length) {
    const [v, d] = stack.pop();
    if (v === null || typeof v !== 'object') continue;
    if (d >= depth) return false;
    for (const item of Object.values(v)) stack.push([item, d + 1]);
  }
  return true;
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
