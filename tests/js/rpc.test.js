import { afterEach, describe, expect, test } from 'vitest';
import { connect, serve } from '../../www/rpc.js';

const channels = [];
function pair(handlers) {
  const channel = new MessageChannel();
  channels.push(channel);
  serve(channel.port1, handlers);
  return connect(channel.port2);
}
afterEach(() => channels.splice(0).forEach((c) => (c.port1.close(), c.port2.close())));

describe('rpc', () => {
  test('returns results, sync or async, with arguments in order', async () => {
    const call = pair({ add: (a, b) => a + b, later: async (x) => x * 2 });
    expect(await call('add', 2, 3)).toBe(5);
    expect(await call('later', 21)).toBe(42);
  });

  test('concurrent calls each get their own answer', async () => {
    const call = pair({ echo: async (x) => new Promise((r) => setTimeout(() => r(x), 10 - x)) });
    expect(await Promise.all([1, 2, 3, 4, 5].map((x) => call('echo', x)))).toEqual([1, 2, 3, 4, 5]);
  });

  test('an error thrown by a handler rejects with the same message', async () => {
    const call = pair({
      bad: () => {
        throw new Error('CyclicLR.step_size_up: must be an integer in [1, 1000000000], got 0');
      },
      rejects: async () => Promise.reject(new Error('async failure')),
    });
    await expect(call('bad')).rejects.toThrow('CyclicLR.step_size_up: must be an integer in [1, 1000000000], got 0');
    await expect(call('rejects')).rejects.toThrow('async failure');
    await expect(call('bad')).rejects.toBeInstanceOf(Error);
  });

  test('an unknown method rejects, inherited names included', async () => {
    const call = pair({});
    await expect(call('nope')).rejects.toThrow('rpc: unknown method nope');
    await expect(call('toString')).rejects.toThrow('rpc: unknown method toString');
  });

  test('typed arrays in results are transferred, not copied', async () => {
    let sent;
    const call = pair({
      sample: () => {
        sent = { lr: new Float64Array([0.1, 0.05]), momentum: null, nested: [new Float32Array(3)] };
        return sent;
      },
    });
    const result = await call('sample');
    expect(Array.from(result.lr)).toEqual([0.1, 0.05]);
    expect(result.momentum).toBeNull();
    expect(result.nested[0]).toBeInstanceOf(Float32Array);
    // Transferred buffers are detached at the sending end.
    expect(sent.lr.buffer.byteLength).toBe(0);
    expect(sent.nested[0].buffer.byteLength).toBe(0);
  });
});
