// The words for escapes: how many steps each path needed to leave the saddle, and what the
// plateau race found over its seeds. Plain data in, plain text out.
import { formatTick } from '../../format.js';
import { listed } from '../../words.js';

/** A path's escape step as a table cell: "step 123", or "never" within the steps it had. */
export function formatEscape(step) {
  return step === null ? 'never' : `step ${step}`;
}

/**
 * The race's table rows, one per schedule: its name, the median escape step (or "never" when
 * fewer than half the seeds escaped), the spread as the quartiles, and how many seeds escaped.
 */
export function raceRows({ schedules, seeds }) {
  return schedules.map(({ name, median, q25, q75, escaped }) => ({
    name,
    median: Number.isFinite(median) ? formatTick(median) : 'never',
    spread: Number.isFinite(q25) && Number.isFinite(q75) ? `${formatTick(q25)}–${formatTick(q75)}` : '–',
    escaped: `${escaped} of ${seeds}`,
  }));
}

/**
 * One sentence stating what the race found, whichever way it came out: who escaped first by the
 * median, by how much over the next, and who did not escape in the steps given.
 */
export function raceFinding({ schedules, steps, seeds }) {
  const escaped = schedules.filter((s) => Number.isFinite(s.median)).sort((a, b) => a.median - b.median);
  const stuck = schedules.filter((s) => !Number.isFinite(s.median)).map((s) => s.name);
  const never = stuck.length ? ` ${listed(stuck)} did not escape within ${steps} steps for most of the ${seeds} seeds.` : '';
  if (escaped.length === 0) return `No schedule left the plateau within ${steps} steps for most of the ${seeds} seeds.`;
  const [first, second] = escaped;
  if (!second) return `Only ${first.name} left the plateau, at a median step of ${formatTick(first.median)} over ${seeds} seeds.${never}`;
  const tie = first.median === second.median;
  const lead = tie
    ? `${first.name} and ${second.name} left the plateau together, at a median step of ${formatTick(first.median)}`
    : `${first.name} left the plateau first, at a median step of ${formatTick(first.median)} against ${formatTick(second.median)} for ${second.name}`;
  return `${lead} (over ${seeds} seeds).${never}`;
}

/**
 * One sentence for paths leaving a saddle: who left first and the order after, and who did not
 * leave within the steps they had. `paths` [{ label }], `escapes` (step or null) for each.
 */
export function escapeFinding(paths, escapes, steps) {
  const left = paths.map((p, i) => ({ label: p.label, step: escapes[i] })).filter((p) => p.step !== null).sort((a, b) => a.step - b.step);
  const stayed = paths.filter((_, i) => escapes[i] === null).map((p) => p.label);
  const never = stayed.length ? ` ${listed(stayed)} did not leave within ${steps} steps.` : '';
  if (left.length === 0) return `No path left the saddle within ${steps} steps.`;
  const [first, ...rest] = left;
  const after = rest.length ? `, then ${listed(rest.map((p) => `${p.label} (${p.step})`))}` : '';
  return `${first.label} left the saddle first, at step ${first.step}${after}.${never}`;
}
