// What the built engine (pkg/, the same build dist/ serves) can do, asked in Node.
import { readFileSync } from 'node:fs';

let named;
let pkg;

// The built engine, loaded once.
function engine() {
  pkg ??= (async () => {
    const module = await import(new URL('../../pkg/lr_playground.js', import.meta.url).href);
    module.initSync({ module: readFileSync(new URL('../../pkg/lr_playground_bg.wasm', import.meta.url)) });
    return module;
  })();
  return pkg;
}

/** Whether the engine has the LR finder (on its way in, src/finder/); the Find demo needs it. */
export async function engineHasFinder() {
  return 'LrFinder' in (await engine());
}

/**
 * Whether the engine's Errors carry `field` (on its way into src/web/). The page places an error
 * under its control by that field; without it, the error shows in the demo's general notice.
 */
export async function engineNamesFields() {
  named ??= (async () => {
    const { Schedule } = await engine();
    try {
      new Schedule({ kind: 'Constant', lr: -1 });
    } catch (err) {
      return err.field !== undefined;
    }
    throw new Error('the engine accepted a negative learning rate');
  })();
  return named;
}

/** Where the page shows an engine error about a control: its own slot, or the general notice. */
export async function errorSlot(page, controlTestid, generalTestid) {
  return page.getByTestId((await engineNamesFields()) ? controlTestid : generalTestid);
}
