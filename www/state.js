// The page state in the URL hash, declared once. Each key names its type, default and allowed
// values; parsing, serialising and defaults all follow from this table (no ad-hoc hash parsing).
// Parsing is strict: unknown keys are ignored, and a bad value falls back to its default with a
// notice for the user. Deep validation of schedule specs needs the engine, so the demo does it.

import { DEMOS } from './demos/index.js';
import { PRESETS } from './demos/schedule-presets.js';

export const SCHEMA = [
  { key: 'demo', type: 'enum', values: DEMOS.map((d) => d.id), default: DEMOS[0].id },
  { key: 'steps', type: 'int', min: 1, max: 100_000, default: PRESETS[0].steps },
  { key: 'logy', type: 'bool', default: false },
  { key: 'schedules', type: 'specs', maxItems: 8, default: PRESETS[0].schedules },
];

// Per type: write a value as hash text, read it back (undefined when invalid), and say what is allowed.
const TYPES = {
  int: {
    write: String,
    read: (text, { min, max }) => {
      const n = /^-?\d+$/.test(text) ? Number(text) : NaN;
      return n >= min && n <= max ? n : undefined;
    },
    expected: ({ min, max }) => `an integer in [${min}, ${max}]`,
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
  // A list of schedule specs as base64url JSON: compact, and safe in any URL.
  specs: {
    write: (specs) => toBase64Url(JSON.stringify(specs)),
    read: (text, { maxItems }) => {
      const specs = tryJson(fromBase64Url(text));
      const ok = Array.isArray(specs) && specs.length >= 1 && specs.length <= maxItems && specs.every(isSpecShaped);
      return ok ? specs : undefined;
    },
    expected: ({ maxItems }) => `1 to ${maxItems} schedule specs`,
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

function isSpecShaped(spec) {
  return spec !== null && typeof spec === 'object' && !Array.isArray(spec) && typeof spec.kind === 'string';
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
