// The network drawn as its Linear layers: one block each, with its group, the rate of its last step
// (a bar on a log scale), whether it trains or is frozen (a click toggles its group), and its gradient
// norm and update/weight ratio over time (sparklines; the ratio's healthy band around 1e-3 marked).
import { h } from '../../dom.js';
import { formatRate, formatTick } from '../../format.js';
import { COLORS } from '../../plot.js';
import { decadesAround, logFraction, sparkLines, sparkY } from './timeline.js';

const SVG = 'http://www.w3.org/2000/svg';
/** The rate bar's scale, in decades: 1e-6 (left) to 1 (right). */
export const RATE_RANGE = [1e-6, 1];
/** Update/weight ratios: the sparkline's scale, and the band a healthy layer keeps to (Karpathy's ~1e-3). */
export const RATIO_RANGE = [1e-6, 1e-1];
export const HEALTHY_RATIO = [10 ** -3.5, 10 ** -2.5];
const SPARK = { width: 120, height: 26 };
/** Points a sparkline keeps: the latest. */
const SPARK_POINTS = 160;

function svg(tag, attrs = {}, ...children) {
  const el = document.createElementNS(SVG, tag);
  for (const [name, value] of Object.entries(attrs)) el.setAttribute(name, String(value));
  el.append(...children);
  return el;
}

/**
 * `layers`: the widths ([2, 32, ..., classes]); `groups`: Linear indices per group; `names`: a
 * word per group. `onToggle(group)` when a block is clicked. Returns { element, update({ stats,
 * frozen, history }) } with Session.layerStats() rows, run 0's frozen flags per group and the
 * rows over time ([{ step, stats }]).
 */
export function layerDiagram({ layers, groups, names, onToggle }) {
  const groupOf = (l) => groups.findIndex((g) => g.includes(l));
  const blocks = layers.slice(1).map((width, l) => layerBlock(l, layers[l], width, groupOf(l), names[groupOf(l)], onToggle));
  const element = h(
    'div',
    { class: 'layer-diagram', 'data-testid': 'layer-diagram' },
    h('div', { class: 'layer-io' }, `${layers[0]} inputs`),
    blocks.flatMap((b, i) => [i > 0 ? h('div', { class: 'layer-arrow', 'aria-hidden': 'true' }, '→') : null, b.element]),
    h('div', { class: 'layer-io' }, `${layers.at(-1)} classes`),
  );
  return {
    element,
    update({ stats, frozen, history }) {
      blocks.forEach((b, l) => b.update(stats?.[l] ?? null, frozen?.[groupOf(l)] ?? false, history.slice(-SPARK_POINTS).map((e) => e.stats[l])));
    },
  };
}

function layerBlock(l, inputs, outputs, group, name, onToggle) {
  const color = COLORS[group];
  const rate = h('span', { class: 'layer-rate', 'data-testid': `layer-${l}-rate` });
  const bar = svg('rect', { x: 0, y: 0, height: 8, width: 0, fill: color, rx: 2 });
  const barBox = svg('svg', { viewBox: '0 0 120 8', class: 'rate-bar', preserveAspectRatio: 'none', 'aria-hidden': 'true' }, svg('rect', { x: 0, y: 0, width: 120, height: 8, class: 'rate-track', rx: 2 }), bar);
  const state = h('span', { class: 'layer-state', 'data-testid': `layer-${l}-state` });
  const grad = sparkline(`layer-${l}-grad`, null);
  const ratio = sparkline(`layer-${l}-ratio`, HEALTHY_RATIO);
  const element = h(
    'button',
    { type: 'button', class: 'layer-block', style: `--group-color: ${color}`, 'data-testid': `layer-${l}`, onclick: () => onToggle(group), title: `Click to freeze or unfreeze group ${group} (${name}) from the next step` },
    h('span', { class: 'layer-title' }, h('strong', {}, `Linear ${l}`), ` ${inputs}→${outputs}`),
    h('span', { class: 'layer-group' }, `group ${group} · ${name}`),
    h('span', { class: 'layer-row', title: 'The rate of the last step taken' }, 'last rate ', rate),
    barBox,
    state,
    h('span', { class: 'layer-row' }, '‖∇W‖ ', grad.value),
    grad.element,
    h('span', { class: 'layer-row' }, '‖ΔW‖/‖W‖ ', ratio.value),
    ratio.element,
  );
  return {
    element,
    update(stat, frozen, history) {
      const lr = stat?.lr ?? null;
      rate.textContent = lr === null ? '' : lr === 0 ? '0 (frozen)' : formatRate(lr);
      bar.setAttribute('width', String(120 * logFraction(lr, ...RATE_RANGE)));
      element.setAttribute('aria-pressed', String(frozen));
      element.dataset.frozen = String(frozen);
      state.textContent = frozen ? 'frozen' : 'trains';
      const grads = history.map((s) => s?.grad_norm);
      grad.update(grads, decadesAround(grads), stat?.grad_norm);
      ratio.update(history.map((s) => s?.update_ratio), RATIO_RANGE, stat?.update_ratio);
    },
  };
}

// A sparkline on a log scale; `band` ([lo, hi]) is shaded. `update(values, [lo, hi], latest)`.
function sparkline(testid, band) {
  const { width, height } = SPARK;
  const group = svg('g');
  const shade = band ? svg('rect', { x: 0, width, fill: 'rgba(27, 107, 53, 0.28)' }) : null;
  const element = svg('svg', { viewBox: `0 0 ${width} ${height}`, class: 'sparkline', preserveAspectRatio: 'none', 'data-testid': testid, 'aria-hidden': 'true' }, ...(shade ? [shade] : []), group);
  const value = h('span', { class: 'layer-value' });
  return {
    element,
    value,
    update(values, [lo, hi], latest) {
      if (shade) {
        const top = sparkY(band[1], { height, lo, hi });
        shade.setAttribute('y', String(top));
        shade.setAttribute('height', String(sparkY(band[0], { height, lo, hi }) - top));
      }
      group.replaceChildren(...sparkLines(values, { width, height, lo, hi }).map((points) => svg('polyline', { points, fill: 'none', stroke: 'currentColor', 'stroke-width': 1.4, 'vector-effect': 'non-scaling-stroke' })));
      value.textContent = Number.isFinite(latest) ? formatTick(latest) : '';
    },
  };
}
