// The import graph of www/, read with the lexer Vite uses: no cycles (dynamic imports count too),
// and demos stay self-contained: the page reaches them only through the registry, and no demo
// reaches into another. The two threads keep to their sides: what runs in a Worker lives in
// worker/, and the page starts it by URL, sharing only the RPC proxy.
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { init, parse } from 'es-module-lexer';
import { describe, expect, test } from 'vitest';

const WWW = fileURLToPath(new URL('../../www/', import.meta.url));
const REGISTRY = 'demos/index.js';

/** { 'a.js': ['b.js', ...] }: every module of www/ and the modules of www/ it imports (paths from www/). */
async function importGraph() {
  await init;
  const files = readdirSync(WWW, { recursive: true }).filter((f) => f.endsWith('.js'));
  return Object.fromEntries(
    files.map((file) => {
      const [imports] = parse(readFileSync(join(WWW, file), 'utf8'), file);
      const targets = imports
        .map((i) => i.n)
        .filter((name) => name?.startsWith('.'))
        .map((name) => relative(WWW, resolve(WWW, dirname(file), name)))
        // Stylesheets import nothing; pkg/ (the wasm package) is built, outside the page's code.
        .filter((target) => target.endsWith('.js') && !target.startsWith('..'));
      return [file, targets];
    }),
  );
}

/** The first cycle found, as [a, b, ..., a]; null when there is none. */
function findCycle(graph) {
  const done = new Set();
  const path = [];
  const visit = (node) => {
    if (path.includes(node)) return [...path.slice(path.indexOf(node)), node];
    if (done.has(node)) return null;
    path.push(node);
    for (const next of graph[node] ?? []) {
      const cycle = visit(next);
      if (cycle) return cycle;
    }
    path.pop();
    done.add(node);
    return null;
  };
  for (const node of Object.keys(graph)) {
    const cycle = visit(node);
    if (cycle) return cycle;
  }
  return null;
}

const demoOf = (file) => /^demos\/([^/]+)\//.exec(file)?.[1];
const WORKER = 'worker/';
// The one module both threads load: the RPC proxy between them.
const SHARED = 'rpc.js';

/** { 'a.js': ['worker/b.js', ...] }: the scripts each module of www/ starts as a Worker (paths from www/). */
function workerStarts() {
  const files = readdirSync(WWW, { recursive: true }).filter((f) => f.endsWith('.js'));
  return Object.fromEntries(
    files.map((file) => {
      const source = readFileSync(join(WWW, file), 'utf8');
      // Started by URL in place, or by the URL Vite gives for a `?worker&url` import (spawn-worker.js).
      const inPlace = [...source.matchAll(/new Worker\(\s*new URL\(\s*'([^']+)'/g)];
      const imported = [...source.matchAll(/^import \w+ from '([^']+)\?worker&url';$/gm)];
      const urls = [...inPlace, ...imported].map(([, url]) => relative(WWW, resolve(WWW, dirname(file), url)));
      return [file, urls];
    }),
  );
}

describe('the import graph of www/', () => {
  test('the cycle finder finds a cycle, and only a cycle', () => {
    expect(findCycle({ a: ['b'], b: ['c'], c: ['a'] })).toEqual(['a', 'b', 'c', 'a']);
    expect(findCycle({ a: ['b', 'c'], b: ['c'], c: [] })).toBeNull();
  });

  test('every relative import names a module that exists', async () => {
    const graph = await importGraph();
    for (const [file, targets] of Object.entries(graph)) {
      for (const target of targets) expect(Object.hasOwn(graph, target), `${file} imports ${target}`).toBe(true);
    }
  });

  test('has no import cycle', async () => {
    const cycle = findCycle(await importGraph());
    expect(cycle && cycle.join(' → ')).toBeNull();
  });

  test('outside the demos, only main.js imports one, and only through the registry', async () => {
    const graph = await importGraph();
    for (const [file, targets] of Object.entries(graph)) {
      if (file.startsWith('demos/')) continue;
      const demos = targets.filter((t) => t.startsWith('demos/'));
      expect(demos, file).toEqual(file === 'main.js' ? [REGISTRY] : []);
    }
  });

  test('worker-side modules live in worker/ and share only the RPC proxy with the page', async () => {
    const graph = await importGraph();
    expect(Object.keys(graph).filter((f) => f.startsWith(WORKER)).length).toBeGreaterThanOrEqual(2);
    for (const [file, targets] of Object.entries(graph)) {
      const crossing = targets.filter((t) => t !== SHARED && t.startsWith(WORKER) !== file.startsWith(WORKER));
      expect(crossing, file).toEqual([]);
    }
  });

  test('every Worker the page starts runs a script in worker/ that exists', async () => {
    const graph = await importGraph();
    const started = Object.entries(workerStarts()).flatMap(([file, urls]) => urls.map((url) => [file, url]));
    expect(started.length).toBeGreaterThanOrEqual(2);
    for (const [file, url] of started) {
      expect(file.startsWith(WORKER), `${file} starts a worker`).toBe(false);
      expect(url.startsWith(WORKER) && Object.hasOwn(graph, url), `${file} starts ${url}`).toBe(true);
    }
  });

  test('a demo imports its own folder and shared modules, never another demo or the registry', async () => {
    const graph = await importGraph();
    const demoFiles = Object.keys(graph).filter(demoOf);
    expect(new Set(demoFiles.map(demoOf)).size).toBeGreaterThanOrEqual(2);
    for (const file of demoFiles) {
      for (const target of graph[file]) {
        if (!target.startsWith('demos/') || demoOf(target) === demoOf(file)) continue;
        // The guide is made of the demos' figures: it may use their pieces, never their entry points.
        const piece = demoOf(file) === 'guide' && !/\/(demo|index)\.js$/.test(target);
        expect(piece, `${file} imports ${target}`).toBe(true);
      }
    }
  });
});
