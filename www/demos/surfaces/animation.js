// The animation's arithmetic, apart from any drawing: where the paths' heads are after some time
// at some speed, and how bright each recent step of a trail is. Every path is drawn up to the same
// step, so paths of one race stay side by side.

/** Steps of the bright tail behind each head; older steps stay as a faint line. */
export const TAIL = 40;
/** The faint line's opacity, what a tail fades down to. */
export const FAINT = 0.3;

/**
 * The head's position (a fractional step in [0, last]) after `elapsedMs` more at `speed` steps
 * per second, from `position`.
 */
export function advance(position, elapsedMs, speed, last) {
  return Math.min(last, position + (Math.max(0, elapsedMs) * speed) / 1000);
}

/** The step a head at fractional `position` has reached (whole steps only are drawn). */
export function reached(position) {
  return Math.floor(position + 1e-9);
}

/**
 * The opacity of the segment ending `age` steps behind the head (0 for the head's own): full at
 * the head, falling linearly over `tail` steps to `faint`, then staying there.
 */
export function trailAlpha(age, tail = TAIL, faint = FAINT) {
  if (age >= tail) return faint;
  return 1 - (1 - faint) * (age / tail);
}

/**
 * The segments to add to the faint layer when the head moves from step `from` to step `to`:
 * those that have just aged past the bright tail, as [first, end) over segment indices (segment i
 * joins step i and i + 1). Empty ([k, k]) when nothing aged.
 */
export function agedSegments(from, to, tail = TAIL) {
  const start = Math.max(0, from - tail);
  return [start, Math.max(start, to - tail)];
}

/** The largest step any path has (its points less one), so the animation knows where it ends. */
export function lastStep(paths) {
  return paths.reduce((most, path) => Math.max(most, path.x.length - 1), 0);
}
