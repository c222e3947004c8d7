import { describe, expect, test, vi } from 'vitest';
import { failOnTrap } from '../../www/worker/trap-guard.js';

describe('failOnTrap', () => {
  test('a trap rejects the call and fails the worker; an ordinary error only rejects the call', async () => {
    const fail = vi.fn();
    const api = failOnTrap(
      {
        session: {
          step: () => {
            throw new WebAssembly.RuntimeError('unreachable');
          },
          later: async () => {
            throw new WebAssembly.RuntimeError('memory access out of bounds');
          },
          owed: async () => {
            throw new Error('the engine instance is broken (a wasm trap: a panic or an allocation that failed) and must be reloaded');
          },
        },
        validate: () => {
          throw Object.assign(new Error('lr: must be a finite number'), { field: 'lr' });
        },
        kinds: async () => ['Constant'],
      },
      fail,
    );
    await expect(api.session.step('a', 1)).rejects.toThrow('unreachable');
    await expect(api.session.later()).rejects.toThrow('memory access out of bounds');
    await expect(api.session.owed()).rejects.toThrow(/^the engine instance is broken/);
    expect(fail).toHaveBeenCalledTimes(3);
    await expect(api.validate({})).rejects.toMatchObject({ field: 'lr' });
    expect(await api.kinds()).toEqual(['Constant']);
    expect(fail).toHaveBeenCalledTimes(3);
  });

  test('by default a trap becomes an exception outside any call: the worker\'s error event', async () => {
    vi.useFakeTimers();
    try {
      const api = failOnTrap({ step: () => {
        throw new WebAssembly.RuntimeError('unreachable');
      } });
      await expect(api.step()).rejects.toThrow('unreachable');
      expect(() => vi.runAllTimers()).toThrow('the engine crashed (unreachable)');
    } finally {
      vi.useRealTimers();
    }
  });
});
