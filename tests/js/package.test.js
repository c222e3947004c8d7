// The npm package as a user gets it: `npm pack` in pkg/, installed from the tarball into a new
// project (offline: the package has no dependencies), then used from Node (one schedule, one
// session), type-checked through its exports map, and bundled by Vite. Needs `make wasm` first.
import { execFile } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const PKG = join(ROOT, 'pkg');
const built = existsSync(join(PKG, 'lr_playground_bg.wasm'));
if (!built) console.warn('package.test.js: SKIPPED, pkg/ is absent (run `make wasm` first)');
const run = promisify(execFile);
const npm = (args, cwd) => run('npm', [...args, '--no-audit', '--no-fund', '--loglevel=error'], { cwd, timeout: 120_000 });
const project = mkdtempSync(join(tmpdir(), 'lr-playground-user-'));
const write = (name, text) => writeFileSync(join(project, name), text);
afterAll(() => rmSync(project, { recursive: true, force: true }));

let packed; // what `npm pack --json` says about the tarball

describe.skipIf(!built)(built ? 'the npm package' : 'the npm package: SKIPPED, pkg/ is absent', () => {
  beforeAll(async () => {
    if (!existsSync(join(PKG, 'package.json'))) throw new Error('pkg/package.json is absent: run `make wasm`');
    const { stdout } = await npm(['pack', '--json', '--pack-destination', project], PKG);
    [packed] = JSON.parse(stdout);
    write('package.json', JSON.stringify({ name: 'a-user', private: true, type: 'module' }));
    await npm(['install', '--offline', join(project, packed.filename)], project);
  }, 180_000);

  test('has a name, version, license, README excerpt, types and an exports map', () => {
    const manifest = JSON.parse(readFileSync(join(project, 'node_modules/lr-playground/package.json'), 'utf8'));
    const cargo = readFileSync(join(ROOT, 'Cargo.toml'), 'utf8');
    expect(manifest.name).toBe('lr-playground');
    expect(cargo).toContain(`\nversion = "${manifest.version}"\n`);
    expect(manifest.license).toBe('MIT');
    expect(manifest.exports['.']).toEqual({ types: './lr_playground.d.ts', node: './node.js', default: './lr_playground.js' });
    const files = packed.files.map((f) => f.path).sort();
    expect(files).toEqual(
      ['LICENSE', 'README.md', 'lr_playground.d.ts', 'lr_playground.js', 'lr_playground_bg.wasm', 'node.js', 'package.json'].sort(),
    );
    const readme = readFileSync(join(project, 'node_modules/lr-playground/README.md'), 'utf8');
    expect(readme).toMatch(/^# lr-playground\n/);
    expect(readme).toContain('## API\n');
    expect(readme).not.toContain('## Limits'); // an excerpt, not the whole README
    const types = readFileSync(join(project, 'node_modules/lr-playground/lr_playground.d.ts'), 'utf8');
    expect(types).toContain('static create(options: SessionOptions): Promise<Session>;');
  });

  test('has no `any` in its types', () => {
    const types = readFileSync(join(PKG, 'lr_playground.d.ts'), 'utf8').replace(/\/\*[\s\S]*?\*\/|\/\/.*$/gm, '');
    expect(types).toContain('export interface InitOutput {');
    expect(types.match(/.*\bany\b.*/g) ?? []).toEqual([]);
  });

  test('runs a schedule and a session in Node', async () => {
    write(
      'node-use.mjs',
      `import { Schedule, Session } from 'lr-playground';
const schedule = new Schedule({ kind: 'StepLR', lr: 0.1, step_size: 3, gamma: 0.5 });
const session = await Session.create({
  layers: [2, 8, 2], data: { kind: 'circle', n: 64 }, batch_size: 16,
  runs: [{ schedule: { kind: 'Constant', lr: 0.1 } }],
});
const { losses } = await session.step(5);
console.log(JSON.stringify({ lr: Array.from(schedule.sample(7).lr), losses: Array.from(losses), backend: session.backend.backend }));
`,
    );
    const { stdout } = await run(process.execPath, ['node-use.mjs'], { cwd: project, timeout: 60_000 });
    const out = JSON.parse(stdout);
    expect(out.lr).toEqual([0.1, 0.1, 0.1, 0.05, 0.05, 0.05, 0.025]);
    expect(out.losses).toHaveLength(5);
    expect(out.losses.every(Number.isFinite)).toBe(true);
    expect(out.backend).toBe('cpu');
  }, 60_000);

  test('type-checks through its exports map', async () => {
    write('use.ts', "import { Schedule } from 'lr-playground';\nconst lr: Float64Array = new Schedule({ kind: 'StepLR', step_size: 3 }).sample(4).lr;\nconsole.log(lr);\n");
    write('bad.ts', "import { Schedule } from 'lr-playground';\nnew Schedule({ kind: 'StepLR', stepsize: 3 });\n");
    const tsc = join(ROOT, 'node_modules/.bin/tsc');
    const flags = ['--noEmit', '--strict', '--module', 'nodenext', '--moduleResolution', 'nodenext', '--lib', 'es2023,esnext.disposable,dom', '--types', ''];
    await run(tsc, [...flags, 'use.ts'], { cwd: project, timeout: 60_000 });
    const refused = await run(tsc, [...flags, 'bad.ts'], { cwd: project, timeout: 60_000 }).catch((e) => e);
    expect(refused.stdout).toMatch(/bad\.ts\(2,\d+\): error TS\d+: .*'stepsize'/);
  }, 60_000);

  test('bundles with Vite, the wasm emitted beside the code', async () => {
    mkdirSync(join(project, 'web'), { recursive: true });
    write('web/index.html', '<!doctype html><script type="module" src="./main.js"></script>\n');
    write(
      'web/main.js',
      "import init, { Schedule } from 'lr-playground';\nawait init();\ndocument.body.textContent = new Schedule({ kind: 'Constant', lr: 0.1 }).lrAt(0);\n",
    );
    const vite = join(ROOT, 'node_modules/vite/bin/vite.js');
    await run(process.execPath, [vite, 'build', 'web', '--logLevel', 'error'], { cwd: project, timeout: 120_000 });
    const outDir = join(project, 'web/dist');
    const assets = readdirSync(join(outDir, 'assets'));
    const wasm = assets.find((name) => name.endsWith('.wasm'));
    expect(wasm).toBeDefined();
    expect(readFileSync(join(outDir, 'assets', wasm))).toEqual(readFileSync(join(PKG, 'lr_playground_bg.wasm')));
    const code = assets.filter((name) => name.endsWith('.js')).map((name) => readFileSync(join(outDir, 'assets', name), 'utf8'));
    expect(code.some((text) => text.includes(wasm))).toBe(true);
  }, 120_000);
});
