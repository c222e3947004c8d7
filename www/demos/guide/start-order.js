// The order in which figures that came near the viewport start: one at a time, the one nearest
// the middle of the viewport first, the next only after a frame has been drawn. Starting a figure
// builds its charts (tens of milliseconds each on a slow machine); a reader who scrolls to a
// figure should see its picture before its neighbours build theirs. One that is no longer near
// when its turn comes (the reader scrolled on) is handed back to `away` instead of started.

/**
 * `start(element)` for each element `add`ed, in turn, while it lies within `margin` px of the
 * viewport, else `away(element)`; `clear()` forgets those still waiting.
 */
export function startInTurn(start, { margin = 0, away = () => {} } = {}) {
  let waiting = [];
  let scheduled = false;

  function next() {
    scheduled = false;
    const middle = innerHeight / 2;
    const boxes = new Map(waiting.map((element) => [element, element.getBoundingClientRect()]));
    const near = (element) => boxes.get(element).bottom >= -margin && boxes.get(element).top <= innerHeight + margin;
    const offset = (element) => Math.abs((boxes.get(element).top + boxes.get(element).bottom) / 2 - middle);
    const gone = waiting.filter((element) => !near(element));
    waiting = waiting.filter(near).sort((a, b) => offset(a) - offset(b));
    gone.forEach(away);
    if (!waiting.length) return;
    start(waiting.shift());
    if (!waiting.length) return;
    // After the next frame is drawn (a timeout queued from within the frame runs after it).
    scheduled = true;
    requestAnimationFrame(() => setTimeout(next));
  }

  return {
    add(elements) {
      waiting.push(...elements);
      if (!scheduled) next();
    },
    clear() {
      waiting = [];
    },
  };
}
