// Layers on a CSV of the user's: the classes split into task A and task B, the rows each takes,
// the refusals, and (with pkg/ built) the Session options the engine takes for both stages.
import { existsSync, readFileSync } from 'node:fs';
import { describe, expect, test } from 'vitest';
import { parseTable } from '../../www/data-input/table.js';
import { FEW_PER_CLASS, MAX_PRETRAIN_ROWS, OWN_AUGMENT, ownTask, ownTaskProblem, splitClasses } from '../../www/demos/layers/own-task.js';
import { bodyLength, layersFor, pretrainOptions, scratchSchedule, stepsPerEpoch, targetOptions } from '../../www/demos/layers/options.js';

// `perClass` rows of each of `classes` blobs in 3 features; the class is the blob's name.
function blobs(classes, perClass) {
  const lines = ['u,v,w,kind'];
  for (let i = 0; i < perClass; i++) {
    classes.forEach((name, c) => {
      const angle = (2 * Math.PI * c) / classes.length;
      const wobble = Math.sin(i * 12.9898 + c * 78.233) * 0.3;
      lines.push([Math.cos(angle) * 3 + wobble, Math.sin(angle) * 3 - wobble, (i % 5) / 5 + wobble].map((v) => v.toFixed(4)).concat(name).join(','));
    });
  }
  return parseTable(lines.join('\n'));
}

const SIX = ['ant', 'bee', 'cat', 'dog', 'eel', 'fox'];

describe('a CSV as a Layers task', () => {
  test('the first half of the classes pretrain (task A, every row up to the cap), the rest fine-tune on 25 rows a class', () => {
    const table = blobs(SIX, 60);
    expect(splitClasses(table)).toEqual({ a: [0, 1, 2], b: [3, 4, 5] });
    const task = ownTask(table, 0);
    expect(task.a).toMatchObject({ names: ['ant', 'bee', 'cat'], rows: 180, classes: 6, inputs: 3, batch: 32 });
    expect(task.b).toMatchObject({ names: ['dog', 'eel', 'fox'], rows: 75, classes: 6, inputs: 3, batch: 10 });
    expect(new Set(task.a.data.y)).toEqual(new Set([0, 1, 2]));
    // 25 rows a class, a fifth held out: FEW_PER_CLASS train.
    expect([3, 4, 5].map((c) => task.b.data.y.filter((y) => y === c).length)).toEqual([25, 25, 25]);
    expect(FEW_PER_CLASS).toBe(20);
    expect(task.a.data.x).toHaveLength(180 * 3);
    // A row keeps its standardised features: the first row of task B is some row of the table.
    const row = Array.from(task.b.data.x.slice(0, 3));
    const rows = Array.from({ length: table.rows }, (_, i) => Array.from(table.x.slice(i * 3, i * 3 + 3)));
    expect(rows).toContainEqual(row);
    expect(layersFor(task.a)).toEqual([3, 32, 32, 32, 6]);
    expect(bodyLength(layersFor(task.a))).toBe(bodyLength(layersFor(task.b)));
    // 60 training rows in batches of 10; 144 in batches of 32.
    expect(stepsPerEpoch(task.b)).toBe(6);
    expect(stepsPerEpoch(task.a)).toBe(4);
    expect(task.augment).toBe(OWN_AUGMENT);
  });

  test('the rows are drawn with the seed: the same seed the same task, another seed other rows; task A is capped', () => {
    const table = blobs(SIX, 800);
    expect(ownTask(table, 3)).toBe(ownTask(table, 3));
    expect(ownTask(table, 4).b.data.x).not.toEqual(ownTask(table, 3).b.data.x);
    expect(ownTask(table, 3).a.rows).toBe(MAX_PRETRAIN_ROWS);
  });

  test('a regression target, fewer than four classes or too few rows are refused in words', () => {
    const regression = parseTable(['a,b', ...Array.from({ length: 40 }, (_, i) => `${i},${i * 0.37}`)].join('\n'));
    expect(ownTaskProblem(regression)).toMatch(/^Layers needs classes to split into two tasks; the target "b" is a number to predict/);
    expect(ownTask(regression, 0)).toBeNull();
    expect(ownTaskProblem(blobs(['x', 'y', 'z'], 50))).toMatch(/^Layers needs at least 4 classes .* "kind" has 3\./);
    expect(ownTaskProblem(blobs(['p', 'q', 'r', 's'], 15))).toBe('Task A (classes p, q) has 30 rows; pretraining needs at least 40.');
    expect(ownTaskProblem(blobs(SIX, 60))).toBeNull();
  });
});

const PKG = new URL('../../pkg/', import.meta.url);
const built = existsSync(new URL('lr_playground_bg.wasm', PKG));

describe.skipIf(!built)('a CSV as a Layers task on the engine', () => {
  test('the engine takes both stages: A pretrains, and B opens from its body with the recipe augmentation', async () => {
    const pkg = await import(new URL('lr_playground.js', PKG).href);
    pkg.initSync({ module: readFileSync(new URL('lr_playground_bg.wasm', PKG)) });
    const task = ownTask(blobs(SIX, 60), 1);
    const cpu = (options) => ({ ...options, backend: 'cpu' });
    const pretrain = await pkg.Session.create(cpu(pretrainOptions(task, 1)));
    try {
      await pretrain.step(5 * stepsPerEpoch(task.a));
      expect(pretrain.evaluate()[0].validation_accuracy).toBeGreaterThan(0.6);
      const body = pretrain.params(0).slice(0, bodyLength(layersFor(task.a)));
      const target = await pkg.Session.create(cpu(targetOptions(task, 1, { fineTune: { init_params: body, schedule: { kind: 'Constant', lr: 1e-3 } }, scratch: { schedule: scratchSchedule(12) }, augment: task.augment })));
      try {
        expect(Array.from(target.params(0).slice(0, 8))).toEqual(Array.from(body.slice(0, 8)));
        await target.step(12);
        expect(target.evaluate().every((r) => Number.isFinite(r.validation_loss))).toBe(true);
      } finally {
        target.free();
      }
    } finally {
      pretrain.free();
    }
  });
});
