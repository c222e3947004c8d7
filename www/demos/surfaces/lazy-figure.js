// The life of a Surfaces figure that computes when first shown (the network's landscape, the
// plateau race): its picture and results regions shown or hidden together, a run started the
// first time it is shown (or again if the last one did not finish), and stopped when it is hidden.

/**
 * `picture`, `results`: the figure's regions. `run()` computes and draws it, `stop()` ends a run in
 * flight, `status()` says { running, drawn }; `destroy()` frees what the figure holds. Returns
 * { picture, results, show(visible), visible(), run(), exposed(), destroy() }: what the demo uses.
 */
export function lazyFigure({ picture, results, run, stop, status, destroy }) {
  let visible = false;
  return {
    picture,
    results,
    show(on) {
      visible = on;
      picture.hidden = !on;
      results.hidden = !on;
      const { running, drawn } = status();
      if (!on) stop();
      else if (!drawn && !running) run();
    },
    visible: () => visible,
    run,
    exposed: status,
    destroy,
  };
}
