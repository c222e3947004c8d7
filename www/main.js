// The UI thread: page chrome (header, tabs, backend badge, notices), the URL-hash state, and
// mounting the shown demo. A demo (demos/index.js) loads a module whose default export is
// `mount(ctx) -> { regions, unmount() }`; the page places the regions in the order the demo's
// layout gives for a page or an embed. Demos get everything through `ctx`:
//   { engine, state (its own keys), setState(patch of its keys), notify(text), showBackend({ backend, adapter, reason }),
//     embedded (shown alone in an iframe), linkTo(demo id, state patch of its keys) -> href }
// (showBackend: a demo that trains says where its training actually runs; linkTo: a link that opens
// another demo in the full page, the keys it is not given at their defaults).
import './style.css';
import { h } from './dom.js';
import { DEMOS, LINKS } from './demos/index.js';
import { startEngine } from './engine.js';
import { pageSchema } from './state.js';

const schema = pageSchema(DEMOS, LINKS);
// A worker that replaced a failed one is asked again what it runs on; one that replaced a worker
// that crashed mid-use has none of its sessions, so the demo is built again from the link.
const engine = startEngine({ onRestart: (error) => {
  detectBackend();
  if (!error) return;
  notify(`The engine stopped (${error.message}) and was restarted; the demo was set up again from the link.`);
  loadState();
  show(state.demo);
} });
const root = document.getElementById('demo');
const nav = document.getElementById('demo-nav');
const badge = document.querySelector('[data-testid="backend-badge"]');
const notices = document.querySelector('[data-testid="state-notice"]');
const openFull = document.querySelector('[data-testid="open-full"]');

let state;
let unmount = () => {};
let shown = 0;

notices.querySelector('button').addEventListener('click', clearNotices);
const embedded = embeddedDemo();
detectBackend();
loadState();
buildNav();
show(state.demo);

// A hash typed or pasted by hand: read it like a fresh link.
window.addEventListener('hashchange', () => {
  clearNotices();
  loadState();
  show(state.demo);
});

// `?embed=<demo>`: only that demo, without header or tabs, for an iframe.
function embeddedDemo() {
  const id = new URLSearchParams(location.search).get('embed');
  if (id === null) return null;
  const demo = DEMOS.find((d) => d.id === id);
  if (demo) {
    document.body.classList.add('embed');
    document.title = `${demo.title} · lr-playground`;
    openFull.hidden = false;
    return id;
  }
  notify(`Ignored embed=${JSON.stringify(id.slice(0, 40))}: there is no such demo; showing the whole page.`);
  return null;
}

function loadState() {
  const parsed = schema.parse(location.hash, embedded ?? undefined);
  parsed.notices.forEach(notify);
  setState(parsed.state);
}

function setState(patch) {
  state = { ...state, ...patch };
  // replaceState: a link to share, without one history entry per slider movement.
  history.replaceState(null, '', `#${schema.serialize(state)}`);
  const full = new URL(location.href);
  full.search = '';
  openFull.href = full.href;
}

function buildNav() {
  nav.replaceChildren(
    ...DEMOS.map((demo) =>
      h('button', { type: 'button', role: 'tab', 'data-demo': demo.id, 'data-testid': `tab-${demo.id}`, onclick: () => show(demo.id) }, demo.title),
    ),
  );
}

async function show(id) {
  const demo = DEMOS.find((d) => d.id === id);
  const ticket = ++shown;
  setState({ demo: id });
  for (const tab of nav.children) tab.setAttribute('aria-selected', String(tab.dataset.demo === id));
  unmount();
  unmount = () => {};
  root.replaceChildren();
  root.dataset.demo = id;
  try {
    const { default: mount } = await demo.load();
    if (ticket !== shown) return;
    const mounted = mount({
      engine,
      state: structuredClone(state[id]),
      // A demo changes its own keys only; the link shows them while it is the demo shown.
      setState: (patch) => setState({ [id]: { ...state[id], ...patch } }),
      notify,
      showBackend,
      embedded: embedded !== null,
      linkTo,
    });
    unmount = mounted.unmount;
    place(mounted.regions, demo.layout[embedded ? 'embed' : 'page']);
  } catch (err) {
    root.replaceChildren(h('p', { class: 'demo-error', role: 'alert' }, `The ${demo.title} demo failed to load: ${err.message}`));
  }
}

// The demo's regions in its declared order; a region the order leaves out is not shown. Each is
// marked with its name and is the grid area of that name, for the demo's CSS to arrange.
function place(regions, order) {
  root.replaceChildren(
    ...order.map((name) => {
      if (!regions[name]) throw new Error(`its layout names a region it lacks: ${name}`);
      regions[name].dataset.region = name;
      regions[name].style.gridArea = name;
      return regions[name];
    }),
  );
}

function linkTo(id, patch) {
  const defaults = schema.defaults();
  const url = new URL(location.href);
  url.search = '';
  url.hash = schema.serialize({ ...defaults, demo: id, [id]: { ...defaults[id], ...patch } });
  return url.href;
}

async function detectBackend() {
  try {
    showBackend(await engine.backend());
  } catch (err) {
    badge.dataset.backend = 'error';
    badge.textContent = 'Engine unavailable';
    badge.title = err.message;
  }
}

function showBackend({ backend, adapter, reason }) {
  badge.dataset.backend = backend;
  badge.textContent = backend === 'webgpu' ? `WebGPU · ${adapter ?? 'unknown adapter'}` : 'CPU fallback';
  badge.title = backend === 'webgpu' ? 'Training runs on the GPU through WebGPU' : `No WebGPU: ${reason ?? 'unknown reason'}`;
}

function notify(text) {
  notices.querySelector('ul').append(h('li', {}, text));
  notices.hidden = false;
}

function clearNotices() {
  notices.querySelector('ul').replaceChildren();
  notices.hidden = true;
}
