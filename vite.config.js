import { defineConfig } from 'vite';

export default defineConfig({
  // Relative asset URLs: dist/ works from any sub-path of any static host.
  base: './',
  // The engine worker imports the wasm package as an ES module.
  worker: { format: 'es' },
  build: {
    target: 'es2022',
    // Two pages: the app, and the in-browser benchmarks (scripts/bench-page.mjs drives it); and
    // the <lr-playground> element's script, at a fixed name (lr-playground.js) for pages to load.
    // Vite 8 bundles with Rolldown; `rolldownOptions` is the current name of `rollupOptions`.
    rolldownOptions: {
      input: {
        main: 'index.html',
        bench: 'bench.html',
        'lr-playground': 'www/lr-playground.js',
      },
      output: {
        entryFileNames: (chunk) => (chunk.name === 'lr-playground' ? '[name].js' : 'assets/[name]-[hash].js'),
      },
    },
  },
});
