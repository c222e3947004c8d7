// A demo's engine driver (Trainer, Lab, RangeTest) over a fake engine, with what it reports kept in
// `seen`: every view its onUpdate sends (as `view` keeps it), and what its onBackend and onError
// get (as `backend` and `error` keep them).
export function watched(Driven, engine, { view = (v) => v, backend = (b) => b.backend, error = (e) => e.message } = {}) {
  const seen = { views: [], backends: [], errors: [] };
  const driven = new Driven(engine, {
    onUpdate: (v) => seen.views.push(view(v)),
    onBackend: (b, how) => seen.backends.push(backend(b, how)),
    onError: (e, stage) => seen.errors.push(error(e, stage)),
  });
  return { driven, seen };
}
