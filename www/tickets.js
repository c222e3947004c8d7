// Requests whose answers count only while they are the newest: a demo asks again (new options, a
// new test, the figure hidden) before the worker has answered, and the older answer must then be
// dropped rather than overwrite the newer one.

/** Numbers requests so that only the newest one is heard. */
export class Tickets {
  #latest = 0;

  /** A new request: returns `current()`, true until a newer request is issued or `revoke()` is called. */
  issue() {
    const ticket = ++this.#latest;
    return () => ticket === this.#latest;
  }

  /** Every request issued so far is superseded. */
  revoke() {
    this.#latest += 1;
  }
}
