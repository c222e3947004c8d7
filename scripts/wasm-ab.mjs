// Two builds of the wasm module, A and B (folders laid out as pkg/), compared in one Node process:
// run-steps/s of the CPU path at R runs (default 1) on the reference network (2-16-16-2, SGD momentum 0.9, batch 32,
// 512-point spiral), relu and tanh, A and B alternated (order swapped every repetition), medians and B/A.
// For comparing build settings; the bench page (scripts/bench-page.mjs) gives the in-browser figures.
// Usage: node scripts/wasm-ab.mjs DIR_A DIR_B [reps (7)] [steps (2000)] [runs R (1)]
import { readFileSync } from 'node:fs';
import { pathToFileURL } from 'node:url';
const [dirA, dirB, reps = '7', steps = '2000', runs = '1'] = process.argv.slice(2);
async function load(dir) {
  const url = pathToFileURL(dir + '/lr_playground.js').href;
  const m = await import(url);
  m.initSync({ module: readFileSync(dir + '/lr_playground_bg.wasm') });
  return m;
}
const mods = { A: await load(dirA), B: await load(dirB) };
const opts = (activation, seed) => ({
  backend: 'cpu', layers: [2, 16, 16, 2], activation, loss: 'cross_entropy',
  optimizer: { kind: 'sgd', momentum: 0.9 },
  data: { kind: 'spiral', n: 512, noise: 0.1, validation_fraction: 0, seed: 1 },
  batch_size: 32, shuffle: true, runs: Array.from({ length: Number(runs) }, (_, r) => ({ seed: seed * 1000 + r, schedule: { kind: 'Constant', lr: 0.05 } })),
});
async function rate(m, activation, seed) {
  const s = await m.Session.create(opts(activation, seed));
  await s.step(200);
  const t = performance.now();
  await s.step(Number(steps));
  const ms = performance.now() - t;
  s.free();
  return ((Number(steps) * Number(runs)) / ms) * 1000;
}
const med = (xs) => { const s = [...xs].sort((a, b) => a - b); return s[Math.floor(s.length / 2)]; };
for (const act of ['relu', 'tanh']) {
  const r = { A: [], B: [] };
  for (const w of ['A', 'B']) await rate(mods[w], act, 99);
  for (let i = 0; i < Number(reps); i++) {
    const order = i % 2 ? ['B', 'A'] : ['A', 'B'];
    for (const w of order) r[w].push(await rate(mods[w], act, i + 1));
  }
  console.log(`${act}, R=${runs}: A median ${med(r.A).toFixed(0)} run-steps/s, B median ${med(r.B).toFixed(0)}, B/A ${(med(r.B) / med(r.A)).toFixed(3)}  (A ${r.A.map((x) => x.toFixed(0)).join(' ')}; B ${r.B.map((x) => x.toFixed(0)).join(' ')})`);
}
