// The README's API section: every export of the package is shown there, and each example runs
// as it stands in Node against the built package. Needs `make wasm` first.
import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, describe, expect, test } from 'vitest';
import { apiExamples, apiSection } from '../types/readme-examples.mjs';

const PKG = new URL('../../pkg/', import.meta.url);
const built = existsSync(new URL('node.js', PKG));
if (!built) console.warn('readme-api.test.js: SKIPPED, pkg/ is absent (run `make wasm` first)');
const run = promisify(execFile);
const scratch = mkdtempSync(join(tmpdir(), 'lr-playground-readme-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

/** Every name a user reaches: the module's exports and its classes' methods and properties. */
async function publicNames() {
  const api = await import(new URL('node.js', PKG).href);
  const names = new Set(Object.keys(api).filter((name) => name !== 'default'));
  for (const value of Object.values(api)) {
    if (typeof value !== 'function' || !/^class\b/.test(Function.prototype.toString.call(value))) continue;
    for (const owner of [value, value.prototype]) {
      for (const name of Object.getOwnPropertyNames(owner)) {
        // wasm-bindgen's own plumbing, and what every function and class has.
        if (!/^__|^(constructor|length|name|prototype)$/.test(name)) names.add(name);
      }
    }
  }
  return [...names].sort();
}

describe.skipIf(!built)(built ? "the README's API section" : "the README's API section: SKIPPED, pkg/ is absent", () => {
  test('names every export, method and property of the package', async () => {
    const section = apiSection();
    const missing = (await publicNames()).filter((name) => !new RegExp(`\\b${name}\\b`).test(section));
    expect(missing, 'add these to the README\'s "## API" section, with an example').toEqual([]);
  }, 30_000);

  const examples = built ? apiExamples() : [];
  test('has examples', () => expect(examples.length).toBeGreaterThanOrEqual(8));

  test.concurrent.each(examples.map((code, i) => [i + 1, code]))('example %i runs in Node', async (i, code) => {
    const file = join(scratch, `example-${i}.mjs`);
    writeFileSync(file, code.replaceAll("from 'lr-playground'", `from '${new URL('node.js', PKG).href}'`));
    const { stdout, stderr } = await run(process.execPath, [file], { timeout: 60_000 });
    expect(stderr).toBe('');
    expect(stdout.trim().length).toBeGreaterThan(0);
  }, 60_000);
});
