// Serves the already built dist/ for the whole run (test:e2e builds nothing; `npm run build` first).
import { existsSync } from 'node:fs';
import { serveStatic } from './static-server.js';

export default async function globalSetup() {
  if (!existsSync('dist/index.html')) throw new Error('dist/ is missing: run `npm run build` (or `make dist`) first');
  const server = await serveStatic('dist');
  process.env.LRP_URL = server.url;
  return server.close;
}
