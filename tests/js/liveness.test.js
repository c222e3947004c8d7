import { afterEach, describe, expect, test, vi } from 'vitest';
import { BEAT_MS, announceLife } from '../../www/worker/liveness.js';
import { randomId } from '../../www/worker/random-id.js';

// A worker's global scope as liveness.js uses it: messages out, timers, and a navigator.
function scope(navigator) {
  return { sent: [], navigator, setInterval, postMessage(message) { this.sent.push(message); } };
}

afterEach(() => vi.useRealTimers());

describe("the worker's signs of life", () => {
  test('with a lock: it beats at once and says the lock is held', async () => {
    vi.useFakeTimers();
    const held = [];
    const worker = scope({ locks: { request: (name, granted) => (held.push(name), granted()) } });
    announceLife(worker, 'lock-a');
    await vi.advanceTimersByTimeAsync(2 * BEAT_MS);
    expect(held).toEqual(['lock-a']);
    expect(worker.sent).toEqual([{ beat: true }, { alive: 'lock-a' }, { beat: true }, { beat: true }]);
  });

  test.each([
    ['missing', {}],
    ['throwing', { locks: { request: () => { throw new DOMException('denied', 'SecurityError'); } } }],
    ['rejecting', { locks: { request: () => Promise.reject(new DOMException('denied', 'SecurityError')) } }],
  ])('with navigator.locks %s: no error escapes, and it says there is no lock to watch', async (_, navigator) => {
    vi.useFakeTimers();
    const worker = scope(navigator);
    announceLife(worker, 'lock-b');
    await vi.advanceTimersByTimeAsync(BEAT_MS);
    expect(worker.sent).toEqual([{ beat: true }, { alive: null }, { beat: true }]);
  });
});

test('random ids need no secure context (no crypto.randomUUID) and do not repeat', () => {
  vi.stubGlobal('crypto', { getRandomValues: globalThis.crypto.getRandomValues.bind(globalThis.crypto) });
  try {
    const ids = new Set(Array.from({ length: 1000 }, randomId));
    expect(ids.size).toBe(1000);
    for (const id of ids) expect(id).toMatch(/^[0-9a-f]{32}$/);
  } finally {
    vi.unstubAllGlobals();
  }
});
