// Requests whose answers count only while they are the newest: the view is dragged, a start point
// clicked again, a preset changed, and the answer to an older request must not overwrite the
// newer one's (the worker answers in order, but a page may ask again before it answers).
import { Tickets } from '../../tickets.js';

/**
 * `ask(...args)` calls `run(...args)` and resolves to { value }, or to null when a later `ask`
 * (or `cancel()`) came meanwhile; a refusal is thrown only while its request is the newest.
 */
export function newestOnly(run) {
  const tickets = new Tickets();
  const ask = async (...args) => {
    const current = tickets.issue();
    try {
      const value = await run(...args);
      return current() ? { value } : null;
    } catch (err) {
      if (current()) throw err;
      return null;
    }
  };
  ask.cancel = () => tickets.revoke();
  return ask;
}

/** `call(...args)` after `ms` without another call; `cancel()` drops the one waiting. */
export function debounced(call, ms) {
  let timer = null;
  const later = (...args) => {
    clearTimeout(timer);
    timer = setTimeout(() => {
      timer = null;
      call(...args);
    }, ms);
  };
  later.cancel = () => clearTimeout(timer);
  return later;
}
