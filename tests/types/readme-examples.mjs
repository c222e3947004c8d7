// The README's API examples: every ```js block of its "## API" section. Run as a script, it
// writes them as TypeScript modules to target/readme-examples/ for `tsc -p tests/types`;
// tests/js/readme-api.test.js imports it to run them in Node.
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';

const ROOT = new URL('../../', import.meta.url);
export const OUT = new URL('target/readme-examples/', ROOT);

/** The text of the README's "## API" section. */
export function apiSection(readme = readFileSync(new URL('README.md', ROOT), 'utf8')) {
  const section = readme.split(/^(?=## )/m).find((s) => s.startsWith('## API\n'));
  if (!section) throw new Error('README.md has no "## API" section');
  return section;
}

/** The section's ```js code blocks, in order. */
export function apiExamples(section = apiSection()) {
  return [...section.matchAll(/^```js\n([\s\S]*?)^```$/gm)].map((m) => m[1]);
}

if (import.meta.url === `file://${process.argv[1]}`) {
  rmSync(OUT, { recursive: true, force: true });
  mkdirSync(OUT, { recursive: true });
  const examples = apiExamples();
  examples.forEach((code, i) => writeFileSync(new URL(`example-${i + 1}.ts`, OUT), code));
  console.log(`README API: ${examples.length} examples written to target/readme-examples/`);
}
