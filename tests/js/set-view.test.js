import { describe, expect, test, vi } from 'vitest';
import { confusionMatrix, predictedAgainstActual, predictedClasses } from '../../www/demos/train/confusion.js';
import { drawScatter, pairRange } from '../../www/demos/train/scatter.js';
import { drawDigits } from '../../www/demos/train/digit-grid.js';
import { needsSetView } from '../../www/demos/train/set-view.js';
import { sessionOptions } from '../../www/demos/train/options.js';
import { outputsOf, withOwnData } from '../../www/data-input/own-data.js';
import { parseTable } from '../../www/data-input/table.js';
import train from '../../www/demos/train/index.js';
import { pageSchema } from '../../www/state.js';

// predictSet's answer for rows of `features` inputs with these labels and logits.
function set(y, logits, outputs, features = 64) {
  return { x: new Float32Array(y.length * features), y: Float32Array.from(y), features, predictions: Float32Array.from(logits.flat()), outputs };
}

describe('validation views past two inputs', () => {
  test('the map applies up to two inputs; past that the set view', () => {
    expect([1, 2, 3, 64].map(needsSetView)).toEqual([false, false, true, true]);
  });

  test('the predicted class is the largest output; NaN outputs predict nothing', () => {
    const answer = set([0, 1, 2, 2], [[2, 1, 0], [0, 5, 1], [0, 3, 1], [NaN, NaN, NaN]], 3);
    expect(Array.from(predictedClasses(answer))).toEqual([0, 1, 1, -1]);
    expect(confusionMatrix(answer, 3)).toEqual({
      counts: [
        [1, 0, 0],
        [0, 1, 0],
        [0, 1, 0],
      ],
      unpredicted: 1,
      correct: 2,
      total: 4,
    });
  });

  test('synthetic 64-feature digits: ten classes, every row counted once', () => {
    const y = Array.from({ length: 50 }, (_, i) => i % 10);
    // A model that is right except on the 7s, which it calls 1.
    const logits = y.map((c) => Array.from({ length: 10 }, (_, k) => (k === (c === 7 ? 1 : c) ? 1 : 0)));
    const matrix = confusionMatrix(set(y, logits, 10), 10);
    expect(matrix.counts.flat().reduce((a, b) => a + b)).toBe(50);
    expect(matrix.counts[7][1]).toBe(5);
    expect(matrix.correct).toBe(45);
  });

  test('regression: predicted against actual, back in the target units', () => {
    const answer = set([-1, 1], [[-0.5], [1]], 1, 3);
    expect(predictedAgainstActual(answer, { mean: 10, std: 2 })).toEqual([
      [8, 9],
      [12, 12],
    ]);
    expect(pairRange([[8, 9], [12, NaN]])).toEqual([8, 12]);
    expect(pairRange([[3, 3]])).toEqual([2, 4]);
  });
});

describe('drawn in the theme’s colours', () => {
  // A canvas whose 2-D context records the colour each label and frame was drawn in.
  function recordingCanvas() {
    const drawn = { text: [], strokes: [] };
    const context = {
      clearRect() {}, fillRect() {}, beginPath() {}, moveTo() {}, lineTo() {}, stroke() {},
      fillText(text) { drawn.text.push([text, this.fillStyle]); },
      strokeRect() { drawn.strokes.push(this.strokeStyle); },
    };
    return { canvas: { width: 320, height: 320, getContext: () => context }, drawn };
  }
  const colours = { ink: 'rgb(1, 2, 3)', muted: 'rgb(4, 5, 6)', error: 'rgb(7, 8, 9)' };

  test('digit labels in the ink colour, wrong ones in the error colour', () => {
    const { canvas, drawn } = recordingCanvas();
    const digits = { x: new Float32Array(2 * 64), y: Float32Array.from([3, 4]), features: 64 };
    drawDigits(canvas, digits, [3, 1], ['0', '1', '2', '3', '4'], 48, colours);
    expect(drawn.text).toEqual([['3', colours.ink], ['1', colours.error]]);
    expect(drawn.strokes).toEqual([colours.muted, colours.error]);
  });

  test('the scatter’s axis labels in the muted colour', () => {
    const { canvas, drawn } = recordingCanvas();
    drawScatter(canvas, [[1, 2], [3, 4]], colours);
    expect(new Set(drawn.text.map(([, style]) => style))).toEqual(new Set([colours.muted]));
  });
});

describe('own data in Train', () => {
  const defaults = () => pageSchema([train]).defaults().train;

  test('the session takes the table: inputs, classes, loss and rows; the rest stays the demo’s', () => {
    const table = parseTable('a,b,c,kind\n1,2,3,x\n2,3,4,y\n3,4,5,z\n4,5,6,x\n');
    const options = withOwnData(sessionOptions(defaults()), table);
    expect(options.layers).toEqual([3, 16, 16, 3]);
    expect(options.loss).toBe('cross_entropy');
    expect(options.data).toMatchObject({ features: 3, y: [0, 1, 2, 0], validation_fraction: 0.2, seed: 0 });
    expect(options.data.x).toHaveLength(12);
    expect(options.runs).toEqual(defaults().runs);
    const regression = parseTable('a,t\n1,0.5\n2,1.5\n3,2.25\n');
    expect(outputsOf(regression)).toBe(1);
    expect(withOwnData(sessionOptions(defaults()), regression)).toMatchObject({ layers: [1, 16, 16, 1], loss: 'mse' });
  });

  test('the link says own data in a key of its own; the digits get 64 inputs and 10 classes', () => {
    const schema = pageSchema([train]);
    const { state, notices } = schema.parse('#demo=train&own=1');
    expect(notices).toEqual([]);
    expect(state.train.own).toBe(true);
    expect(schema.defaults().train.own).toBe(false);
    expect(sessionOptions({ ...defaults(), data: 'digits', hidden: [32] }).layers).toEqual([64, 32, 10]);
  });

  test('a link with own data where the browser has none restores nothing', async () => {
    vi.stubGlobal('indexedDB', undefined);
    const { restoreOwnData } = await import('../../www/data-input/own-data.js');
    const onError = vi.fn();
    expect(await restoreOwnData(onError)).toBeNull();
    expect(onError).not.toHaveBeenCalled();
    vi.unstubAllGlobals();
  });
});
