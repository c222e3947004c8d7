// The engine's wasm, fetched and compiled by the page as soon as it starts the engine, while the
// browser is still fetching the worker's script: the worker is handed the compiled module
// (a WebAssembly.Module is structured-cloneable) and only instantiates it. Where the page cannot
// compile it (no wasm SIMD, a host that serves it with the wrong type, a failed fetch), the worker
// is told so and fetches the module itself, saying plainly what went wrong (worker/wasm-support.js).

// Next to this module once built, wherever the code is served from (the <lr-playground> element
// may be loaded from another origin): the same file the worker's copy of the package loads.
const WASM_URL = new URL('../pkg/lr_playground_bg.wasm', import.meta.url);

/** The compiled engine module, or null where the worker should fetch it itself; never rejects. */
export async function compileEngineModule({ url = WASM_URL, wasm = globalThis.WebAssembly, load = globalThis.fetch } = {}) {
  try {
    if (typeof wasm?.compileStreaming !== 'function') return null;
    return await wasm.compileStreaming(load(url));
  } catch {
    return null;
  }
}
