import { defineConfig } from 'vitest/config';

// Unit tests only: the pure modules and the wasm package in Node. The browser is Playwright's.
export default defineConfig({
  test: {
    include: ['tests/js/**/*.test.js'],
    environment: 'node',
  },
});
