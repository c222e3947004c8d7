// The surface as a picture: a heat map of its values with contour lines (d3-contour) and its
// minima and saddles marked, with the paths and their start point on top. Three stacked canvases, so a frame of the
// animation redraws little: the heat map (redrawn only when the grid or the view changes), the
// paths' faint lines (drawn on incrementally, as steps age), and the heads with their bright
// tails (the only layer cleared every frame). Clicking picks a start point, dragging pans, the
// wheel zooms; the map tells `onPick([x, y])` and `onView(view)`.
import { contours } from 'd3-contour';
import { interpolateViridis } from 'd3-scale-chromatic';
import { colourRamp } from '../../colour.js';
import { h } from '../../dom.js';
import { chartColours, onThemeChange } from '../../theme.js';
import { agedSegments, FAINT, reached, TAIL, trailAlpha } from './animation.js';
import { contourLevels, gridPixels, valueScale } from './scale.js';
import { fitted, gridBounds, gridToPlane, panned, spanLimits, toCanvas, toPlane, wheelFactor, zoomed } from './viewport.js';

const LEVELS = 14;
// A press that moves less than this is a click, not a drag.
const CLICK_SLOP = 4;
// Canvas coordinates far outside the picture (a diverged path) are clamped: some canvases drop
// lines whose ends lie millions of pixels away.
const FAR = 1e5;

export class SurfaceMap {
  /** `interactive`: whether clicks, drags and the wheel move anything (not for a fixed picture). */
  constructor({ testid, onPick = () => {}, onView = () => {}, interactive = true }) {
    this.layers = ['heat', 'trails', 'heads'].map((name) => h('canvas', { class: `map-layer map-${name}`, 'data-testid': `${testid}-${name}` }));
    [this.heat, this.trails, this.heads] = this.layers;
    const title = interactive ? 'Click to start the paths here, drag to pan, scroll to zoom' : null;
    this.element = h('div', { class: 'surface-map', 'data-testid': testid, title }, this.layers);
    Object.assign(this, { onPick, onView });
    this.ramp = colourRamp(interpolateViridis);
    this.size = { width: 0, height: 0 };
    this.view = null;
    // The view last asked for (or panned or zoomed to): a resize fits it anew, so views do not
    // widen a little more at every resize.
    this.wanted = null;
    this.limits = { min: 0, max: Infinity };
    this.surface = null;
    this.paths = [];
    this.start = null;
    this.step = 0;
    this.resize = new ResizeObserver(() => this.fit());
    this.resize.observe(this.element);
    this.stopRestyling = onThemeChange(() => this.drawHeat());
    if (interactive) this.listen();
  }

  /** A new grid (surfaceGrid's answer, with the view it was asked for) and the points to mark. */
  setSurface({ grid, domain, minima = [], saddles = [] }) {
    const scale = valueScale(grid.values);
    const image = h('canvas', { width: grid.nx, height: grid.ny });
    image.getContext('2d').putImageData(new ImageData(gridPixels(grid, scale, this.ramp), grid.nx, grid.ny), 0, 0);
    // Contours in grid coordinates, once per grid; a missing value counts as high ground.
    const values = Float64Array.from(grid.values, (v) => (Number.isFinite(v) ? v : (scale?.max ?? 0)));
    const rings = contours().size([grid.nx, grid.ny]).thresholds(contourLevels(scale, LEVELS))(values);
    this.surface = { grid, image, scale, rings, minima, saddles };
    if (domain) this.limits = spanLimits(domain);
    this.drawHeat();
  }

  /** No surface until the next grid: the map shows a plain ground. */
  clearSurface() {
    this.surface = null;
    this.drawHeat();
  }

  /** The part of the plane to show (fitted to the canvas's shape); the heat map follows it until a new grid comes. */
  setView(view) {
    this.wanted = view;
    this.view = this.size.width ? fitted(view, this.size) : view;
    this.redraw();
    return this.view;
  }

  /** New paths ([{ x, y, color }], their points on the plane) from `start` ([x, y], marked), drawn from step 0. */
  setPaths(paths, start = null) {
    this.paths = paths;
    this.start = start;
    this.step = 0;
    this.redrawPaths();
  }

  /** The heads at step `position` (fractional: whole steps drawn); the faint lines catch up. */
  drawTo(position) {
    const step = reached(position);
    // Back to an earlier step (a replay): the faint lines start again.
    if (step < this.step) {
      this.step = 0;
      this.redrawPaths();
    }
    const [first, end] = agedSegments(this.step, step);
    const context = this.context(this.trails);
    for (const path of this.paths) this.line(context, path, first, end, FAINT);
    this.step = step;
    this.drawHeads();
  }

  destroy() {
    this.stopRestyling();
    this.resize.disconnect();
  }

  // The canvases' pixels follow the element's box at the screen's pixel ratio (crisp lines).
  fit() {
    const { clientWidth: width, clientHeight: height } = this.element;
    if (!width || !height || (width === this.size.width && height === this.size.height)) return;
    const ratio = globalThis.devicePixelRatio || 1;
    for (const canvas of this.layers) {
      canvas.width = Math.round(width * ratio);
      canvas.height = Math.round(height * ratio);
    }
    this.size = { width, height };
    if (this.wanted) {
      this.view = fitted(this.wanted, this.size);
      this.onView(this.view);
    }
    this.redraw();
  }

  context(canvas) {
    const context = canvas.getContext('2d');
    const ratio = canvas.width / (this.size.width || 1);
    context.setTransform(ratio, 0, 0, ratio, 0, 0);
    return context;
  }

  redraw() {
    this.drawHeat();
    this.redrawPaths();
  }

  drawHeat() {
    if (!this.view || !this.size.width) return;
    const context = this.context(this.heat);
    context.fillStyle = chartColours(this.element)['off-map'];
    context.fillRect(0, 0, this.size.width, this.size.height);
    if (!this.surface) return;
    const { grid, image, rings, minima, saddles } = this.surface;
    const bounds = gridBounds(grid);
    const [left, top] = this.at([bounds.x[0], bounds.y[1]]);
    const [right, bottom] = this.at([bounds.x[1], bounds.y[0]]);
    context.imageSmoothingEnabled = true;
    context.drawImage(image, left, top, right - left, bottom - top);
    context.strokeStyle = 'rgba(255, 255, 255, 0.45)';
    context.lineWidth = 0.8;
    context.beginPath();
    for (const ring of rings.flatMap((shape) => shape.coordinates.flat())) {
      ring.forEach((point, i) => {
        const [px, py] = this.at(gridToPlane(grid, point));
        if (i === 0) context.moveTo(px, py);
        else context.lineTo(px, py);
      });
    }
    context.stroke();
    context.lineWidth = 1.5;
    for (const point of minima) this.mark(context, point, 'minimum');
    for (const point of saddles) this.mark(context, point, 'saddle');
  }

  // A minimum is a ring, a saddle a cross, the start a diamond (larger than a head, so it shows
  // around the heads at step 0): white on a dark edge, readable on any colour.
  mark(context, point, kind) {
    const [px, py] = this.at(point);
    for (const [colour, width] of [['#1d2330', 3.5], ['#fff', 1.5]]) {
      context.strokeStyle = colour;
      context.lineWidth = width;
      context.beginPath();
      if (kind === 'minimum') context.arc(px, py, 5, 0, 2 * Math.PI);
      else if (kind === 'start') {
        context.moveTo(px, py - 8);
        context.lineTo(px + 8, py);
        context.lineTo(px, py + 8);
        context.lineTo(px - 8, py);
        context.closePath();
      } else {
        context.moveTo(px - 5, py - 5);
        context.lineTo(px + 5, py + 5);
        context.moveTo(px + 5, py - 5);
        context.lineTo(px - 5, py + 5);
      }
      context.stroke();
    }
  }

  redrawPaths() {
    if (!this.view || !this.size.width) return;
    const context = this.context(this.trails);
    context.clearRect(0, 0, this.size.width, this.size.height);
    const [, end] = agedSegments(0, this.step);
    for (const path of this.paths) this.line(context, path, 0, end, FAINT);
    this.drawHeads();
  }

  drawHeads() {
    if (!this.view || !this.size.width) return;
    const context = this.context(this.heads);
    context.clearRect(0, 0, this.size.width, this.size.height);
    if (this.start) this.mark(context, this.start, 'start');
    for (const path of this.paths) {
      const head = Math.min(this.step, path.x.length - 1);
      if (head < 0) continue;
      for (let k = Math.max(0, head - TAIL); k < head; k++) this.line(context, path, k, k + 1, trailAlpha(head - k - 1));
      const [px, py] = this.at([path.x[head], path.y[head]]);
      if (!Number.isFinite(px) || !Number.isFinite(py)) continue;
      context.globalAlpha = 1;
      context.fillStyle = path.color;
      context.strokeStyle = '#fff';
      context.lineWidth = 1.5;
      context.beginPath();
      context.arc(px, py, 4.5, 0, 2 * Math.PI);
      context.fill();
      context.stroke();
    }
  }

  // Segments [first, end) of `path` (segment i joins its points i and i + 1) as one stroke;
  // a point that is not finite breaks the line.
  line(context, { x, y, color }, first, end, alpha) {
    const last = Math.min(end, x.length - 1);
    if (last <= first) return;
    context.globalAlpha = alpha;
    context.strokeStyle = color;
    context.lineWidth = 2;
    context.lineJoin = 'round';
    context.beginPath();
    let open = false;
    for (let i = first; i <= last; i++) {
      const [px, py] = this.at([x[i], y[i]]);
      if (!Number.isFinite(px) || !Number.isFinite(py)) {
        open = false;
        continue;
      }
      if (open) context.lineTo(px, py);
      else context.moveTo(px, py);
      open = true;
    }
    context.stroke();
    context.globalAlpha = 1;
  }

  at(point) {
    return toCanvas(this.view, this.size, point).map((v) => Math.max(-FAR, Math.min(FAR, v)));
  }

  // Pointer: a press that stays put is a click (a start point); one that moves drags the view.
  listen() {
    let press = null;
    const offset = (event) => {
      const box = this.heads.getBoundingClientRect();
      return [event.clientX - box.left, event.clientY - box.top];
    };
    this.element.addEventListener('pointerdown', (event) => {
      if (!this.view || event.button !== 0) return;
      press = { at: offset(event), view: this.view, dragging: false, id: event.pointerId };
      this.element.setPointerCapture?.(event.pointerId);
    });
    this.element.addEventListener('pointermove', (event) => {
      if (!press || event.pointerId !== press.id) return;
      const [x, y] = offset(event);
      const delta = [x - press.at[0], y - press.at[1]];
      if (!press.dragging && Math.hypot(...delta) < CLICK_SLOP) return;
      press.dragging = true;
      this.element.classList.add('dragging');
      this.view = this.wanted = panned(press.view, this.size, delta);
      this.redraw();
      this.onView(this.view);
    });
    const release = (event) => {
      if (!press || event.pointerId !== press.id) return;
      const { dragging } = press;
      press = null;
      this.element.classList.remove('dragging');
      if (!dragging && event.type === 'pointerup') this.onPick(toPlane(this.view, this.size, offset(event)));
    };
    this.element.addEventListener('pointerup', release);
    this.element.addEventListener('pointercancel', release);
    this.element.addEventListener(
      'wheel',
      (event) => {
        if (!this.view) return;
        event.preventDefault();
        this.view = this.wanted = zoomed(this.view, this.size, offset(event), wheelFactor(event.deltaY), this.limits);
        this.redraw();
        this.onView(this.view);
      },
      { passive: false },
    );
  }
}
