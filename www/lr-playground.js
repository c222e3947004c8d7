// dist/lr-playground.js: the one script an embedding page loads. It defines <lr-playground>
// (main.js, which starts the full page only on index.html); everything else it needs (the engine
// worker, the wasm, each demo's code) it loads relative to its own URL.
import './main.js';
