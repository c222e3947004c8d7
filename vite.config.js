import { defineConfig } from 'vite';

export default defineConfig({
  // Relative asset URLs: dist/ works from any sub-path of any static host.
  base: './',
  // The engine worker imports the wasm package as an ES module.
  worker: { format: 'es' },
  build: { target: 'es2022' },
});
