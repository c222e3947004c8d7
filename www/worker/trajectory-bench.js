// A worker of the benchmark page's own: the wasm `trajectories` call timed where the engine worker
// makes it, inside a worker, without the page <-> worker round trip around it.
import init, { trajectories } from '../../pkg/lr_playground.js';
import { expose } from '../rpc.js';

const ready = init();

expose(
  {
    /** { ms, steps: [each trajectory's steps] }: one trajectories(specs) call, timed in this worker. */
    async timeTrajectories(specs) {
      await ready;
      const t0 = performance.now();
      const paths = trajectories(specs);
      const ms = performance.now() - t0;
      return { ms, steps: paths.map((path) => path.steps) };
    },
  },
  self,
);
