// Module workers from wherever the code is served. A browser starts a worker only from a script of
// the page's own origin; the <lr-playground> element may be loaded from another one (a static host
// that sends `Access-Control-Allow-Origin: *`). There the worker is a one-line module of the
// page's origin (a blob) that imports the real script by its full URL, so the script's own
// `import.meta.url`, and with it the wasm next to it, still point at that host.

/** A module worker running the script at `url` (a URL object). */
export function spawnModuleWorker(url) {
  const here = globalThis.location?.origin;
  if (here === undefined || url.origin === here) return new Worker(url, { type: 'module' });
  const shim = URL.createObjectURL(new Blob([`import ${JSON.stringify(url.href)};`], { type: 'text/javascript' }));
  const worker = new Worker(shim, { type: 'module' });
  // The worker has read its script once it says anything; the blob is not needed after that.
  worker.addEventListener('message', () => URL.revokeObjectURL(shim), { once: true });
  return worker;
}
