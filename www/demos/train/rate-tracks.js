// Each run's learning rate at every step of the budget, from the engine's own schedules
// (engine.sample), for the rate track: known before training starts, and spliced where a run
// took a new schedule mid-run (which counts its steps from 0 where it begins).

export class RateTracks {
  /** `onChange()` once new tracks are in. */
  constructor(engine, onChange) {
    Object.assign(this, { engine, onChange });
    this.tracks = [];
    this.ticket = 0;
  }

  /** Every run's track over `steps` steps, anew. */
  async sample(runs, steps) {
    const ticket = ++this.ticket;
    const tracks = await Promise.all(runs.map((run) => this.values(run.schedule, steps)));
    if (ticket !== this.ticket) return;
    this.tracks = tracks;
    this.onChange();
  }

  /** Run `arm` follows `spec` from step `at` on, to `steps`. */
  async change(arm, spec, at, steps) {
    const ticket = this.ticket;
    const after = await this.values(spec, Math.max(0, steps - at));
    if (ticket !== this.ticket) return;
    const before = Array.from(this.tracks[arm] ?? []).slice(0, at);
    this.tracks[arm] = [...before, ...Array(Math.max(0, at - before.length)).fill(null), ...after];
    this.onChange();
  }

  /** Run `arm`'s rates by step (null where unknown). */
  of(arm) {
    return this.tracks[arm] ?? null;
  }

  // A refused schedule has no track: its error shows next to its control.
  async values(spec, steps) {
    try {
      return Array.from((await this.engine.sample(spec, steps)).lr);
    } catch {
      return [];
    }
  }
}
