// "The network's landscape" on the page: the loss around the trained network's parameters along
// two random directions, beside the loss on the plane of its training path's two principal
// components with the path drawn on it, and the training loss. network.js does the work.
import { h } from '../../dom.js';
import { formatTick } from '../../format.js';
import { COLORS, LinePlot } from '../../plot.js';
import { Tickets } from '../../tickets.js';
import { lazyFigure } from './lazy-figure.js';
import { SurfaceMap } from './map.js';
import { exploreLandscape, GRID, NETWORK, SPAN, TRAIN_STEPS } from './network.js';

/**
 * `backend()`: the Session backend the network trains on (the page's `backend` key). Returns
 * lazyFigure's { picture, results, show(visible), run(), exposed(), destroy() }: the
 * elements for the demo's picture and results regions, and the figure's life. It runs when first
 * shown.
 */
export function networkView(engine, { embedded, backend = () => 'auto', onError, onDone }) {
  const randomMap = new SurfaceMap({ testid: 'landscape-random', interactive: false });
  const planeMap = new SurfaceMap({ testid: 'landscape-pca', interactive: false });
  const randomCaption = h('figcaption', {}, 'Around the trained parameters (○) along two random filter-normalised directions (Li et al. 2018).');
  const planeCaption = h('figcaption', { 'data-testid': 'landscape-pca-caption' }, 'The plane of the training path’s two principal components, with the path.');
  const lossBox = h('div', { class: 'plot', 'data-testid': 'landscape-loss-plot' });
  const progress = h('p', { class: 'counter', 'data-testid': 'landscape-progress' });
  const text = h('p', { class: 'landscape-text', 'data-testid': 'landscape-text' });
  const picture = h(
    'div',
    { class: 'network-picture', hidden: true, 'data-testid': 'landscape' },
    h('figure', {}, randomMap.element, randomCaption),
    h('figure', {}, planeMap.element, planeCaption),
  );
  const results = h('div', { hidden: true }, progress, text, lossBox);
  const plot = new LinePlot(lossBox, { height: embedded ? 150 : 200, yLabel: 'training loss' });
  const tickets = new Tickets();
  let running = false;
  let drawn = null;
  const figure = lazyFigure({
    picture,
    results,
    run,
    stop: () => tickets.revoke(),
    status: () => ({ running, drawn }),
    destroy() {
      tickets.revoke();
      randomMap.destroy();
      planeMap.destroy();
      plot.destroy();
    },
  });

  async function run() {
    const newest = tickets.issue();
    const current = () => newest() && figure.visible();
    running = true;
    progress.textContent = `Training the ${NETWORK.layers.join('-')} network on the ${NETWORK.data.kind}…`;
    try {
      const found = await exploreLandscape(engine, { backend: backend(), current, onProgress: (steps) => (progress.textContent = `Training: step ${steps} of ${TRAIN_STEPS}`) });
      if (found) draw(found);
    } catch (err) {
      if (current()) onError(err);
    } finally {
      if (newest()) running = false;
    }
  }

  function draw({ losses, landscape, projection, snapshots }) {
    const range = landscape.coords?.length ? [landscape.coords[0], landscape.coords.at(-1)] : [-SPAN, SPAN];
    const random = { values: landscape.loss, nx: landscape.grid, ny: landscape.grid, x: range, y: range };
    randomMap.setSurface({ grid: random, minima: [[0, 0]] });
    randomMap.setView({ x: range, y: range });
    const plane = { values: projection.loss, nx: projection.grid, ny: projection.grid, x: projection.x_range, y: projection.y_range };
    const end = [projection.x.at(-1), projection.y.at(-1)];
    // Both axes are distances in parameter space, drawn to the same scale: the map takes the
    // plane's shape (within reason) rather than grey bands around it.
    const aspect = (projection.x_range[1] - projection.x_range[0]) / (projection.y_range[1] - projection.y_range[0]);
    planeMap.element.style.aspectRatio = String(Math.min(2.5, Math.max(1, aspect)));
    planeMap.setSurface({ grid: plane, minima: [end] });
    planeMap.setView({ x: projection.x_range, y: projection.y_range });
    planeMap.setPaths([{ x: projection.x, y: projection.y, color: COLORS[1] }]);
    planeMap.drawTo(projection.x.length - 1);
    const [r1, r2] = projection.explained.map((r) => `${formatTick(100 * r)}%`);
    planeCaption.textContent = `The plane of the training path’s two principal components (they explain ${r1} and ${r2} of its variance), with the path from its start to the trained parameters (○).`;
    progress.textContent = '';
    text.textContent =
      `Left: the loss of the ${NETWORK.layers.join('-')} network, trained ${TRAIN_STEPS} steps, at ${GRID} × ${GRID} points within ±${SPAN} along two random directions scaled to each filter's norm; at the centre, the trained parameters, the loss is ${formatTick(landscape.center_loss)}. ` +
      `Right: the loss over the plane through the trained parameters spanned by the first two principal components of the ${snapshots} parameter snapshots taken while training (every ${TRAIN_STEPS / (snapshots - 1)} steps), which explain ${r1} and ${r2} of their variance; the line is the path the parameters took, projected.`;
    plot.draw({ steps: losses.length, series: [{ label: 'training loss', color: COLORS[0], values: losses }], log: true });
    drawn = { steps: losses.length, snapshots, explained: projection.explained, centerLoss: landscape.center_loss, grid: landscape.grid };
    onDone();
  }

  return figure;
}
