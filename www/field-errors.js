// Engine errors name the option at fault in `error.field`, a path into what the page sent:
// "batch_size", "data.noise", "optimizer.momentum", "runs[0].schedule.step_size_up" (Session
// options), or "step_size_up", "schedules[1].gamma" (a schedule spec). An error goes under the
// control for that path, its message in words (messages.js); the text is never parsed.

import { errorText } from './messages.js';

/**
 * Where `field` lies relative to `path`: the rest of it below `path` ('' when they are equal), or
 * null when it lies elsewhere. "runs[0].schedule.gamma" below "runs[0].schedule" is "gamma";
 * "layers[2]" below "layers" is "[2]"; "data.noise" is not below "data.n".
 */
export function below(field, path) {
  if (field === path) return '';
  const next = field[path.length];
  if (!field.startsWith(path) || (next !== '.' && next !== '[')) return null;
  return field.slice(path.length + (next === '.' ? 1 : 0));
}

/** A place for a control (fieldControl's): it shows the error's message in words, or nothing for null. */
export function controlPlace(control) {
  return (error) => control.showError(error ? errorText({ message: error.message, field: error.path ?? error.field }) : null);
}

/**
 * Puts `error` in its place: `places` maps paths to `showError(error | null)`. Every place is
 * cleared, then the one whose path holds `error.field` (the longest, so "optimizer.betas" wins
 * over "optimizer") gets the error with its `field` made relative to that path (`path`: the whole one). Returns whether a
 * place took it; `placeError(places, null)` only clears.
 */
export function placeError(places, error) {
  return placeErrors(places, error ? [error] : []).length === 0 && Boolean(error);
}

/**
 * Puts each of `errors` in its place (as placeError, several at once: every place is cleared,
 * then each error goes to the longest path that holds its field). Returns the errors no place took.
 */
export function placeErrors(places, errors) {
  const shown = new Map();
  const left = errors.filter((error) => {
    const field = typeof error?.field === 'string' ? error.field : null;
    let best = null;
    for (const path of places.keys()) {
      if (field !== null && below(field, path) !== null && (best === null || path.length > best.length)) best = path;
    }
    if (best !== null && !shown.has(best)) shown.set(best, Object.assign(new Error(error.message), { field: below(field, best), path: field }));
    return best === null;
  });
  for (const [path, showError] of places) showError(shown.get(path) ?? null);
  return left;
}
