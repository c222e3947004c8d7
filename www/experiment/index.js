// Fair experiments over seeds: summaries of an arm's seeds (summary.js), seed-by-seed comparisons
// of two arms (paired.js) and the sentence that states a finding and how sure it is (finding.js).
// Pure functions: no DOM, no engine; every demo that compares arms uses them.
export { median, quantile, seedBand } from './summary.js';
export { medianRatio, pairedCount, signTestP, timeToTarget } from './paired.js';
export { SURE_P, finalFinding, formatTimes, pairedVerdict, timeFinding } from './finding.js';
