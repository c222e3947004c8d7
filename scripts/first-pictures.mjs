// Times the first picture of every demo and every guide figure, in each form people open them:
// the page (`#demo=<id>`), the iframe embed (`?embed=<id>&lead=picture`), the <lr-playground>
// element, and, for the guide, the bare URL scrolled to each figure. "A picture" is what a reader
// sees: a canvas in the figure painted in at least two colours, or an SVG shape with a size, while
// the figure's box is laid out (not folded away): tests/e2e/first-picture.js. Each load runs in a fresh browser
// context (cold cache). Used by scripts/bench-page.mjs (its `first_demo` section) and, to compare
// two builds in one run, by scripts/bench-first-pictures.mjs.
import { watchPictures } from '../tests/e2e/first-picture.js';
import { median } from '../www/bench/stats.js';

// A picture later than this counts as missing (null): far past the target, and it keeps a run short.
const LOAD_TIMEOUT_MS = 15_000;

/** Every demo, as the page's tabs list them (www/demos/index.js), and where its figure is. */
export const DEMO_FIGURES = {
  schedules: '[data-testid="lr-plot"]',
  train: '[data-testid="loss-plot"]',
  find: '[data-testid="finder-plot"]',
  surfaces: '[data-testid="surface-map"]',
  // The network and its plan: the plan's rates per layer group.
  layers: '[data-testid="rate-plot"]',
};

/** The guide's figures, in the page's order (www/demos/guide/figures/index.js). */
export const GUIDE_FIGURES = ['small-vs-large', 'four-rates', 'range-test', 'saddle', 'clr', 'sgdr', 'recipe', 'discriminative'];

const guidePicture = (id) => `[data-figure="${id}"] .guide-picture`;

/**
 * Every case: { name, path (after the served root), selector, element (attributes of an
 * <lr-playground> to put on a blank page instead of opening `path`), scroll (scroll the figure
 * into view once the page has drawn, and time from then) }.
 */
export function cases() {
  const list = [];
  for (const [demo, selector] of Object.entries(DEMO_FIGURES)) {
    list.push({ name: `${demo}`, path: `index.html#demo=${demo}`, selector });
    list.push({ name: `${demo} iframe embed`, path: `index.html?embed=${demo}&lead=picture#demo=${demo}`, selector });
    list.push({ name: `${demo} element`, element: `demo="${demo}"`, selector });
  }
  for (const id of GUIDE_FIGURES) {
    const selector = guidePicture(id);
    list.push({ name: `guide ${id} scrolled to`, path: 'index.html', selector, scroll: true });
    list.push({ name: `guide ${id} alone`, path: `index.html#demo=guide&figure=${id}`, selector });
    list.push({ name: `guide ${id} iframe embed`, path: `index.html?embed=guide&lead=picture#demo=guide&figure=${id}`, selector });
    list.push({ name: `guide ${id} element`, element: `figure="${id}"`, selector });
  }
  return list;
}

// Runs in the page before its scripts, after watchPictures' script: every frame, asks whether
// `selector` shows a picture and notes the first frame's time in window.__firstPicture.at.
function watchFirstPicture(selector) {
  const marks = (window.__firstPicture = { from: 0 });
  // The time when the check runs: a frame's own timestamp may precede the scroll it shows.
  const tick = () => {
    if (marks.at === undefined && marks.armed !== false && window.__showsPicture(selector)) marks.at = performance.now();
    if (marks.at === undefined) requestAnimationFrame(tick);
  };
  requestAnimationFrame(tick);
}

const elementPage = (script, attributes) => `<!doctype html><meta charset="utf-8"><title>A post</title>
<p>A post about learning rates.</p><script type="module" src="${script}"></script>
<lr-playground ${attributes} loading="eager"></lr-playground>`;

/** One cold load of `c` from the build served at `base`; ms from navigation start (or from the scroll) to the first picture. */
export async function firstPicture(browser, base, c) {
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  try {
    const page = await context.newPage();
    const errors = [];
    page.on('pageerror', (err) => errors.push(err.message));
    await watchPictures(page);
    await page.addInitScript(watchFirstPicture, c.selector);
    let url = `${base}${c.path ?? ''}`;
    if (c.element) {
      url = `${base}first-picture-element.html`;
      await page.route(url, (route) => route.fulfill({ contentType: 'text/html', body: elementPage(`${base}lr-playground.js`, c.element) }));
    }
    if (c.scroll) await page.addInitScript(() => (window.__firstPicture.armed = false));
    await page.goto(url);
    if (c.scroll) {
      await page.waitForFunction(() => window.__lrp?.guide?.renders >= 1, null, { timeout: LOAD_TIMEOUT_MS });
      await page.evaluate((selector) => {
        document.querySelector(selector).scrollIntoView({ block: 'center' });
        Object.assign(window.__firstPicture, { from: performance.now(), armed: true });
      }, c.selector);
    }
    const drawn = await page
      .waitForFunction(() => window.__firstPicture.at !== undefined, null, { timeout: LOAD_TIMEOUT_MS, polling: 50 })
      .then(() => true, () => false);
    if (errors.length) throw new Error(`${c.name}: ${errors.join('; ')}`);
    return drawn ? await page.evaluate(() => window.__firstPicture.at - window.__firstPicture.from) : null;
  } finally {
    await context.close();
  }
}

const round1 = (x) => (x === null ? null : Math.round(x * 10) / 10);
// A load with no picture in time counts as slower than any that had one.
const medianOf = (all) => (all.filter((x) => x === null).length * 2 >= all.length ? null : median(all.map((x) => x ?? Infinity)));

/**
 * Times every case (whose name matches `only`) `loads` times in each build of `bases` ({ label:
 * url }), builds and cases interleaved so drift in the machine's load falls on all of them alike.
 * `log(line)` reports progress. Resolves to { [case]: { [label]: { median_ms, all_ms } } }.
 */
export async function firstPictures(browser, bases, { loads, only = null, log = () => {} }) {
  const chosen = cases().filter((c) => !only || only.test(c.name));
  const times = Object.fromEntries(chosen.map((c) => [c.name, Object.fromEntries(Object.keys(bases).map((label) => [label, []]))]));
  for (let i = 0; i < loads; i++) {
    for (const c of chosen) {
      for (const [label, base] of Object.entries(bases)) {
        log(`${c.name} (${label}): load ${i + 1}/${loads}`);
        times[c.name][label].push(await firstPicture(browser, base, c));
      }
    }
  }
  const result = {};
  for (const [name, byBuild] of Object.entries(times)) {
    result[name] = Object.fromEntries(Object.entries(byBuild).map(([label, all]) => [label, { median_ms: round1(medianOf(all)), all_ms: all.map(round1) }]));
  }
  return result;
}
