// Sampled schedules as CSV and JSON files.

/**
 * One row per step: `step`, then `<kind>_<n>_lr` and `<kind>_<n>_momentum` for each schedule n
 * (1-based). A cell is empty where a schedule has no value: past its end, where it leaves the
 * momentum alone, or where it failed to build.
 */
export function toCsv(series) {
  const header = ['step'];
  for (const [i, s] of series.entries()) header.push(`${s.kind}_${i + 1}_lr`, `${s.kind}_${i + 1}_momentum`);
  const rows = [header.map(csvCell).join(',')];
  const steps = Math.max(0, ...series.map((s) => s.lr?.length ?? 0));
  for (let t = 0; t < steps; t++) {
    const row = [t];
    for (const s of series) row.push(number(s.lr?.[t]), number(s.momentum?.[t]));
    rows.push(row.join(','));
  }
  return `${rows.join('\n')}\n`;
}

/** The specs with their values, as plain JSON arrays (null where momentum is left alone). */
export function toJson(series) {
  const schedules = series.map((s) => ({
    spec: s.spec,
    lr: s.lr ? Array.from(s.lr, finiteOrNull) : null,
    momentum: s.momentum ? Array.from(s.momentum, finiteOrNull) : null,
    error: s.error ?? null,
  }));
  return `${JSON.stringify({ schedules }, null, 1)}\n`;
}

// The shortest text that reads back as the same double; empty for missing or non-finite values.
function number(x) {
  return Number.isFinite(x) ? String(x) : '';
}

function finiteOrNull(x) {
  return Number.isFinite(x) ? x : null;
}

// RFC 4180: quote a cell holding a comma, quote or line break, doubling inner quotes.
function csvCell(text) {
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}
