// Engine sessions that a demo opens and may no longer want by the time they exist: a newer
// request took over while the worker was creating one. Such a session is freed at once.

/**
 * A new session of `options` (Session.create's answer), or null when `current()` no longer holds
 * once it exists (it is freed then). The engine's refusal is thrown.
 */
export async function openSession(engine, options, current) {
  const created = await engine.session.create(options);
  if (current()) return created;
  freeSession(engine, created.id);
  return null;
}

/**
 * Frees session `id`, queued in the worker after its calls in flight (whose answers the caller
 * ignores). It fails only when the worker itself is gone, and the session with it.
 */
export function freeSession(engine, id) {
  engine.session.destroy(id).catch(() => {});
}
