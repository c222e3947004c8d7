// Makes pkg/ (wasm-pack's output) an npm package: `cd pkg && npm pack`. Writes its package.json
// (name, version and description from Cargo.toml, an exports map with a Node entry and the
// types), the Node entry, the README excerpt users read on the registry, and the license, and
// closes the `any`s wasm-bindgen leaves in the raw exports' type.
// `make wasm` runs it; tests/js/package.test.js packs the result and installs it.
import { copyFileSync, readFileSync, writeFileSync } from 'node:fs';

const root = new URL('../', import.meta.url);
const pkg = new URL('pkg/', root);
const read = (path) => readFileSync(new URL(path, root), 'utf8');

/** A `key = "value"` of Cargo.toml's [package] table. */
function cargoField(key) {
  const table = read('Cargo.toml').split(/^\[/m).find((t) => t.startsWith('package]')) ?? '';
  const value = table.match(new RegExp(`^${key}\\s*=\\s*"([^"]*)"`, 'm'))?.[1];
  if (value === undefined) throw new Error(`Cargo.toml: [package] has no ${key}`);
  return value;
}

/** The README's sections a package user needs: its title and first paragraph, the package and the API. */
export function readmeExcerpt(readme) {
  const sections = readme.split(/^(?=## )/m);
  const wanted = sections.filter((s) => /^## (The package|API)\b/.test(s));
  if (wanted.length !== 2) throw new Error('README.md: expected the sections "## The package" and "## API"');
  // The title and the first paragraph of prose (not the indented make commands).
  const [title, ...paragraphs] = sections[0].split(/\n{2,}/);
  const intro = paragraphs.find((p) => !p.startsWith('    '));
  return [title, intro, ...wanted.map((s) => s.trimEnd())].join('\n\n') + '\n';
}

const manifest = {
  name: 'lr-playground',
  version: cargoField('version'),
  description: cargoField('description'),
  license: JSON.parse(read('package.json')).license,
  type: 'module',
  files: ['lr_playground.js', 'lr_playground.d.ts', 'lr_playground_bg.wasm', 'node.js', 'README.md', 'LICENSE'],
  main: './node.js',
  module: './lr_playground.js',
  types: './lr_playground.d.ts',
  exports: {
    '.': {
      types: './lr_playground.d.ts',
      node: './node.js',
      default: './lr_playground.js',
    },
    './lr_playground_bg.wasm': './lr_playground_bg.wasm',
    './package.json': './package.json',
  },
  // Importing the Node entry compiles the module; nothing else runs on import.
  sideEffects: ['./node.js'],
  engines: { node: '>=20' },
  keywords: ['learning-rate', 'lr-scheduler', 'pytorch', 'fastai', 'webgpu', 'wasm'],
};

// Node's fetch cannot read file: URLs, so the browser entry's `init()` cannot find the wasm
// there: the Node entry compiles it from disk on import, and `init()` then resolves at once.
const nodeEntry = `// lr-playground for Node: the WebAssembly module is compiled from disk on import, so the API is
// ready at once (\`await init()\` is harmless and resolves immediately).
import { readFileSync } from 'node:fs';
import { initSync } from './lr_playground.js';

initSync({ module: readFileSync(new URL('./lr_playground_bg.wasm', import.meta.url)) });

export * from './lr_playground.js';
export { default } from './lr_playground.js';
`;

/** wasm-bindgen types `InitOutput` (the raw wasm exports `init()` resolves to) with `any`; `unknown`
 * says the same without switching type checking off for whoever touches them. */
export function closeInitOutput(types) {
  return types.replace(/^export interface InitOutput \{[\s\S]*?^\}/m, (block) => block.replace(/\bany\b/g, 'unknown'));
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const types = new URL('lr_playground.d.ts', pkg);
  writeFileSync(types, closeInitOutput(readFileSync(types, 'utf8')));
  writeFileSync(new URL('package.json', pkg), JSON.stringify(manifest, null, 2) + '\n');
  writeFileSync(new URL('node.js', pkg), nodeEntry);
  writeFileSync(new URL('README.md', pkg), readmeExcerpt(read('README.md')));
  copyFileSync(new URL('LICENSE', root), new URL('LICENSE', pkg));
  console.log(`pkg/: ${manifest.name}@${manifest.version}, ready for npm pack`);
}
