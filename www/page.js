// The full page (index.html): its chrome (header, tabs, backend badge, notices), the URL-hash
// state, and the shown demo (demo-host.js). `?embed=<demo>` shows that demo alone, for an iframe
// (`&lead=picture`: led by its picture, playing, the controls folded; demo-host.js).
import { h } from './dom.js';
import { errorText, readable } from './messages.js';
import { demoHost } from './demo-host.js';
import { startEngine } from './engine.js';
import { shareLinks } from './share-links.js';
import { applyTheme } from './theme.js';
import { hideControls, readViewKeys, writeViewKeys } from './view-keys.js';

/** Runs the page in `document` for the registered `demos`, with their URL-state `schema`. */
export function startPage(demos, schema) {
  // A worker that replaced a failed one is asked again what it runs on; one that replaced a worker
  // that crashed mid-use has none of its sessions, so the demo is built again from the link.
  const engine = startEngine({ onRestart: (error) => {
    detectBackend();
    if (!error) return;
    notify(`The engine stopped (${errorText(error)}) and was restarted; the demo was set up again from the link.`);
    loadState();
    show(state.demo);
  } });
  const root = document.getElementById('demo');
  const nav = document.getElementById('demo-nav');
  const badge = document.querySelector('[data-testid="backend-badge"]');
  const badgeReason = document.getElementById('backend-reason');
  const notices = document.querySelector('[data-testid="state-notice"]');
  const openFull = document.querySelector('[data-testid="open-full"]');

  let state;
  let view;
  let sessionsShown = 0; // sessions' backends shown on the badge
  let hiding = null; // hideLater's watch
  const base = () => Object.assign(new URL(location.href), { search: '', hash: '' });
  notices.querySelector('button').addEventListener('click', clearNotices);
  const embedded = embeddedDemo();
  const host = demoHost(root, {
    embedded: embedded !== null,
    lead: embedded !== null && new URLSearchParams(location.search).get('lead') === 'picture',
    links: (id, demoState) => shareLinks({ base: base(), schema, id, state: demoState, view }),
    openFull: embedded === null ? null : openFull,
  });
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
    const demo = demos.find((d) => d.id === id);
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
    // The theme may come in the query too (an iframe's src), the hash wins.
    const fromQuery = readViewKeys(location.search);
    view = readViewKeys(location.hash);
    if (view.theme === 'auto') view.theme = fromQuery.theme;
    applyTheme(document.documentElement, view.theme);
    setState(parsed.state);
  }

  function setState(patch) {
    state = { ...state, ...patch };
    const extra = writeViewKeys(view);
    // replaceState: a link to share, without one history entry per slider movement.
    history.replaceState(null, '', `#${schema.serialize(state)}${extra && `&${extra}`}`);
    const full = new URL(location.href);
    full.search = '';
    openFull.href = full.href;
  }

  // Tabs as WAI-ARIA's tab pattern: one tab stop (the selected tab), arrow keys, Home and End.
  function buildNav() {
    root.setAttribute('aria-labelledby', 'demo-tab-current');
    nav.replaceChildren(
      ...demos.map((demo) =>
        h('button', { type: 'button', role: 'tab', id: `tab-${demo.id}`, 'aria-controls': 'demo', 'data-demo': demo.id, 'data-testid': `tab-${demo.id}`, onclick: () => show(demo.id) }, demo.title),
      ),
    );
    nav.addEventListener('keydown', (event) => {
      const tabs = [...nav.children];
      const at = tabs.indexOf(document.activeElement);
      const to = { ArrowRight: at + 1, ArrowLeft: at - 1, Home: 0, End: tabs.length - 1 }[event.key];
      if (at < 0 || to === undefined) return;
      event.preventDefault();
      const next = tabs[(to + tabs.length) % tabs.length];
      next.focus();
      show(next.dataset.demo);
    });
  }

  function show(id) {
    const demo = demos.find((d) => d.id === id);
    setState({ demo: id });
    for (const tab of nav.children) {
      const selected = tab.dataset.demo === id;
      tab.setAttribute('aria-selected', String(selected));
      tab.tabIndex = selected ? 0 : -1;
    }
    root.setAttribute('aria-labelledby', `tab-${id}`);
    hideLater(view.hidden);
    host.show(demo, state[id], {
      engine,
      // A demo changes its own keys only; the link shows them while it is the demo shown.
      setState: (patch) => setState({ [id]: { ...state[id], ...patch } }),
      notify,
      showBackend: showSessionBackend,
      linkTo,
    });
  }

  // Controls appear as the demo builds them (some after the engine answers): hidden as they come.
  function hideLater(hidden) {
    hiding?.disconnect();
    if (!hidden.length) return;
    const hide = () => hideControls(root, hidden, root.dataset.demo);
    hiding = new MutationObserver(hide);
    hiding.observe(root, { childList: true, subtree: true });
  }

  function linkTo(id, patch) {
    const defaults = schema.defaults();
    const url = base();
    url.hash = schema.serialize({ ...defaults, demo: id, [id]: { ...defaults[id], ...patch } });
    return url.href;
  }

  // What the engine could use, until a demo's session says where its training runs: an answer
  // that comes after a session's (the worker opens WebGPU while a "cpu" session is made) is older.
  async function detectBackend() {
    const sessionsBefore = sessionsShown;
    try {
      const { backend, adapter, reason } = await engine.backend();
      const available = 'WebGPU is available: a demo that trains times it against the CPU path and takes the faster';
      if (sessionsShown !== sessionsBefore) return;
      showBackend({ backend, adapter, fallback: reason, reason: backend === 'webgpu' ? available : `No WebGPU: ${reason ?? 'unknown reason'}` });
    } catch (err) {
      badge.dataset.backend = 'error';
      badge.textContent = 'Engine unavailable';
      describeBackend(err.message);
    }
  }

  function showSessionBackend(backend) {
    sessionsShown++;
    showBackend(backend);
  }

  /** Where training runs (a session's `backend`): the badge's text, and why in its tooltip and description. */
  function showBackend({ backend, adapter, reason, fallback }) {
    badge.dataset.backend = backend;
    badge.textContent = backend === 'webgpu' ? `WebGPU · ${adapter ?? 'unknown adapter'}` : fallback ? 'CPU fallback' : 'CPU path';
    describeBackend(reason ?? (backend === 'webgpu' ? 'Training runs on the GPU through WebGPU' : 'Training runs on the CPU path'));
  }

  function describeBackend(text) {
    badge.title = text;
    badgeReason.textContent = text;
  }

  function notify(text) {
    notices.querySelector('ul').append(h('li', {}, readable(text)));
    notices.hidden = false;
  }

  function clearNotices() {
    notices.querySelector('ul').replaceChildren();
    notices.hidden = true;
  }
}
