// A minimal static file server for dist/, mounted under a sub-path to prove the build's relative
// asset URLs work from anywhere on a static host. Listens on 127.0.0.1 only (WebGPU needs a secure
// context, and localhost counts as one), on a free port so parallel runs never collide.
import { createServer } from 'node:http';
import { readFile } from 'node:fs/promises';
import { extname, join, normalize, sep } from 'node:path';

const TYPES = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json',
  '.wasm': 'application/wasm',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
};

/**
 * Serves `dir` at `http://127.0.0.1:<port><prefix>`; resolves to { url, close() }. `headers`: sent
 * with every file (a Content-Security-Policy, as a strict host would set it).
 */
export async function serveStatic(dir, prefix = '/lr-playground/', { headers = {} } = {}) {
  const root = normalize(dir);
  const server = createServer(async (req, res) => {
    const path = decodeURIComponent(new URL(req.url, 'http://x').pathname);
    const file = path.startsWith(prefix) ? normalize(join(root, path.slice(prefix.length) || 'index.html')) : null;
    if (!file || !(file + sep).startsWith(root + sep) && file !== root) return notFound(res);
    try {
      const body = await readFile(file.endsWith(sep) ? join(file, 'index.html') : file);
      res.writeHead(200, { ...headers, 'content-type': TYPES[extname(file)] ?? 'application/octet-stream' });
      res.end(body);
    } catch {
      notFound(res);
    }
  });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${server.address().port}${prefix}`,
    close: () => new Promise((resolve) => server.close(resolve)),
  };
}

function notFound(res) {
  res.writeHead(404, { 'content-type': 'text/plain' });
  res.end('not found');
}
