// A surface with paths on it, for the guide's figures: Surfaces' map (heat map, contours, minima),
// not interactive, the paths drawn over a few seconds (at once where the reader asked for reduced
// motion).
import { h } from '../../../dom.js';
import { lastStep } from '../../surfaces/animation.js';
import { SurfaceMap } from '../../surfaces/map.js';

const GRID = 160;
const DRAW_MS = 3000;

/**
 * Draws `surface` (a name or spec) over `view` ({ x: [lo, hi], y: [lo, hi] }) in `box`, with
 * `paths` ([{ x, y, color }]) from `start`, and `minima` marked. Returns { element, destroy() }.
 */
export async function surfacePicture(engine, box, { surface, view, paths, start, minima = [] }) {
  const map = new SurfaceMap({ testid: 'guide-map', interactive: false });
  const element = h('div', { class: 'guide-map' }, map.element);
  box.append(element);
  const grid = await engine.surfaceGrid({ surface, x: view.x, y: view.y, nx: GRID, ny: GRID });
  map.setSurface({ grid: { ...grid, x: view.x, y: view.y }, minima });
  map.setView(view);
  map.setPaths(paths, start);
  const last = lastStep(paths);
  let frame = null;
  if (matchMedia('(prefers-reduced-motion: reduce)').matches) map.drawTo(last);
  else {
    const begin = performance.now();
    const tick = (now) => {
      const done = Math.min(1, (now - begin) / DRAW_MS);
      map.drawTo(done * last);
      frame = done < 1 ? requestAnimationFrame(tick) : null;
    };
    frame = requestAnimationFrame(tick);
  }
  return {
    element,
    destroy() {
      if (frame !== null) cancelAnimationFrame(frame);
      map.destroy();
      element.remove();
    },
  };
}
