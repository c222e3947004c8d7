// Every demo's engine refusals as the page shows them: the real engine (pkg/, in Node) is sent a
// bad value of each kind each demo can send, and the message the page makes of it names no
// internal path ("data.noise", "runs[0].schedule.lr", "groups[1].lr_mult") and writes no number
// too long to read. Needs `make wasm` first.
import { existsSync, readFileSync } from 'node:fs';
import { beforeAll, describe, expect, test } from 'vitest';
import { controlPlace, placeErrors } from '../../www/field-errors.js';
import { errorText, readable } from '../../www/messages.js';
import { planSpec, pretrainOptions, TASKS } from '../../www/demos/layers/options.js';
import { readableError } from '../../www/demos/train/messages.js';
import { sessionOptions } from '../../www/demos/train/options.js';
import { STATE } from '../../www/demos/train/state.js';

const PKG = new URL('../../pkg/', import.meta.url);
const built = existsSync(new URL('lr_playground_bg.wasm', PKG));

// An internal path: a name followed by an index or by ".name" (not a decimal point).
const PATH = /[A-Za-z_]\w*(?:\[\d+\]|\.[A-Za-z_])/;
const LONG_NUMBER = /\d{10,}|\.\d{7,}/;

/** The engine's refusal of `call()`, which must refuse. */
async function refusal(call) {
  try {
    const made = await call();
    made?.free?.();
  } catch (err) {
    return err;
  }
  throw new Error('the engine took it');
}

function expectReadable(text, field) {
  expect(text, `${field}: ${text}`).not.toMatch(PATH);
  expect(text, `${field}: ${text}`).not.toMatch(LONG_NUMBER);
}

describe.skipIf(!built)('engine refusals, as every demo shows them', () => {
  let pkg;
  beforeAll(async () => {
    pkg = await import(new URL('lr_playground.js', PKG).href);
    pkg.initSync({ module: readFileSync(new URL('lr_playground_bg.wasm', PKG)) });
  });

  const session = (options) => pkg.Session.create({ ...options, backend: 'cpu' });
  const train = () => sessionOptions(Object.fromEntries(STATE.map((entry) => [entry.key, entry.default])));
  const withRun = (options, i, schedule) => ({ ...options, runs: options.runs.map((r, j) => (j === i ? { ...r, schedule } : r)) });
  // Train, Surfaces' network and Layers create sessions; Schedules and the guide sample schedules;
  // Layers plans groups; Find runs the range test on a session.
  const cases = {
    'data.noise': () => session({ ...train(), data: { ...train().data, noise: 1930000000000000000 } }),
    'data.n': () => session({ ...train(), data: { ...train().data, n: 0.123456789 } }),
    'runs[0].schedule.lr': () => session(withRun(train(), 0, { kind: 'Constant', lr: -1 })),
    'runs[1].schedule.max_lr': () => session(withRun(train(), 1, { kind: 'OneCycleLR', max_lr: 1e30, total_steps: 100 })),
    layers: () => session({ ...train(), layers: [] }),
    'layers[1]': () => session({ ...train(), layers: [2, 0, 2] }),
    batch_size: () => session({ ...train(), batch_size: 0 }),
    'optimizer.momentum': () => session({ ...train(), optimizer: { ...train().optimizer, kind: 'sgd', momentum: 7 } }),
    'schedule gamma': () => new pkg.Schedule({ kind: 'StepLR', lr: 0.1, step_size: 10, gamma: -2 }),
    groups: () => session({ ...pretrainOptions(TASKS.spiral, 0), groups: [[0], { layers: 1 }, [3]] }),
    'runs[0].phases[0].group_lr_mult[1]': () => {
      const options = pretrainOptions(TASKS.spiral, 0);
      return session({ ...options, runs: [{ seed: 0, phases: [{ schedule: { kind: 'Constant', lr: 0.01 }, group_lr_mult: [1, -0.000000123456789, 1] }] }] });
    },
    'plan lr_max': () => pkg.planGroups({ ...planSpec('one_rate', { epochs: 2, stepsPerEpoch: 10 }), lr_max: -4 }),
  };

  for (const [name, call] of Object.entries(cases)) {
    test(`${name}: the page's message names no path and no long number`, async () => {
      const error = await refusal(call);
      // The engine does name the path (the page's places find their control by it) …
      expect(typeof error.field).toBe('string');
      // … and the page never shows it: as a general notice, and in Train's words.
      expectReadable(errorText(error), name);
      expectReadable(readable(readableError(error, 1).message), name);
      expectReadable(readable(`The network could not be trained: ${errorText(error)}`), name);
      expectReadable(readable(`The engine stopped (${errorText(error)}) and was restarted`), name);
      // Under its control (field-errors.js), in words too.
      const shown = [];
      placeErrors(new Map([[error.field, controlPlace({ showError: (message) => shown.push(message) })]]), [error]);
      expectReadable(shown[0], name);
    });
  }
});
