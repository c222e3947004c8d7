import { defineConfig } from '@playwright/test';
import { launchOptions } from './tests/e2e/browser.js';

export default defineConfig({
  testDir: 'tests/e2e',
  globalSetup: './tests/e2e/global-setup.js',
  // Two shared cores: one browser at a time is faster than two fighting.
  workers: 1,
  timeout: 30_000,
  expect: { timeout: 10_000 },
  reporter: 'list',
  outputDir: 'test-results',
  use: {
    browserName: 'chromium',
    launchOptions: launchOptions({ webgpu: true }),
    acceptDownloads: true,
  },
});
