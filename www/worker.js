// The engine thread: loads the wasm package and answers the page's calls (see engine.js).
import init, { Schedule, Session, detectBackend } from '../pkg/lr_playground.js';
import { serve } from './rpc.js';
import { trainingHandlers } from './training.js';

const ready = init();

// Frees the wasm-side schedule whatever happens: wasm memory is not garbage collected.
function withSchedule(spec, use) {
  const schedule = new Schedule(spec);
  try {
    return use(schedule);
  } finally {
    schedule.free();
  }
}

serve(self, {
  async kinds() {
    await ready;
    return Schedule.kinds();
  },
  async optionFields() {
    await ready;
    return Session.optionFields();
  },
  async backend() {
    await ready;
    return detectBackend();
  },
  async validate(spec) {
    await ready;
    withSchedule(spec, () => {});
  },
  /** Values at steps 0..n-1, where n stops at the schedule's own end (OneCycleLR allows t <= totalSteps). */
  async sample(spec, steps) {
    await ready;
    return withSchedule(spec, (schedule) => {
      const total = schedule.totalSteps;
      const n = total === undefined ? steps : Math.min(steps, total + 1);
      const { lr, momentum } = schedule.sample(n);
      return { lr, momentum, totalSteps: total };
    });
  },
  ...trainingHandlers(Session, ready),
});
