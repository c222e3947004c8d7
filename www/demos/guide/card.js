// One guide figure on the page: its claim, a live picture computed the first time it comes near
// the viewport, the sentence the page found, and a link to the demo that explores it. The picture
// has a text alternative that says what it shows and what was found.
import { h } from '../../dom.js';
import { errorText } from '../../messages.js';

/**
 * `figure`: a figures/ module (its `run` hands what it draws to `keep(thing)`, even before its answer: the card destroys it); `href`: its demo's link; `onDrawn(finding)` once it is drawn.
 * Returns { element, start(), stop() }.
 */
export function figureCard(figure, { engine, href, onDrawn }) {
  const titleId = `guide-${figure.id}-title`;
  const picture = h('div', { class: 'guide-picture', role: 'img', 'aria-label': `${figure.title}: computing…` });
  const status = h('p', { class: 'guide-status', role: 'status' }, 'Computed when you scroll here.');
  const finding = h('p', { class: 'guide-finding', 'aria-live': 'polite' });
  const element = h(
    'article',
    { class: 'guide-figure', 'data-figure': figure.id, 'aria-labelledby': titleId },
    h('h3', { id: titleId }, figure.title),
    h('p', { class: 'guide-claim' }, figure.claim),
    picture,
    status,
    finding,
    h('a', { class: 'guide-open', href, 'data-testid': `open-${figure.id}` }, 'Open in its demo →'),
  );
  let controller = null;
  let drawn = null;
  // What the drawn figure made (its charts, its map: each handed to keep()), destroyed when it stops.
  let kept = [];
  const destroyAll = (things) => things.splice(0).forEach((thing) => thing.destroy());

  async function start() {
    if (controller || drawn) return;
    const own = new AbortController();
    controller = own;
    status.textContent = 'Computing…';
    // What this run draws, from before its answer on: destroyed once the run has settled, unless it is drawn.
    const mine = [];
    const keep = (thing) => (mine.push(thing), thing);
    try {
      const result = await figure.run({ engine, box: picture, signal: own.signal, keep, progress: (text) => own === controller && (status.textContent = text) });
      if (own !== controller || result === null) {
        destroyAll(mine);
        return;
      }
      drawn = result;
      kept = mine;
      element.dataset.state = 'drawn';
      status.textContent = '';
      finding.textContent = result.finding;
      picture.setAttribute('aria-label', result.alt);
      onDrawn(result.finding);
    } catch (err) {
      destroyAll(mine);
      if (own !== controller) return;
      element.dataset.state = 'error';
      status.textContent = `This figure could not be computed: ${errorText(err)}`;
    } finally {
      if (own === controller) controller = null;
    }
  }

  function stop() {
    controller?.abort();
    controller = null;
    drawn = null;
    destroyAll(kept);
  }

  return { element, start, stop };
}
