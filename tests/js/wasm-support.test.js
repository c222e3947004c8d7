import { expect, test } from 'vitest';
import { NO_SIMD, loadEngine } from '../../www/worker/wasm-support.js';

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
