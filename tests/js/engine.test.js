import { afterEach, beforeEach, describe, expect, test, vi } from 'vitest';
import { startEngine } from '../../www/engine.js';

// Workers as the page sees them: messages out, and what the test makes them say or do.
const workers = [];
class FakeWorker extends EventTarget {
  sent = [];
  terminated = false;
  constructor() {
    super();
    workers.push(this);
  }
  postMessage(message) {
    this.sent.push(message);
  }
  terminate() {
    this.terminated = true;
  }
  /** The worker has loaded: it names the lock it holds while it lives. */
  start() {
    this.dispatchEvent(new MessageEvent('message', { data: { alive: `lock-${workers.indexOf(this)}` } }));
  }
  answer(result) {
    // The last call sent (the engine's module is sent too, but is no call).
    const { id } = this.sent.findLast((message) => 'path' in message);
    this.dispatchEvent(new MessageEvent('message', { data: { id, result } }));
  }
  crash(message) {
    this.dispatchEvent(Object.assign(new Event('error', { cancelable: true }), { message }));
  }
}

// navigator.locks: a request is granted once its holder lets go (a worker that is gone).
const waiting = new Map();
const locks = { request: (name, granted) => new Promise((resolve) => waiting.set(name, () => resolve(granted()))) };
const release = (name) => waiting.get(name)();

beforeEach(() => {
  vi.stubGlobal('Worker', FakeWorker);
  vi.stubGlobal('navigator', { locks });
});
afterEach(() => {
  vi.unstubAllGlobals();
  workers.length = 0;
  waiting.clear();
});

const flush = () => new Promise((resolve) => setTimeout(resolve));

describe('startEngine supervises its worker', () => {
  test('a worker that crashes mid-call: the call rejects, a new worker starts at once and the page is told', async () => {
    const onRestart = vi.fn();
    const engine = startEngine({ onRestart });
    const first = engine.session.step('a', 16);
    workers[0].start();
    workers[0].crash('boom');
    await expect(first).rejects.toThrow('engine worker failed: boom');
    expect(workers[0].terminated).toBe(true);
    await flush();
    expect(workers).toHaveLength(2);
    expect(onRestart).toHaveBeenCalledOnce();
    expect(onRestart.mock.calls[0][0].message).toBe('engine worker failed: boom');
    // The new worker answers the next call.
    const next = engine.kinds();
    workers[1].answer(['Constant']);
    expect(await next).toEqual(['Constant']);
  });

  test('a worker that stops without a word (its lock is freed) counts as a crash', async () => {
    const onRestart = vi.fn();
    const engine = startEngine({ onRestart });
    const pending = engine.session.step('a', 16);
    workers[0].start();
    release('lock-0');
    await expect(pending).rejects.toThrow('engine worker failed: it stopped');
    await flush();
    expect(workers).toHaveLength(2);
    expect(onRestart).toHaveBeenCalledOnce();
  });

  test('a worker the page terminated itself is not reported when its lock is freed', async () => {
    const onRestart = vi.fn();
    const engine = startEngine({ onRestart });
    engine.kinds().catch(() => {});
    workers[0].start();
    workers[0].crash('boom');
    await flush();
    release('lock-0');
    await flush();
    expect(onRestart).toHaveBeenCalledOnce();
    expect(workers).toHaveLength(2);
  });

  test('a worker that never loads is not restarted in a loop: the next call tries again', async () => {
    const onRestart = vi.fn();
    const engine = startEngine({ onRestart });
    const first = engine.kinds();
    workers[0].crash('');
    await expect(first).rejects.toThrow('engine worker failed: could not load');
    await flush();
    expect(workers).toHaveLength(1);
    const again = engine.kinds();
    expect(workers).toHaveLength(2);
    workers[1].answer([]);
    expect(await again).toEqual([]);
    await flush();
    expect(onRestart).toHaveBeenCalledWith(null);
  });

  test('after three quick crashes the engine waits for the next call instead of restarting', async () => {
    const onRestart = vi.fn();
    const engine = startEngine({ onRestart });
    engine.kinds().catch(() => {});
    for (let i = 0; i < 4; i++) {
      workers[i].start();
      workers[i].crash('boom');
      await flush();
    }
    expect(workers).toHaveLength(4);
    expect(onRestart).toHaveBeenCalledTimes(3);
    engine.kinds().catch(() => {});
    expect(workers).toHaveLength(5);
  });
});

describe('supervision does not depend on Web Locks', () => {
  const beat = (worker) => worker.dispatchEvent(new MessageEvent('message', { data: { beat: true } }));
  const noLock = (worker) => worker.dispatchEvent(new MessageEvent('message', { data: { alive: null } }));

  test('without navigator.locks a crash still restarts the worker (it had started: it beat)', async () => {
    vi.stubGlobal('navigator', {});
    const onRestart = vi.fn();
    const engine = startEngine({ onRestart });
    const pending = engine.kinds();
    beat(workers[0]);
    noLock(workers[0]);
    workers[0].crash('boom');
    await expect(pending).rejects.toThrow('engine worker failed: boom');
    await flush();
    expect(workers).toHaveLength(2);
    expect(onRestart).toHaveBeenCalledOnce();
  });

  test.each([
    ['missing', {}],
    ['throwing a SecurityError', { locks: { request: () => { throw new DOMException('denied', 'SecurityError'); } } }],
    ['rejecting with a SecurityError', { locks: { request: () => Promise.reject(new DOMException('denied', 'SecurityError')) } }],
  ])('with navigator.locks %s, a worker that falls silent is found out by its missing heartbeat', async (_, nav) => {
    vi.useFakeTimers();
    try {
      vi.stubGlobal('navigator', nav);
      const onRestart = vi.fn();
      const engine = startEngine({ onRestart });
      const pending = engine.session.step('a', 16);
      const settled = vi.fn();
      pending.catch(settled);
      workers[0].start();
      // Beating: alive however long the call takes.
      for (let s = 0; s < 30; s++) {
        beat(workers[0]);
        await vi.advanceTimersByTimeAsync(1000);
      }
      expect(settled).not.toHaveBeenCalled();
      expect(workers).toHaveLength(1);
      // Silent (closed, or killed by the browser): the call rejects and a new worker starts.
      await vi.advanceTimersByTimeAsync(20_000);
      await expect(pending).rejects.toThrow('engine worker failed: it stopped');
      expect(workers).toHaveLength(2);
      expect(workers[0].terminated).toBe(true);
      expect(onRestart).toHaveBeenCalledOnce();
    } finally {
      vi.useRealTimers();
    }
  });

  test('where the lock works, the heartbeat is not watched: a long silent call is not an end', async () => {
    vi.useFakeTimers();
    try {
      const onRestart = vi.fn();
      const engine = startEngine({ onRestart });
      const pending = engine.kinds();
      workers[0].start();
      await vi.advanceTimersByTimeAsync(120_000);
      workers[0].answer(['Constant']);
      expect(await pending).toEqual(['Constant']);
      expect(onRestart).not.toHaveBeenCalled();
    } finally {
      vi.useRealTimers();
    }
  });
});

describe('startEngine hands the page-compiled engine to its workers', () => {
  test('every worker it starts, the first and each replacement, is sent the one compiled module', async () => {
    const compiled = { compiled: 'engine' };
    let compiles = 0;
    const engine = startEngine({ engineModule: (compiles++, Promise.resolve(compiled)) });
    engine.kinds().catch(() => {});
    await flush();
    expect(workers[0].sent).toContainEqual({ engineModule: compiled });
    workers[0].start();
    workers[0].crash('boom');
    await flush();
    expect(workers).toHaveLength(2);
    expect(workers[1].sent).toContainEqual({ engineModule: compiled });
    expect(compiles).toBe(1);
  });

  test('where the page could not compile it, the worker is told to fetch it itself', async () => {
    const engine = startEngine({ engineModule: Promise.resolve(null) });
    engine.kinds().catch(() => {});
    await flush();
    expect(workers[0].sent).toContainEqual({ engineModule: null });
  });

  test('a module the browser cannot send to a worker: the worker fetches it itself', async () => {
    class NoModuleWorker extends FakeWorker {
      postMessage(message) {
        if (message.engineModule) throw new DOMException('cannot clone', 'DataCloneError');
        super.postMessage(message);
      }
    }
    vi.stubGlobal('Worker', NoModuleWorker);
    const engine = startEngine({ engineModule: Promise.resolve({ compiled: 'engine' }) });
    engine.kinds().catch(() => {});
    await flush();
    expect(workers[0].sent).toContainEqual({ engineModule: null });
  });
});
