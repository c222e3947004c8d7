// A demo's figure as files: PNG (what its canvases show, as laid out), SVG (its charts as vector
// lines and text; other canvases, a heatmap or a surface, as embedded images) and its charts'
// data as CSV (one row per point) or JSON. The figure is whatever is drawn inside an element, so
// every demo gets this without code of its own.
import { chartsIn } from './plot.js';
import { chartColours } from './theme.js';

/** The data of every chart in `element`: [{ title, x, series: [{ label, points: [[x, y], ...] }] }]. */
export function figureData(element) {
  return chartsIn(element).map((u) => ({
    title: u.axes[1]?.label ?? '',
    x: u.axes[0]?.label ?? 'x',
    series: u.series.slice(1).map((s, i) => ({
      label: s.label ?? `series ${i + 1}`,
      points: Array.from(u.data[0] ?? [], (x, k) => [x, u.data[i + 1]?.[k]]).filter(([, y]) => Number.isFinite(y)),
    })),
  }));
}

export function figureJson(element) {
  return `${JSON.stringify({ charts: figureData(element) }, null, 1)}\n`;
}

/** Long form: `chart,series,x,y`, one row per plotted point. */
export function figureCsv(element) {
  const rows = [['chart', 'series', 'x', 'y'].join(',')];
  for (const chart of figureData(element)) {
    for (const s of chart.series) for (const [x, y] of s.points) rows.push([csvCell(chart.title), csvCell(s.label), x, y].join(','));
  }
  return `${rows.join('\n')}\n`;
}

/** The canvases drawn in `element` that are on screen, with their boxes relative to their union. */
function visibleCanvases(element) {
  const canvases = [...element.querySelectorAll('canvas')].filter((c) => c.width > 0 && c.getClientRects().length > 0);
  const boxes = canvases.map((c) => c.getBoundingClientRect());
  const left = Math.min(...boxes.map((b) => b.left));
  const top = Math.min(...boxes.map((b) => b.top));
  const width = Math.max(...boxes.map((b) => b.right)) - left;
  const height = Math.max(...boxes.map((b) => b.bottom)) - top;
  const placed = canvases.map((canvas, i) => ({ canvas, x: boxes[i].left - left, y: boxes[i].top - top, w: boxes[i].width, h: boxes[i].height }));
  return { placed, width: Math.ceil(width || 0), height: Math.ceil(height || 0) };
}

/** The figure as a PNG Blob (null when nothing is drawn), at the screen's pixel density. */
export function figurePng(element) {
  const { placed, width, height } = visibleCanvases(element);
  if (!placed.length) return Promise.resolve(null);
  const scale = globalThis.devicePixelRatio || 1;
  const out = document.createElement('canvas');
  out.width = Math.round(width * scale);
  out.height = Math.round(height * scale);
  const context = out.getContext('2d');
  context.fillStyle = chartColours(element).paper;
  context.fillRect(0, 0, out.width, out.height);
  for (const { canvas, x, y, w, h } of placed) context.drawImage(canvas, x * scale, y * scale, w * scale, h * scale);
  return new Promise((resolve) => out.toBlob(resolve, 'image/png'));
}

/** The figure as SVG text: charts as paths and text, any other canvas as an embedded image. */
export function figureSvg(element) {
  const { placed, width, height } = visibleCanvases(element);
  const { ink, grid, paper } = chartColours(element);
  const charts = new Map(chartsIn(element).map((u) => [u.ctx.canvas, u]));
  const parts = placed.map(({ canvas, x, y, w, h }) => {
    const u = charts.get(canvas);
    if (!u) return `<image x="${x}" y="${y}" width="${w}" height="${h}" href="${canvas.toDataURL('image/png')}"/>`;
    return `<g transform="translate(${x} ${y})">${chartSvg(u, { ink, grid })}</g>`;
  });
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" font-family="system-ui, sans-serif" font-size="11"><rect width="100%" height="100%" fill="${paper}"/>${parts.join('')}</svg>\n`;
}

// One uPlot chart, in its canvas's CSS pixels: the plot box, its ticks' labels, each series' line.
function chartSvg(u, { ink, grid }) {
  const ratio = u.ctx.canvas.width / Math.max(1, u.ctx.canvas.getBoundingClientRect().width);
  const box = { left: u.bbox.left / ratio, top: u.bbox.top / ratio, width: u.bbox.width / ratio, height: u.bbox.height / ratio };
  const out = [`<rect x="${box.left}" y="${box.top}" width="${box.width}" height="${box.height}" fill="none" stroke="${grid}"/>`];
  const [xAxis, yAxis] = u.axes;
  for (const [i, value] of (xAxis?._splits ?? []).entries()) {
    const px = box.left + u.valToPos(value, 'x');
    out.push(`<text x="${px.toFixed(1)}" y="${box.top + box.height + 14}" fill="${ink}" text-anchor="middle">${escapeText(xAxis._values?.[i] ?? '')}</text>`);
  }
  for (const [i, value] of (yAxis?._splits ?? []).entries()) {
    const py = box.top + u.valToPos(value, yAxis.scale ?? 'y');
    out.push(`<line x1="${box.left}" x2="${box.left + box.width}" y1="${py.toFixed(1)}" y2="${py.toFixed(1)}" stroke="${grid}"/>`);
    out.push(`<text x="${box.left - 4}" y="${(py + 4).toFixed(1)}" fill="${ink}" text-anchor="end">${escapeText(yAxis._values?.[i] ?? '')}</text>`);
  }
  if (xAxis?.label) out.push(`<text x="${box.left + box.width / 2}" y="${box.top + box.height + 30}" fill="${ink}" text-anchor="middle">${escapeText(xAxis.label)}</text>`);
  if (yAxis?.label) out.push(`<text transform="translate(12 ${box.top + box.height / 2}) rotate(-90)" fill="${ink}" text-anchor="middle">${escapeText(yAxis.label)}</text>`);
  for (const [i, s] of u.series.entries()) {
    if (i === 0 || s.show === false || typeof s.stroke !== 'function') continue;
    const d = seriesPath(u, i, s.scale ?? 'y', box);
    if (d) out.push(`<path d="${d}" fill="none" stroke="${escapeText(String(s.stroke(u, i)))}" stroke-width="${s.width ?? 1}"><title>${escapeText(s.label ?? '')}</title></path>`);
  }
  return out.join('');
}

// The series' points inside the plot box as an SVG path, broken where a value is missing.
function seriesPath(u, i, scale, box) {
  const xs = u.data[0];
  const ys = u.data[i];
  let d = '';
  let drawing = false;
  for (let k = 0; k < xs.length; k++) {
    if (!Number.isFinite(ys[k]) || !Number.isFinite(xs[k])) {
      drawing = false;
      continue;
    }
    const px = box.left + u.valToPos(xs[k], 'x');
    const py = Math.min(Math.max(box.top + u.valToPos(ys[k], scale), box.top), box.top + box.height);
    d += `${drawing ? 'L' : 'M'}${px.toFixed(1)} ${py.toFixed(1)}`;
    drawing = true;
  }
  return d;
}

function escapeText(text) {
  return String(text).replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/"/g, '&quot;');
}

// RFC 4180: quote a cell holding a comma, quote or line break, doubling inner quotes.
function csvCell(text) {
  const s = String(text);
  return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}
