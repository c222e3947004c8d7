import { readFileSync } from 'node:fs';
import { describe, expect, test } from 'vitest';
import { DEMOS, LINKS } from '../../www/demos/index.js';
import { pageSchema } from '../../www/state.js';

// Seeded fuzzing of the URL hash, as every demo reads it: whatever a link holds, parsing never
// throws, every value it keeps is one its entry allows (so the state written back reads the
// same, without notices), the state can be cloned and sent to the engine, and notices stay short.
// FUZZ_CASES sets the hashes per demo (default 1000).
const CASES = Number(process.env.FUZZ_CASES ?? 1000);
const schema = pageSchema(DEMOS, LINKS);

// mulberry32: small, seeded, the same hashes on every machine.
function random(seed) {
  return () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const b64 = (text) => Buffer.from(text).toString('base64url');
const nested = (depth, leaf = 1) => '['.repeat(depth) + JSON.stringify(leaf) + ']'.repeat(depth);

// Values with edges: markup, script URLs, number edges, broken escapes, nesting, sheer size.
const WILD = [
  '<img src=x onerror=window.__pwned=1>', '"><script>window.__pwned=1</script>', 'javascript:window.__pwned=1',
  '%E0%A4%A', '%FF%FE', '%', '%%', '%00', '\u0000', '\ud800', '💥', '1e400', '-1e400', '1e-400', 'NaN', 'Infinity',
  '-0', '0x10', '1_000', '9007199254740993', '99999999999999999999999', '-1', '0', '1', '1.5', '.5', '5.', '',
  ' 1', 'true', 'false', '2-3-4', '-', '1--2', '__proto__', 'constructor', 'toString', 'x'.repeat(100_000),
  b64('{"__proto__":{"polluted":1},"kind":"sgd"}'), b64(nested(40_000)), b64(`{"kind":"sgd","momentum":${nested(33)}}`), b64(`[{"schedule":{"kind":"Constant","lr":${nested(29)}}}]`),
  b64('[{"schedule":{"kind":"Constant","lr":0.1}}]'), b64(`[${'{"schedule":{"kind":"Constant"}},'.repeat(5000)}{}]`),
  b64('null'), b64('[]'), b64('{}'), b64('"x"'), b64('{"kind":1}'), b64('{"kind":"x","lr":1e999}'), '!!!', '====',
  b64('\xff\xfe'), Buffer.from([0xc3, 0x28]).toString('base64url'),
];

// A lone surrogate cannot be percent-encoded; the link then holds it raw.
function encoded(text) {
  try {
    return encodeURIComponent(text);
  } catch {
    return text;
  }
}

function hashes(rand, entries) {
  const keys = ['demo', 'embed', 'x', '__proto__', ...entries.map((e) => e.key)];
  const pick = (list) => list[Math.floor(rand() * list.length)];
  const value = (entry) => {
    if (rand() < 0.3 && entry) return schema.serialize({ ...schema.defaults(), demo: 'train' }).split('&')[0].split('=')[1];
    return rand() < 0.7 ? pick(WILD) : String(Math.floor(rand() * 2 ** (rand() * 60)) * (rand() < 0.2 ? -1 : 1));
  };
  const parts = [];
  const n = 1 + Math.floor(rand() * 6);
  for (let i = 0; i < n; i++) {
    const key = pick(keys);
    const raw = value(entries.find((e) => e.key === key));
    // Half as a browser would percent-encode them, half raw (broken escapes stay broken).
    parts.push(`${rand() < 0.2 ? pick(WILD).slice(0, 12) : key}=${rand() < 0.5 ? encoded(raw) : raw}`);
  }
  return `#${parts.join('&')}`;
}

// The property: parsing never throws, the state written back reads the same without notices,
// the state can be cloned (to the engine), and notices and the rewritten link stay short.
function readsWithoutHarm(hash, shown) {
  const { state, notices } = schema.parse(hash, shown);
  const written = schema.serialize(state);
  const again = schema.parse(`#${written}`, shown);
  expect(again.notices, hash.slice(0, 200)).toEqual([]);
  // As JSON writes it: a spec's Infinity comes back null, and the engine names it either way.
  expect(again.state).toEqual(JSON.parse(JSON.stringify(state)));
  structuredClone(state);
  for (const notice of notices) expect(notice.length).toBeLessThan(300);
  expect(written.length).toBeLessThan(20_000);
  return notices;
}

describe.each(DEMOS.map((d) => [d.id, d]))('the %s demo reads any link without harm', (id, demo) => {
  test(`${CASES} seeded hashes`, { timeout: 600_000 }, () => {
    const rand = random([...id].reduce((h, c) => h * 31 + c.charCodeAt(0), 7));
    for (let i = 0; i < CASES; i++) {
      const hash = hashes(rand, demo.state);
      for (const shown of [undefined, id]) readsWithoutHarm(hash, shown);
    }
  });
});

test('every link that ever failed (tests/fixtures/fuzz-corpus/url.json) reads without harm, with a notice', () => {
  const { inputs } = JSON.parse(readFileSync(new URL('../fixtures/fuzz-corpus/url.json', import.meta.url), 'utf8'));
  for (const input of inputs) {
    const hash = input.hash ?? `#demo=${input.demo}&${input.key}=${b64(input.json.replace('%s', nested(input.depth)))}`;
    const notices = readsWithoutHarm(hash);
    const [, demo, key] = hash.match(/^#demo=(\w+)&(\w+)=/) ?? [null, input.demo, input.key];
    // -0 is a fine number, read as the 0 it is written back as; every other input is refused by name.
    if (hash.endsWith('=-0')) expect(Object.is(schema.parse(hash).state[demo][key], 0), input.why).toBe(true);
    else expect(notices.join(' '), input.why).toMatch(new RegExp(`^Ignored ${key}=`));
  }
});
