// The engine is built with WebAssembly SIMD (.cargo/config.toml): every browser with WebGPU has it,
// but an old one would fail to compile the module with a message about an unknown opcode. Asked
// first, so that such a browser is told plainly what it lacks.

// The smallest module that uses a 128-bit SIMD instruction (i8x16.splat, then i8x16.popcnt).
const SIMD_PROBE = new Uint8Array([0, 97, 115, 109, 1, 0, 0, 0, 1, 5, 1, 96, 0, 1, 123, 3, 2, 1, 0, 10, 10, 1, 8, 0, 65, 0, 253, 15, 253, 98, 11]);

export const NO_SIMD = 'This browser runs WebAssembly without SIMD, which the engine needs: update the browser (Chrome 91, Firefox 89 and Safari 16.4 or later have it).';

/** `init`'s promise, or a rejection that says what the browser lacks. */
export function loadEngine(init, wasm = globalThis.WebAssembly) {
  return wasm?.validate(SIMD_PROBE) ? init() : Promise.reject(new Error(NO_SIMD));
}

/**
 * `init`'s argument, once the page has sent `{ engineModule }` on `scope` (its first message,
 * www/engine.js): the WebAssembly.Module the page compiled, or undefined, where the page had none,
 * so that `init` fetches the wasm itself.
 */
export function moduleFromPage(scope) {
  return new Promise((resolve) => {
    const take = ({ data }) => {
      if (data === null || typeof data !== 'object' || !('engineModule' in data)) return;
      scope.removeEventListener('message', take);
      resolve(data.engineModule ? { module_or_path: data.engineModule } : undefined);
    };
    scope.addEventListener('message', take);
  });
}
