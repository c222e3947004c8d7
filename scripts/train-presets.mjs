// Trains each Train preset in Node on the CPU path, with the page's own modules, and prints what
// its findings say: what a reader of `#demo=train&preset=<id>` sees once training ends.
// Needs pkg/ (`make wasm`). Usage: node scripts/train-presets.mjs [id ...]
import { readFileSync } from 'node:fs';
import { sessionRuns } from '../www/demos/train/arms.js';
import { armResults } from '../www/demos/train/findings.js';
import { scheduleLabel } from '../www/demos/train/labels.js';
import { sessionOptions } from '../www/demos/train/options.js';
import { PRESETS } from '../www/demos/train/presets.js';
import { blowUpStep, runState } from '../www/demos/train/run-states.js';

const PKG = new URL('../pkg/', import.meta.url);
const pkg = await import(new URL('lr_playground.js', PKG).href);
pkg.initSync({ module: readFileSync(new URL('lr_playground_bg.wasm', PKG)) });

const CHUNK = 16;
const wanted = process.argv.slice(2);
for (const preset of PRESETS.filter((p) => wanted.length === 0 || wanted.includes(p.id))) {
  // LRP_OVERRIDE='{"activation":"tanh"}' tries the presets on another set-up.
  const settings = { ...preset.settings, ...JSON.parse(process.env.LRP_OVERRIDE ?? '{}') };
  const options = { ...sessionOptions(settings), runs: sessionRuns(settings.runs, settings.seeds), backend: 'cpu' };
  const session = await pkg.Session.create(options);
  const runs = options.runs.length;
  const losses = Array.from({ length: runs }, () => []);
  const blownUp = Array(runs).fill(null);
  const evaluations = [{ step: 0, report: session.evaluate() }];
  const t0 = performance.now();
  for (let step = 0; step < settings.trainsteps; step += CHUNK) {
    const n = Math.min(CHUNK, settings.trainsteps - step);
    const out = await session.step(n);
    for (let t = 0; t < n; t++) for (let r = 0; r < runs; r++) losses[r].push(out.losses[t * runs + r]);
    const report = session.evaluate();
    for (let r = 0; r < runs; r++) {
      if (blownUp[r] !== null || report[r].state !== 'training') continue;
      blownUp[r] = blowUpStep(losses[r], step + 1);
      if (blownUp[r] !== null) session.stopRun(r);
    }
    evaluations.push({ step: step + n, report });
  }
  const states = evaluations.at(-1).report.map((report, r) => runState(report, blownUp[r], settings.trainsteps, settings.trainsteps));
  const arms = armResults(settings.runs.map((run) => scheduleLabel(run.schedule)), evaluations, states, settings.seeds);
  console.log(`\n${preset.id} (${runs} runs, ${((performance.now() - t0) / 1000).toFixed(1)} s)`);
  for (const sentence of preset.findings(arms, settings.trainsteps)) console.log(`  ${sentence}`);
  session.destroy();
}
