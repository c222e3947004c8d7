import { defineConfig } from '@playwright/test';
import { launchOptions } from './tests/e2e/browser.js';

export default defineConfig({
  testDir: 'tests/e2e',
  globalSetup: './tests/e2e/global-setup.js',
  // Two, on two shared cores: the suite took 4.5-4.7 min against 5.5 with one (four runs). The
  // shifted timing also brings out races a user can hit: it found Layers' Fine-tune lost between
  // a new body and its plan.
  workers: 2,
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
