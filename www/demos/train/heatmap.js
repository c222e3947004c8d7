// The decision-boundary heatmap: a network's outputs on a grid over the data (Session.predictGrid)
// as colours on a canvas, with the training points on top. Classification shows the probability
// of class 1, regression the predicted value; both (points too) through one diverging colour map
// from d3-scale-chromatic.
import { interpolateRdBu } from 'd3-scale-chromatic';
import { colourRamp, rampColour } from '../../colour.js';

// Where the network gives NaN (a diverged run): neutral grey, outside the colour map.
const NAN_RGB = [150, 150, 150];

/**
 * Each cell's place on the colour map, in [0, 1] (NaN where an output is NaN). With several
 * outputs, the softmax probability of class 1; with one (regression), the value from [-1, 1],
 * the range of the synthetic regression targets, clamped.
 */
export function shades({ values, n, outputs }) {
  const out = new Float32Array(n * n);
  for (let i = 0; i < n * n; i++) {
    const z = values.subarray(i * outputs, (i + 1) * outputs);
    out[i] = outputs === 1 ? valueShade(z[0]) : classOneProbability(z);
  }
  return out;
}

function valueShade(v) {
  return Math.min(1, Math.max(0, (v + 1) / 2));
}

function classOneProbability(z) {
  const max = Math.max(...z);
  let sum = 0;
  for (const v of z) sum += Math.exp(v - max);
  return Math.exp(z[1] - max) / sum;
}

/**
 * RGBA pixels for n × n shades, through `table` (a colour.js ramp). The grid's rows run from y = lo upwards, an
 * image's from the top down: rows are flipped.
 */
export function pixels(cellShades, n, table) {
  const rgba = new Uint8ClampedArray(n * n * 4);
  for (let row = 0; row < n; row++) {
    for (let col = 0; col < n; col++) {
      const t = cellShades[(n - 1 - row) * n + col];
      const p = (row * n + col) * 4;
      rgba.set(Number.isNaN(t) ? NAN_RGB : rampColour(table, t), p);
      rgba[p + 3] = 255;
    }
  }
  return rgba;
}

/**
 * Where a point (x, y) of the square [lo, hi]² falls on a `size` × `size` canvas, whose top is y = hi.
 */
export function canvasPosition(x, y, lo, hi, size) {
  const scale = size / (hi - lo);
  return [(x - lo) * scale, (hi - y) * scale];
}

/**
 * A training point's place on the colour map: its class (0 or 1), or its target from [-1, 1]
 * (regression, one output), as `shades` places the network's outputs.
 */
export function pointShade(y, outputs) {
  return outputs === 1 ? valueShade(y) : y;
}

/** Draws predictGrid results on `canvas`, each grid cell smoothly stretched to fill it. */
export class Heatmap {
  constructor(canvas) {
    this.canvas = canvas;
    this.table = colourRamp(interpolateRdBu);
    // One pixel per grid cell, then scaled up: the browser interpolates between cells.
    this.cells = document.createElement('canvas');
  }

  /** `points`: the training rows { x, y, features } (Session.trainingData), drawn on top. */
  draw(grid, points) {
    const { n } = grid;
    this.cells.width = n;
    this.cells.height = n;
    this.cells.getContext('2d').putImageData(new ImageData(pixels(shades(grid), n, this.table), n, n), 0, 0);
    const context = this.canvas.getContext('2d');
    context.imageSmoothingEnabled = true;
    context.drawImage(this.cells, 0, 0, this.canvas.width, this.canvas.height);
    this.drawPoints(context, grid, points);
  }

  drawPoints(context, { outputs, lo, hi }, { x, y, features }) {
    context.lineWidth = 1;
    context.strokeStyle = '#fff';
    for (let i = 0; i < y.length; i++) {
      const [px, py] = canvasPosition(x[i * features], x[i * features + 1], lo, hi, this.canvas.width);
      const [r, g, b] = rampColour(this.table, pointShade(y[i], outputs));
      context.fillStyle = `rgb(${r}, ${g}, ${b})`;
      context.beginPath();
      context.arc(px, py, 3, 0, 2 * Math.PI);
      context.fill();
      context.stroke();
    }
  }
}
