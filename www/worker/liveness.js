// The worker's half of supervision (www/engine.js holds the page's): the page must learn that this
// worker is gone even when it ends without a word (it closed, or the browser killed it). Two
// signals, so that neither is depended on:
// - a Web Lock held for as long as the worker lives, where the browser grants one (not in every
//   browser, and refused where an embed's storage is partitioned or blocked): the page's request
//   for it is granted the moment the worker ends, so the page knows at once;
// - a heartbeat every BEAT_MS, which needs nothing: the page watches it where it has no lock.
// `{ alive: name }` says the lock is held; `{ alive: null }` that there is none to watch.

export const BEAT_MS = 1000;

/** Starts both signals on `scope` (the worker's global scope); `name` names the lock. */
export function announceLife(scope, name) {
  const beat = () => scope.postMessage({ beat: true });
  beat();
  scope.setInterval(beat, BEAT_MS);
  const noLock = () => scope.postMessage({ alive: null });
  const held = () => {
    // Named to the page only once held: a request the page made earlier could be granted first.
    scope.postMessage({ alive: name });
    return new Promise(() => {});
  };
  try {
    const request = scope.navigator?.locks?.request(name, held);
    if (request === undefined) noLock();
    else request.catch(noLock);
  } catch {
    noLock();
  }
}
