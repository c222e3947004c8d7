import { expect, test } from 'vitest';
import { NO_SIMD, loadEngine, moduleFromPage } from '../../www/worker/wasm-support.js';

test('the engine loads where WebAssembly has SIMD (Node has it)', async () => {
  expect(await loadEngine(async () => 'loaded')).toBe('loaded');
});

test('a browser without SIMD is told so plainly, and the module is not even fetched', async () => {
  let fetched = false;
  const withoutSimd = { validate: () => false };
  await expect(loadEngine(async () => (fetched = true), withoutSimd)).rejects.toThrow(NO_SIMD);
  await expect(loadEngine(async () => (fetched = true), null)).rejects.toThrow(/without SIMD/);
  expect(fetched).toBe(false);
});

test("the worker waits for the page's compiled module, past any call that comes first", async () => {
  const scope = new EventTarget();
  const given = moduleFromPage(scope);
  const compiled = { compiled: 'engine' };
  scope.dispatchEvent(new MessageEvent('message', { data: { id: 0, path: ['kinds'], args: [] } }));
  scope.dispatchEvent(new MessageEvent('message', { data: { engineModule: compiled } }));
  scope.dispatchEvent(new MessageEvent('message', { data: { engineModule: null } }));
  expect(await given).toEqual({ module_or_path: compiled });
});

test('where the page has no module, init is called without one and fetches the wasm itself', async () => {
  const scope = new EventTarget();
  const given = moduleFromPage(scope);
  scope.dispatchEvent(new MessageEvent('message', { data: { engineModule: null } }));
  expect(await given).toBeUndefined();
});
