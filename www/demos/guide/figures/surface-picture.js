// A surface with paths on it, for the guide's figures: Surfaces' map (heat map, contours, minima),
// not interactive, the paths drawn over a few seconds (at once where the reader asked for reduced
// motion). The map takes its place in the figure at once and draws when its grid arrives.
import { h } from '../../../dom.js';
import { lastStep } from '../../surfaces/animation.js';
import { SurfaceMap } from '../../surfaces/map.js';

const GRID = 160;
const DRAW_MS = 3000;

/**
 * An empty map in `box`. Returns { element, draw(engine, { surface, view, start, minima, paths }),
 * destroy() }: `draw` computes `surface` (a name or spec) over `view` ({ x: [lo, hi], y: [lo, hi] }),
 * marks `minima`, and draws `paths` ([{ x, y, color }]) from `start`; it resolves once the surface
 * is drawn, the paths still moving.
 */
export function surfacePicture(box) {
  const map = new SurfaceMap({ testid: 'guide-map', interactive: false });
  const element = h('div', { class: 'guide-map' }, map.element);
  box.append(element);
  let frame = null;
  return {
    element,
    async draw(engine, { surface, view, paths, start, minima = [] }) {
      const grid = await engine.surfaceGrid({ surface, x: view.x, y: view.y, nx: GRID, ny: GRID });
      map.setSurface({ grid: { ...grid, x: view.x, y: view.y }, minima });
      map.setView(view);
      map.setPaths(paths, start);
      const last = lastStep(paths);
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
    },
    destroy() {
      if (frame !== null) cancelAnimationFrame(frame);
      map.destroy();
      element.remove();
    },
  };
}
