import { describe, expect, test } from 'vitest';
import { debiasedEma } from '../../www/smoothing.js';
import { armOf, armSlice, sessionRuns } from '../../www/demos/train/arms.js';
import { armReport, armStateText, blowUpStep, runState } from '../../www/demos/train/run-states.js';
import { FASTEST, chunkSteps, speedFromKey, speedKey, waitMs } from '../../www/demos/train/pace.js';
import { controlName, readableError } from '../../www/demos/train/messages.js';
import { laterErrors, mend } from '../../www/demos/train/all-errors.js';
import { LossPanelData, lossPanelData } from '../../www/demos/train/loss-data.js';
import { scheduleLabel } from '../../www/demos/train/labels.js';
import { armResults, bestArm, divergenceText, setUpFindings, timesToAccuracy } from '../../www/demos/train/findings.js';
import { PRESETS, presetById } from '../../www/demos/train/presets.js';
import { sessionOptions } from '../../www/demos/train/options.js';

describe('smoothing', () => {
  test("TensorBoard's debiased EMA: the first point is the value itself, gaps stay gaps", () => {
    const s = debiasedEma([1, 2, NaN, 3], 0.5);
    expect(s[0]).toBe(1);
    // (0.5·0.5 + 0.5·2) / (1 - 0.25) = 5/3
    expect(s[1]).toBeCloseTo(5 / 3, 12);
    expect(s[2]).toBeNull();
    expect(s[3]).toBeCloseTo((0.5 * 1.25 + 1.5) / (1 - 0.125), 12);
    expect(debiasedEma([4, 5], 0)).toEqual([4, 5]);
    expect(() => debiasedEma([1], 1)).toThrow(/weight must be in \[0, 1\), got 1/);
  });
});

describe('arms and seeds', () => {
  const arms = [{ schedule: { kind: 'Constant', lr: 0.1 } }, { seed: 5, schedule: { kind: 'Constant', lr: 1 } }];

  test('one seed keeps each run as it is (older links open the same runs)', () => {
    expect(sessionRuns(arms, 1)).toBe(arms);
    expect(sessionRuns(arms, undefined)).toBe(arms);
  });

  test('seed k of every arm: weights seed + k and, past the first, batch order k; arm-major', () => {
    const runs = sessionRuns(arms, 3);
    expect(runs.map((r) => [r.seed, r.data_seed, r.schedule.lr])).toEqual([
      [0, undefined, 0.1],
      [1, 1, 0.1],
      [2, 2, 0.1],
      [5, undefined, 1],
      [6, 1, 1],
      [7, 2, 1],
    ]);
    expect(armSlice(['a0', 'a1', 'a2', 'b0', 'b1', 'b2'], 1, 3)).toEqual(['b0', 'b1', 'b2']);
    expect(armOf(4, 3)).toBe(1);
    expect(sessionOptions({ data: 'spiral', noise: 0, points: 100, hidden: [4], activation: 'relu', batch: 8, optimizer: { kind: 'sgd' }, runs: arms, seeds: 2 }).runs).toHaveLength(4);
  });
});

describe('run states', () => {
  const start = Array(20).fill(0.7);

  test('lr 100 with a loss of 121 has diverged, at the first step past ten times the start', () => {
    const losses = [...start, ...Array(20).fill(121)];
    expect(blowUpStep(losses)).toBe(20);
    expect(runState({ state: 'training' }, 20, 40, 2000)).toEqual({ state: 'diverged', step: 20 });
  });

  test('a single spike is not a divergence, and a falling loss never is', () => {
    expect(blowUpStep([...start, 50, ...Array(20).fill(0.6)])).toBeNull();
    expect(blowUpStep(Array.from({ length: 100 }, (_, t) => 1 / (t + 1)))).toBeNull();
    expect(blowUpStep([...start, ...Array(20).fill(NaN)])).toBe(20);
  });

  test("the engine's divergence first; a run at its budget has finished", () => {
    expect(runState({ state: 'diverged', diverged_at: 7 }, 30, 40, 2000)).toEqual({ state: 'diverged', step: 7 });
    expect(runState({ state: 'training' }, null, 2000, 2000)).toEqual({ state: 'finished', step: null });
    expect(runState({ state: 'training' }, null, 100, 2000)).toEqual({ state: 'training', step: null });
  });

  test('a run that has not taken a step (before Start, after Reset) is ready, not training', () => {
    expect(runState(null, null, 0, 2000)).toEqual({ state: 'ready', step: null });
    expect(runState({ state: 'training' }, null, 0, 2000)).toEqual({ state: 'ready', step: null });
    expect(runState({ state: 'training' }, null, 1, 2000)).toEqual({ state: 'training', step: null });
    const ready = { state: 'ready', step: null };
    expect(armStateText([ready])).toBe('ready');
    expect(armStateText([ready, ready, ready])).toBe('ready');
    expect(armReport([{}, {}], [ready, ready])).toMatchObject({ state: 'ready', text: 'ready' });
  });

  test("an arm's seeds in words, and its table row over the seeds that did not diverge", () => {
    const d = (step) => ({ state: 'diverged', step });
    const f = { state: 'finished', step: null };
    expect(armStateText([d(41)])).toBe('diverged at step 41');
    expect(armStateText([d(10), d(20), d(31)])).toBe('diverged in all 3 seeds (median step 20)');
    expect(armStateText([d(10), f, f])).toBe('finished; 1 of 3 seeds diverged (median step 10)');
    expect(armStateText([f, f])).toBe('finished');
    const row = armReport(
      [
        { validation_accuracy: 0.2, validation_loss: 9 },
        { validation_accuracy: 0.9, validation_loss: 0.3 },
        { validation_accuracy: 0.8, validation_loss: 0.5 },
      ],
      [d(3), f, f],
    );
    expect(row).toMatchObject({ state: 'finished', text: 'finished; 1 of 3 seeds diverged (median step 3)' });
    expect(row.validation_accuracy).toBeCloseTo(0.85, 12);
    expect(row.validation_loss).toBeCloseTo(0.4, 12);
  });
});

describe('pace', () => {
  test('steps per request and the wait that keeps to a speed', () => {
    expect(chunkSteps(FASTEST, 16)).toBe(16);
    expect(chunkSteps(30, 16)).toBe(3);
    expect(chunkSteps(10, 16)).toBe(1);
    expect(chunkSteps(1000, 16)).toBe(16);
    expect(waitMs(10, 5, 200)).toBe(300);
    expect(waitMs(10, 5, 900)).toBe(0);
    expect(waitMs(FASTEST, 5, 0)).toBe(0);
    expect(speedFromKey(speedKey(FASTEST))).toBe(FASTEST);
    expect(speedKey(300)).toBe('300');
  });
});

describe('messages for people', () => {
  const engineError = (message, field) => Object.assign(new Error(message), { field });

  test('no internal path: the control a reader sees, and the run the page lists', () => {
    // runs[5] of 4 seeds per run is the second run's second seed.
    const e = readableError(engineError('runs[5].schedule.lr (Constant): must be a finite number in (0, 100], got -1', 'runs[5].schedule.lr'), 4);
    expect(e.message).toBe("run 2's lr: must be a finite number in (0, 100], got -1");
    expect(e.field).toBe('runs[1].schedule.lr');
    expect(readableError(engineError('data.noise: must be a finite number in [0, 1], got 2', 'data.noise'), 1).message).toBe('noise: must be a finite number in [0, 1], got 2');
    expect(readableError(engineError('batch_size: must be an integer in [1, 4096], got 0', 'batch_size'), 1).message).toBe('batch: must be an integer in [1, 4096], got 0');
    const plain = new Error('the engine instance is broken');
    expect(readableError(plain, 1)).toBe(plain);
  });

  test('names for the other paths', () => {
    expect(controlName('optimizer.momentum')).toBe('optimizer momentum');
    expect(controlName('layers[1]')).toBe("layer 2's width");
    expect(controlName('runs[0].seed')).toBe("run 1's seed");
  });
});

describe('every bad setting at once', () => {
  const good = { batch_size: 16, data: { kind: 'spiral', n: 400, noise: 0.1 }, runs: [{ schedule: { kind: 'Constant', lr: 0.01 } }] };
  const bad = { batch_size: 0, data: { kind: 'spiral', n: 400, noise: 2 }, runs: [{ schedule: { kind: 'Constant', lr: -1 } }, { seed: 1, schedule: { kind: 'Constant', lr: -1 } }] };

  test('a refused value is mended from the good set-up (a bad schedule in every seed of its run)', () => {
    expect(mend(bad, 'batch_size', good).batch_size).toBe(16);
    expect(mend(bad, 'data.noise', good).data).toEqual({ kind: 'spiral', n: 400, noise: 0.1 });
    expect(mend(bad, 'runs[0].schedule.lr', good).runs.map((r) => [r.seed, r.schedule.lr])).toEqual([
      [undefined, 0.01],
      [1, 0.01],
    ]);
    expect(mend(bad, 'runs[9].schedule.lr', good)).toBeNull();
    expect(mend(bad, 'nonsense', good)).toBeNull();
  });

  test('the engine is asked again until it accepts: every refusal after the first', async () => {
    // An engine that judges fields in a fixed order, as the real one stops at the first.
    const created = [];
    const engine = {
      session: {
        async create(o) {
          if (o.batch_size < 1) throw Object.assign(new Error('batch_size: bad'), { field: 'batch_size' });
          if (o.data.noise > 1) throw Object.assign(new Error('data.noise: bad'), { field: 'data.noise' });
          if (o.runs.some((r) => r.schedule.lr <= 0)) throw Object.assign(new Error('runs[0].schedule.lr: bad'), { field: 'runs[0].schedule.lr' });
          created.push(o);
          return { id: 'ok' };
        },
        destroy: async () => {},
      },
    };
    const later = await laterErrors(engine, bad, { field: 'batch_size' }, good, () => true);
    expect(later.map((e) => e.field)).toEqual(['data.noise', 'runs[0].schedule.lr']);
    expect(created).toHaveLength(1);
    expect(await laterErrors(engine, bad, { field: 'batch_size' }, good, () => false)).toEqual([]);
  });
});

describe('the loss panel data', () => {
  test('per arm over seeds: median raw and smoothed loss, its band, validation at evaluations, the rate', () => {
    const panel = lossPanelData([{ losses: [[1, 1, 1], [3, 3, 3]], evaluations: [{ step: 0, values: [9, 9] }, { step: 2, values: [0.5, 0.7] }], rates: [0.1, 0.2, 0.3, 0.4] }], 4, 0);
    expect(panel.x).toEqual([0, 1, 2, 3]);
    const [arm] = panel.arms;
    expect(arm.raw).toEqual([2, 2, 2, null]);
    expect(arm.smooth).toEqual([2, 2, 2, null]);
    expect(arm.lo).toEqual([1.5, 1.5, 1.5, null]);
    expect(arm.hi).toEqual([2.5, 2.5, 2.5, null]);
    // The evaluation after 2 steps sits on the second step's loss (x = 1).
    expect(arm.validation).toEqual([null, 0.6, null, null]);
    expect(arm.rate).toEqual([0.1, 0.2, 0.3, 0.4]);
    expect(arm.latest).toEqual({ step: 3, smooth: 2, validation: 0.6, rate: 0.4 });
  });

  test('while a session trains on, the arrays drawn are kept and only new steps filled in', () => {
    const data = new LossPanelData();
    const losses = [[1, 2]];
    const arm = () => ({ losses, evaluations: [], rates: null });
    const first = data.update([arm()], 4, 0.5, 'a');
    const { smooth } = first.arms[0];
    losses[0].push(3);
    const second = data.update([arm()], 4, 0.5, 'a');
    expect(second.arms[0].smooth).toBe(smooth);
    expect(smooth.slice(0, 3)).toEqual(debiasedEma([1, 2, 3], 0.5));
    // Another smoothing, or another session: anew.
    expect(data.update([arm()], 4, 0, 'a').arms[0].smooth).toEqual([1, 2, 3, null]);
    expect(data.update([arm()], 4, 0, 'b').arms[0].smooth).not.toBe(smooth);
  });

  test('a long budget is thinned to at most 2000 points', () => {
    const panel = lossPanelData([{ losses: [[]], evaluations: [], rates: [] }], 100_000, 0.6);
    expect(panel.x.length).toBeLessThanOrEqual(2000);
    expect(panel.x[1]).toBe(50);
  });
});

describe('findings of a Train experiment', () => {
  test('names from schedules', () => {
    expect(scheduleLabel({ kind: 'Constant', lr: 0.05 })).toBe('constant 0.05');
    expect(scheduleLabel({ kind: 'CyclicLR', base_lr: 0.005, max_lr: 0.05, mode: 'triangular2' })).toBe('triangular2 0.005–0.05');
    expect(scheduleLabel({ kind: 'OneCycleLR', max_lr: 1 })).toBe('one-cycle to 1');
    expect(scheduleLabel({ kind: 'CosineAnnealingWarmRestarts', lr: 0.3, T_0: 100, T_mult: 2 })).toBe('SGDR from 0.3, T_0 100, T_mult 2');
    expect(scheduleLabel({ kind: 'ExponentialLR', lr: 0.1, gamma: 0.99 })).toBe('ExponentialLR');
    expect(scheduleLabel({ kind: 'Constant' })).toBe('Constant');
  });

  // Two arms of two seeds, evaluated at steps 0, 100, 200: arm 1 is better, and its seed 1 diverged at step 150.
  const report = (values) => values.map(([loss, accuracy]) => ({ validation_loss: loss, validation_accuracy: accuracy }));
  const evaluations = [
    { step: 0, report: report([[1, 0.5], [1, 0.5], [1, 0.5], [1, 0.5]]) },
    { step: 100, report: report([[0.6, 0.8], [0.7, 0.7], [0.3, 0.92], [0.4, 0.9]]) },
    { step: 200, report: report([[0.5, 0.85], [0.6, 0.8], [0.2, 0.95], [NaN, 0.5]]) },
  ];
  const states = [{ state: 'finished' }, { state: 'finished' }, { state: 'finished' }, { state: 'diverged', step: 150 }];
  const arms = armResults(['constant 0.01', 'constant 0.1'], evaluations, states, 2);

  test('per arm and seed: evaluations, times to a target, divergences, the best arm', () => {
    expect(arms[1].loss).toEqual([
      [1, 0.3, 0.2],
      [1, 0.4, NaN],
    ]);
    expect(timesToAccuracy(arms[1], 0.9)).toEqual([100, 100]);
    expect(timesToAccuracy(arms[0], 0.9)).toEqual([null, null]);
    expect(divergenceText(arms[1])).toBe('diverged in 1 of 2 seeds (median step 150)');
    expect(divergenceText(arms[0])).toBe('did not diverge in any of 2 seeds');
    expect(bestArm(arms, [0, 1])).toBe(1);
    // One seed each way (seed 2 of constant 0.1 diverged): the arm named first is the one compared.
    expect(setUpFindings(arms)).toEqual(['Too few seeds to tell (2 seeds): constant 0.1 ended with a lower validation loss than constant 0.01 in 1 of 2 seeds (median 0.2 against 0.55).']);
  });

  test('every preset is a link id, sets up at most 8 runs and says something about any result', () => {
    expect(PRESETS.map((p) => p.id)).toEqual(['four-rates', 'clr', 'sgdr', 'one-cycle']);
    for (const preset of PRESETS) {
      expect(presetById(preset.id)).toBe(preset);
      expect(preset.settings.runs.length).toBeLessThanOrEqual(8);
      const labels = preset.settings.runs.map((r) => scheduleLabel(r.schedule));
      const runs = preset.settings.runs.length * 2;
      const flat = [{ step: 0, report: Array(runs).fill({ validation_loss: 0.7, validation_accuracy: 0.5 }) }, { step: 100, report: Array(runs).fill({ validation_loss: 0.5, validation_accuracy: 0.8 }) }];
      const sentences = preset.findings(armResults(labels, flat, Array(runs).fill({ state: 'finished' }), 2), 100);
      expect(sentences.length).toBeGreaterThan(1);
      for (const s of sentences) expect(s).toMatch(/^[A-Z].*\.$/);
    }
  });
});

describe('stopped runs', () => {
  test("a seed's losses past the step it diverged at are not drawn: a stopped run's loss only repeats", () => {
    const panel = lossPanelData([{ losses: [[1, 9, 50, 50, 50]], evaluations: [], rates: null, stops: [2] }], 5, 0);
    expect(panel.arms[0].raw).toEqual([1, 9, 50, null, null]);
    expect(panel.arms[0].smooth).toEqual([1, 9, 50, null, null]);
    expect(panel.arms[0].latest.smooth).toBeNull();
  });
});
