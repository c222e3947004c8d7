// Ids that are unique beyond one worker (a session id held from a worker that failed never names
// a new session). crypto.randomUUID exists only in secure contexts (https or localhost), and the
// page also runs over plain http from a LAN address or a school server: getRandomValues works in any.

/** 32 random hex digits. */
export function randomId() {
  return Array.from(crypto.getRandomValues(new Uint8Array(16)), (b) => b.toString(16).padStart(2, '0')).join('');
}
