// The order in which figures that came near the viewport start: one at a time, the one nearest
// the middle of the viewport first, the next only after a frame has been drawn. Starting a figure
// builds its charts (tens of milliseconds each on a slow machine); a reader who scrolls to a
// figure should see its picture before its neighbours build theirs.

/** `start(element)` for each element `add`ed, in turn; `clear()` forgets those still waiting. */
export function startInTurn(start) {
  let waiting = [];
  let scheduled = false;

  function next() {
    scheduled = false;
    if (!waiting.length) return;
    const middle = innerHeight / 2;
    const offset = (element) => {
      const box = element.getBoundingClientRect();
      return Math.abs((box.top + box.bottom) / 2 - middle);
    };
    waiting.sort((a, b) => offset(a) - offset(b));
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
