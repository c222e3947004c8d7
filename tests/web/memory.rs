//! Memory that runs out politely: the engine counts its allocations, and a call that would pass
//! its budget (1 GiB) is refused with an `Error` that names what to free, long before wasm32's
//! 4 GiB trap; what `destroy()` and `free()` release is available again at once.

use crate::js::{js, thrown};
use lr_playground::web::Session;
use wasm_bindgen_test::wasm_bindgen_test;

/// About 5.4 MB of run state: 4 runs of 67074 parameters, five copies each.
const WIDE: &str = r#"{"backend": "cpu", "layers": [2, 256, 256, 2], "batch_size": 16,
  "data": {"kind": "circle", "n": 64, "seed": 1},
  "runs": [{"seed": 1, "schedule": {"kind": "Constant"}}, {"seed": 2, "schedule": {"kind": "Constant"}},
           {"seed": 3, "schedule": {"kind": "Constant"}}, {"seed": 4, "schedule": {"kind": "Constant"}}]}"#;

#[wasm_bindgen_test]
async fn objects_never_freed_meet_the_budget_as_an_error_and_destroy_frees_at_once() {
    let kept = Session::create(js(WIDE)).await.unwrap();
    // Snapshots taken and never freed fill the budget (cheaply: each is a copy of the state).
    let mut snapshots = Vec::new();
    let refusal = loop {
        match kept.snapshot() {
            Ok(snapshot) => snapshots.push(snapshot),
            Err(e) => break thrown(Err::<(), _>(e)),
        }
        assert!(snapshots.len() < 400, "no refusal after {} snapshots (about 2 GB)", snapshots.len());
    };
    assert!(snapshots.len() > 100, "refused after only {} snapshots: {refusal}", snapshots.len());
    assert!(refusal.starts_with("Session.snapshot: needs 5."), "{refusal}");
    // Room for a few dozen sessions, which a loop creates and never destroys.
    snapshots.truncate(snapshots.len() - 30);
    let mut held = Vec::new();
    let refusal = loop {
        match Session::create(js(WIDE)).await {
            Ok(session) => held.push(session),
            Err(e) => break thrown(Err::<(), _>(e)),
        }
        assert!(held.len() < 100, "no refusal after {} sessions", held.len());
    };
    assert!(held.len() >= 20, "30 snapshots' room held only {} sessions: {refusal}", held.len());
    assert!(refusal.starts_with("Session.create: needs 5."), "{refusal}");
    assert!(refusal.contains("of its 1024 MB memory budget: call destroy() on the Sessions"), "{refusal}");
    for session in held.drain(..) {
        session.destroy();
    }
    let again = Session::create(js(WIDE)).await.expect("memory is free again after destroy()");
    again.destroy();
    snapshots.clear();
    assert!(kept.snapshot().is_ok(), "and after the snapshots are freed");
    kept.destroy();
}
