import { afterEach, describe, expect, test } from 'vitest';
import { connect, expose, remote, wrap } from '../../www/rpc.js';

const channels = [];
function pair(api) {
  const channel = new MessageChannel();
  channels.push(channel);
  expose(api, channel.port1);
  return wrap(channel.port2);
}
afterEach(() => channels.splice(0).forEach((c) => (c.port1.close(), c.port2.close())));

// A worker as the page sees it: messages out, and events ('error') that the test fires.
class FakeWorker extends EventTarget {
  sent = [];
  postMessage(message) {
    structuredClone(message);
    this.sent.push(message);
  }
  crash(message) {
    this.dispatchEvent(Object.assign(new Event('error', { cancelable: true }), { message }));
  }
}

// The engine's Errors name the option at fault in `field`.
const fieldError = (message, field) => Object.assign(new Error(message), { field });

describe('rpc', () => {
  test('returns results, sync or async, with arguments in order', async () => {
    const engine = pair({ add: (a, b) => a + b, later: async (x) => x * 2 });
    expect(await engine.add(2, 3)).toBe(5);
    expect(await engine.later(21)).toBe(42);
  });

  test('nested objects are namespaces, and methods keep their `this`', async () => {
    const engine = pair({
      session: {
        runs: 3,
        step(id, n) {
          return { id, n, runs: this.runs };
        },
      },
    });
    expect(await engine.session.step('a', 16)).toEqual({ id: 'a', n: 16, runs: 3 });
  });

  test('concurrent calls each get their own answer', async () => {
    const engine = pair({ echo: async (x) => new Promise((r) => setTimeout(() => r(x), 10 - x)) });
    expect(await Promise.all([1, 2, 3, 4, 5].map((x) => engine.echo(x)))).toEqual([1, 2, 3, 4, 5]);
  });

  test("a thrown Error rejects as an Error with the same message and the engine's field", async () => {
    const engine = pair({
      create: () => {
        throw fieldError('options.batch_size: must be an integer in [1, 320], got 0', 'batch_size');
      },
      schedule: async () => Promise.reject(fieldError('SequentialLR.schedules[1].gamma: must be in (0, 1], got 2', 'schedules[1].gamma')),
      plain: () => {
        throw new RangeError('no field here');
      },
      text: () => {
        throw 'a bare string';
      },
    });
    const err = await engine.create().catch((e) => e);
    expect(err).toBeInstanceOf(Error);
    expect(err.message).toBe('options.batch_size: must be an integer in [1, 320], got 0');
    expect(err.field).toBe('batch_size');
    await expect(engine.schedule()).rejects.toMatchObject({ message: 'SequentialLR.schedules[1].gamma: must be in (0, 1], got 2', field: 'schedules[1].gamma' });
    const plain = await engine.plain().catch((e) => e);
    expect(plain).toMatchObject({ name: 'RangeError', message: 'no field here' });
    expect(plain).not.toHaveProperty('field');
    await expect(engine.text()).rejects.toThrow('a bare string');
  });

  test('an unknown method rejects, inherited and nested names included', async () => {
    const engine = pair({ session: { step: () => 1 }, count: 3 });
    await expect(engine.nope()).rejects.toThrow('rpc: unknown method nope');
    await expect(engine.toString()).rejects.toThrow('rpc: unknown method toString');
    await expect(engine.constructor()).rejects.toThrow('rpc: unknown method constructor');
    await expect(engine.session.__proto__.step()).rejects.toThrow('rpc: unknown method session.__proto__.step');
    await expect(engine.session.nope.deeper()).rejects.toThrow('rpc: unknown method session.nope.deeper');
    await expect(engine.count()).rejects.toThrow('rpc: unknown method count');
  });

  test('typed arrays in results are transferred, not copied', async () => {
    let sent;
    const engine = pair({
      sample: () => {
        sent = { lr: new Float64Array([0.1, 0.05]), momentum: null, nested: [new Float32Array(3)], same: null };
        sent.same = sent.lr.subarray(1);
        return sent;
      },
    });
    const result = await engine.sample();
    expect(Array.from(result.lr)).toEqual([0.1, 0.05]);
    expect(result.momentum).toBeNull();
    expect(result.nested[0]).toBeInstanceOf(Float32Array);
    expect(Array.from(result.same)).toEqual([0.05]);
    // Transferred buffers are detached at the sending end (a view sharing one is sent once).
    expect(sent.lr.buffer.byteLength).toBe(0);
    expect(sent.nested[0].buffer.byteLength).toBe(0);
  });

  test('a failing worker rejects the calls waiting on it and every later call, and says so once', async () => {
    const worker = new FakeWorker();
    const failures = [];
    const engine = remote(connect(worker, { onFailure: (err) => failures.push(err.message) }));
    const waiting = [engine.sample({ kind: 'Constant' }, 10), engine.session.step('a', 16)];
    expect(worker.sent.map((m) => m.path)).toEqual([['sample'], ['session', 'step']]);
    worker.crash('Uncaught RuntimeError: unreachable');
    for (const call of waiting) await expect(call).rejects.toThrow('engine worker failed: Uncaught RuntimeError: unreachable');
    await expect(engine.kinds()).rejects.toThrow('engine worker failed');
    expect(worker.sent).toHaveLength(2);
    expect(failures).toEqual(['engine worker failed: Uncaught RuntimeError: unreachable']);
  });

  test('a worker that cannot load: the error event has no message', async () => {
    const worker = new FakeWorker();
    const engine = remote(connect(worker));
    const call = engine.kinds();
    worker.dispatchEvent(new Event('error'));
    await expect(call).rejects.toThrow('engine worker failed: could not load');
  });

  test('arguments that cannot be sent reject that call alone', async () => {
    const engine = pair({ echo: (x) => x });
    await expect(engine.echo({ nested: () => {} })).rejects.toThrow(/could not be cloned/);
    expect(await engine.echo('still fine')).toBe('still fine');
  });

  test('a function argument is called back with what the callee passes it, before the answer arrives', async () => {
    const engine = pair({
      async count(n, onProgress, label) {
        for (let i = 0; i < n; i++) onProgress({ i, label }, new Float64Array([i]));
        return 'done';
      },
    });
    const seen = [];
    const answer = await engine.count(3, (progress, values) => seen.push([progress, Array.from(values)]), 'x');
    expect(answer).toBe('done');
    expect(seen).toEqual([
      [{ i: 0, label: 'x' }, [0]],
      [{ i: 1, label: 'x' }, [1]],
      [{ i: 2, label: 'x' }, [2]],
    ]);
  });

  test('callbacks of concurrent calls stay with their own call, and a late one is dropped', async () => {
    let keep;
    const engine = pair({
      async tick(tag, onTick) {
        keep ??= onTick;
        onTick(tag);
        return tag;
      },
    });
    const a = [];
    const b = [];
    expect(await Promise.all([engine.tick('a', (t) => a.push(t)), engine.tick('b', (t) => b.push(t))])).toEqual(['a', 'b']);
    keep('late');
    expect(await engine.tick('c', () => {})).toBe('c');
    expect(a).toEqual(['a']);
    expect(b).toEqual(['b']);
  });

  test("an AbortSignal argument aborts the callee's signal when the caller's aborts", async () => {
    const engine = pair({
      async count(onTick, signal) {
        let n = 0;
        while (!signal.aborted) {
          onTick(++n);
          await new Promise((resolve) => setTimeout(resolve, 1));
        }
        return n;
      },
      async already(signal) {
        await new Promise((resolve) => setTimeout(resolve, 5));
        return signal.aborted;
      },
    });
    const controller = new AbortController();
    const counted = engine.count((n) => n === 3 && controller.abort(), controller.signal);
    expect(await counted).toBeGreaterThanOrEqual(3);
    expect(await engine.already(controller.signal)).toBe(true);
    expect(await engine.already(new AbortController().signal)).toBe(false);
  });

  test('the proxy is not thenable: awaiting it gives the proxy, not a remote call', async () => {
    const engine = remote(() => Promise.reject(new Error('no call expected')));
    expect(await Promise.resolve(engine)).toBe(engine);
    expect(engine[Symbol.toPrimitive]).toBeUndefined();
  });
});

test('a message that is no call (the engine module a worker is handed at its start) is left to other listeners', async () => {
  const channel = new MessageChannel();
  channels.push(channel);
  expose({ kinds: () => ['Constant'] }, channel.port1);
  const answers = [];
  channel.port2.addEventListener('message', ({ data }) => answers.push(data));
  channel.port2.start();
  channel.port2.postMessage({ engineModule: null });
  const engine = wrap(channel.port2);
  expect(await engine.kinds()).toEqual(['Constant']);
  expect(answers).toEqual([{ id: 0, result: ['Constant'] }]);
});
