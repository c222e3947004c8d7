// A run's weights out of the page and back in: "Download weights" saves the run as a safetensors
// file that PyTorch loads as is (with the two lines that do it, written for this network), and
// "Load weights" reads such a file (e.g. a model trained in PyTorch) into the run. The engine
// checks the file (Session.importWeights); its refusal names the tensor that does not fit.
import { h } from './dom.js';
import { download } from './download.js';

const MODULES = { relu: 'nn.ReLU()', tanh: 'nn.Tanh()', sigmoid: 'nn.Sigmoid()', gelu: 'nn.GELU()', linear: 'nn.Identity()' };

/** The PyTorch lines that build `layers` with `activation` between them and load `file` into it. */
export function pytorchSnippet(layers, activation, file) {
  const modules = [];
  for (let i = 0; i + 1 < layers.length; i += 1) {
    if (i > 0) modules.push(MODULES[activation] ?? 'nn.ReLU()');
    modules.push(`nn.Linear(${layers[i]}, ${layers[i + 1]})`);
  }
  return `model = nn.Sequential(${modules.join(', ')})\nmodel.load_state_dict(safetensors.torch.load_file("${file}"))`;
}

/** The file a run's weights are saved as: `lr-playground-run-2.safetensors`. */
export function weightsFile(run) {
  return `lr-playground-run-${run + 1}.safetensors`;
}

/**
 * The buttons and the snippet. `target()` gives the run they act on: { id, run, layers,
 * activation, name?, into? } (null while there is no session; `name` says the run in words, `into`
 * where a file goes, both "run 1" unless given); `load(target, bytes)` reads a file into it
 * (default: Session.importWeights straight away), `onLoaded()` follows; `onError(message)` shows
 * a refusal in words. Returns { element, update() } (update after the target changes).
 */
export function weightsPanel(engine, { target, load: loadInto = (t, bytes) => engine.session.importWeights(t.id, t.run, bytes), onLoaded = () => {}, onError, testid }) {
  const save = h('button', { type: 'button', 'data-testid': `${testid}-download`, onclick: () => exportRun() }, 'Download weights');
  const input = h('input', { type: 'file', accept: '.safetensors,application/octet-stream', hidden: true, 'data-testid': `${testid}-file`, onchange: () => importFile() });
  const load = h('button', { type: 'button', 'data-testid': `${testid}-load`, onclick: () => input.click() }, 'Load weights');
  const code = h('code');
  const snippet = h('details', { class: 'weights-snippet' }, h('summary', {}, 'Load them in PyTorch'), h('pre', {}, code));
  const element = h('div', { class: 'weights', 'data-testid': testid }, save, load, input, snippet);

  async function exportRun() {
    const t = target();
    if (!t) return;
    try {
      download(weightsFile(t.run), await engine.session.exportWeights(t.id, t.run), 'application/octet-stream');
    } catch (err) {
      onError(`The weights could not be saved: ${err.message}`);
    }
  }

  async function importFile() {
    const t = target();
    const [file] = input.files;
    input.value = '';
    if (!t || !file) return;
    try {
      await loadInto(t, new Uint8Array(await file.arrayBuffer()));
      onLoaded();
    } catch (err) {
      const what = err.field && err.field !== 'bytes' ? `tensor ${err.field} ${err.message.slice(err.field.length + 2)}` : err.message.replace(/^bytes: /, 'it ');
      onError(`${file.name} does not fit ${into(t)}: ${what}.`);
    }
  }

  function update() {
    const t = target();
    save.disabled = load.disabled = !t;
    if (!t) return;
    save.textContent = `Download ${t.name ?? `run ${t.run + 1}`}'s weights`;
    load.textContent = `Load weights into ${into(t)}`;
    code.textContent = `import safetensors.torch\nfrom torch import nn\n${pytorchSnippet(t.layers, t.activation, weightsFile(t.run))}`;
  }
  update();
  return { element, update };
}

function into(t) {
  return t.into ?? `run ${t.run + 1}`;
}
