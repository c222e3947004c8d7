// Copy as code on the real engine (pkg/, in Node): what the Schedules presets and the Train demo's
// runs ask for is code the engine writes, in each card's own library, and its refusals name the
// field. Needs `make wasm` first.
import { existsSync, readFileSync } from 'node:fs';
import { beforeAll, describe, expect, test } from 'vitest';
import { TARGETS, targetOf } from '../../www/code-export.js';
import { PRESETS } from '../../www/demos/schedules/presets.js';
import { DEFAULT_OPTIMIZER, DEFAULT_RUNS, sessionOptions } from '../../www/demos/train/options.js';

const PKG = new URL('../../pkg/', import.meta.url);
const built = existsSync(new URL('lr_playground_bg.wasm', PKG));

function thrown(f) {
  try {
    f();
  } catch (err) {
    return { message: err.message, field: err.field };
  }
  throw new Error('it did not throw');
}

describe.skipIf(!built)(built ? 'copy as code on the engine' : 'copy as code on the engine: SKIPPED, pkg/ is absent (run `make wasm`)', () => {
  let pkg;
  beforeAll(async () => {
    pkg = await import(new URL('lr_playground.js', PKG).href);
    pkg.initSync({ module: readFileSync(new URL('lr_playground_bg.wasm', PKG)) });
  });

  test("every preset's schedules export to their own library, and to every library the engine says can express them", () => {
    const libraries = new Map(pkg.Schedule.kinds().map((k) => [k.kind, k.library]));
    for (const preset of PRESETS) {
      for (const spec of preset.schedules) {
        const own = pkg.exportCode(spec, { target: targetOf(libraries.get(spec.kind)) });
        expect(own).toBe(pkg.exportCode(spec));
        const can = pkg.exportTargets(spec.kind);
        expect(can).toContain('pytorch');
        for (const { value } of TARGETS) {
          if (can.includes(value)) expect(pkg.exportCode(spec, { target: value })).toMatch(/^(import|from) /);
          else expect(thrown(() => pkg.exportCode(spec, { target: value })).field).toBe('target');
        }
      }
    }
  });

  test("the Train demo's default runs export to PyTorch", () => {
    const state = { data: 'spiral', noise: 0.1, points: 400, hidden: [16, 16], activation: 'relu', batch: 16, optimizer: DEFAULT_OPTIMIZER, runs: DEFAULT_RUNS };
    DEFAULT_RUNS.forEach((_, run) => {
      // One schedule, every group at its rate: the schedule's own code on the run's optimizer.
      const code = pkg.exportRunCode(sessionOptions(state), { run, target: 'pytorch' });
      expect(code).toContain('optimizer = torch.optim.SGD(model.parameters(), lr=');
      // The page's SGD (momentum 0.9), or the momentum a cycling schedule starts at (OneCycleLR: 0.95).
      expect(code).toMatch(/, momentum=0\.95?, dampening=0\.0, nesterov=False, weight_decay=0\.0\)/);
      expect(code).toContain('scheduler = ');
      expect(code).not.toContain('RunPhases');
    });
  });

  test('a run with per-group rates gets param groups and its phases', () => {
    const options = { layers: [2, 4, 4, 2], groups: [[0, 1], [2]], data: { kind: 'circle', n: 50 }, runs: [{ schedule: { kind: 'Constant', lr: 0.1 }, group_lr_mult: [0.1, 1] }] };
    const code = pkg.exportRunCode(options);
    expect(code).toContain('    {"params": [*linears[0].parameters(), *linears[1].parameters()]},');
    expect(code).toContain('scheduler = RunPhases(optimizer, phases, momentum=0.0)');
  });

  test('refusals name their field', () => {
    expect(thrown(() => pkg.exportCode({ kind: 'StepLR' }))).toEqual({ message: 'step_size (StepLR): is required: an integer in [1, 1000000000]', field: 'step_size' });
    expect(thrown(() => pkg.exportCode({ kind: 'Constant' }, { target: 'jax' })).field).toBe('target');
    expect(thrown(() => pkg.exportCode({ kind: 'Constant' }, 3)).field).toBe('options');
    const options = { layers: [2, 4, 2], data: { kind: 'circle', n: 50 }, runs: [{ schedule: { kind: 'Constant', lr: 0.1 } }] };
    expect(thrown(() => pkg.exportRunCode(options, { run: 1 }))).toEqual({ message: 'run: must be an integer in [0, 0] (one of the options\' runs), got 1', field: 'run' });
    expect(thrown(() => pkg.exportRunCode(options, { target: 'fastai' })).field).toBe('target');
    expect(thrown(() => pkg.exportPlanCode({ method: 'gradual_unfreezing', n_groups: 2, steps_per_epoch: 20 })).message).toBe('target: fastai cannot express gradual_unfreezing exactly; these can: pytorch');
    expect(pkg.exportPlanCode({ method: 'fine_tune', n_groups: 3, steps_per_epoch: 100, epochs: 5 })).toContain('learn.fine_tune(5)');
  });
});
