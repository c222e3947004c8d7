// The page compiles the engine's wasm itself (www/engine-module.js) and never fails for it: any
// trouble leaves the fetching to the worker. Compiling the real module needs `make wasm` first.
import { existsSync, readFileSync } from 'node:fs';
import { expect, test } from 'vitest';
import { compileEngineModule } from '../../www/engine-module.js';

const WASM = new URL('../../pkg/lr_playground_bg.wasm', import.meta.url);
const served = (bytes, type = 'application/wasm') => async () => new Response(bytes, { headers: { 'content-type': type } });

test.runIf(existsSync(WASM))('compiles the engine from its URL, once fetched', async () => {
  let asked = null;
  const bytes = readFileSync(WASM);
  const module = await compileEngineModule({
    url: 'https://lrp.test/assets/engine.wasm',
    load: (url) => ((asked = url), served(bytes)()),
  });
  expect(asked).toBe('https://lrp.test/assets/engine.wasm');
  expect(module).toBeInstanceOf(WebAssembly.Module);
  expect(WebAssembly.Module.exports(module).length).toBeGreaterThan(10);
});

test('bytes that do not compile (a browser without wasm SIMD, a page of HTML): null', async () => {
  expect(await compileEngineModule({ url: 'x.wasm', load: served(new Uint8Array([0, 97, 115, 109, 1, 0, 0, 0, 99])) })).toBeNull();
  expect(await compileEngineModule({ url: 'x.wasm', load: served('<!doctype html>', 'text/html') })).toBeNull();
});

test('a failed fetch, or a browser without compileStreaming: null', async () => {
  const refused = () => Promise.reject(new TypeError('Failed to fetch'));
  expect(await compileEngineModule({ url: 'x.wasm', load: refused })).toBeNull();
  expect(await compileEngineModule({ url: 'x.wasm', wasm: {}, load: served(new Uint8Array()) })).toBeNull();
  expect(await compileEngineModule({ url: 'x.wasm', wasm: undefined, load: served(new Uint8Array()) })).toBeNull();
});
