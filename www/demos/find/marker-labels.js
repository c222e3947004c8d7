// Where Find's suggestion labels ("valley 0.011") go: in a lane above the plot, where no curve is
// drawn, each in the row nearest the plot where it overlaps no other label; right of its marker's
// line, or left of it where it would run past the plot's right edge. The marker's line runs up
// into the lane to its label, as a leader.

/** Height of one row of labels, in CSS pixels. */
export const LABEL_ROW_PX = 15;
// Between two labels in a row, and between a label and its line.
const GAP_PX = 8;
const NUDGE_PX = 4;

/**
 * `labels`: [{ x, width }] left to right, in CSS pixels (x: the marker's line); `plotLeft`,
 * `plotRight`: the plot's edges. Returns [{ left, row }] in the same order (row 0 nearest the plot).
 */
export function laneLayout(labels, plotLeft, plotRight) {
  const rows = [];
  return labels.map(({ x, width }) => {
    const beside = x + NUDGE_PX + width <= plotRight ? x + NUDGE_PX : x - NUDGE_PX - width;
    const left = Math.max(plotLeft, beside);
    const free = (spans) => spans.every(([a, b]) => left + width + GAP_PX <= a || left >= b + GAP_PX);
    let row = rows.findIndex(free);
    if (row < 0) row = rows.push([]) - 1;
    rows[row].push([left, left + width]);
    return { left, row };
  });
}

/** The lane's height for `rows` rows of labels, in CSS pixels. */
export function laneHeight(rows) {
  return rows * LABEL_ROW_PX + 6;
}
