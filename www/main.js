// The UI thread: page chrome (header, tabs, backend badge, notices), the URL-hash state, and
// mounting the current demo. Demos get everything through `ctx`:
//   { engine, state, setState(patch), notify(text), showBackend({ backend, adapter, reason }) }
// (showBackend: a demo that trains says where its training actually runs).
import './style.css';
import { h } from './dom.js';
import { DEMOS } from './demos/index.js';
import { startEngine } from './engine.js';
import { parse, serialize } from './state.js';

const engine = startEngine();
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
  if (DEMOS.some((d) => d.id === id)) {
    document.body.classList.add('embed');
    openFull.hidden = false;
    return id;
  }
  notify(`Ignored embed=${JSON.stringify(id.slice(0, 40))}: there is no such demo; showing the whole page.`);
  return null;
}

function loadState() {
  const parsed = parse(location.hash);
  parsed.notices.forEach(notify);
  setState(embedded ? { ...parsed.state, demo: embedded } : parsed.state);
}

function setState(patch) {
  state = { ...state, ...patch };
  // replaceState: a link to share, without one history entry per slider movement.
  history.replaceState(null, '', `#${serialize(state)}`);
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
  try {
    const { default: mount } = await demo.load();
    if (ticket !== shown) return;
    unmount = mount(root, { engine, state, setState, notify, showBackend });
  } catch (err) {
    root.replaceChildren(h('p', { class: 'demo-error', role: 'alert' }, `The ${demo.title} demo failed to load: ${err.message}`));
  }
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
