// How fast training goes: a number of steps per second, or as fast as the engine can. A chosen
// pace trains in chunks of about a tenth of a second's steps and waits out the rest of the time.

/** The speeds offered: steps per second, and 0 for "as fast as possible". */
export const SPEEDS = [0, 10, 30, 100, 300, 1000];
export const FASTEST = 0;

/** Steps per request at `speed`, at most `most`: small enough that the plot moves smoothly. */
export function chunkSteps(speed, most) {
  return speed === FASTEST ? most : Math.max(1, Math.min(most, Math.round(speed / 10)));
}

/** How long to wait before the next chunk: `steps` trained `elapsedMs` after the pace was set. */
export function waitMs(speed, steps, elapsedMs) {
  return speed === FASTEST ? 0 : Math.max(0, (1000 * steps) / speed - elapsedMs);
}

/** A speed in words, for its control. */
export function speedText(speed) {
  return speed === FASTEST ? 'as fast as possible' : `${speed} steps per second`;
}

/** A speed as the link writes it: "max" or steps per second. */
export function speedKey(speed) {
  return speed === FASTEST ? 'max' : String(speed);
}

/** The speed a link's key stands for. */
export function speedFromKey(key) {
  return key === 'max' ? FASTEST : Number(key);
}
