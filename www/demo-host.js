// Shows one demo in a root element: loads it, mounts it with its `ctx` (see main.js), and places
// the regions it returns in the order its layout gives for a page or an embed. Each region is
// marked with its name and is the grid area of that name, for the demo's CSS to arrange. Every
// demo gets the same figure bar (share.js: share and download), after its own toolbar.
//
// An embed that leads with its picture (the <lr-playground> element, and an iframe whose link says
// `lead=picture`) shows the regions its layout lists before the toolbar, then one bar (a
// "Controls" button, the figure bar, the link out), and folds everything else behind that button;
// a demo's button marked `data-autoplay` (its play button) is pressed once it can be, unless the
// reader asked for reduced motion. Older embed links keep the layout they always had.
import { h } from './dom.js';
import { figureBar } from './share.js';
import { prefersReducedMotion } from './theme.js';
import { errorText } from './messages.js';

/**
 * `host.show(demo, state, ctx)`: mounts `demo` (a registry entry) in `root` with its `state` and
 * `ctx` (everything else a demo gets). `links(id, state)` gives what the figure bar shares;
 * `openFull` (embeds): the link out to the full page, kept in the bar; `lead`: the embed leads
 * with its picture (above). Returns { show, unmount }.
 */
export function demoHost(root, { embedded, links, openFull = null, lead = false }) {
  let shown = 0;
  let unmount = () => {};
  let current = null;
  let watching = null; // autoplay's watch for the play button

  async function show(demo, state, ctx) {
    const ticket = ++shown;
    clear();
    root.dataset.demo = demo.id;
    current = { id: demo.id, state };
    try {
      const { default: mount } = await demo.load();
      if (ticket !== shown) return;
      const setState = (patch) => {
        current.state = { ...current.state, ...patch };
        ctx.setState(patch);
      };
      const mounted = mount({ ...ctx, state: structuredClone(state), setState, embedded });
      unmount = mounted.unmount;
      place(mounted.regions, demo.layout[embedded ? 'embed' : 'page'], demo.title);
    } catch (err) {
      root.replaceChildren(h('p', { class: 'demo-error', role: 'alert' }, `The ${demo.title} demo failed to load: ${errorText(err)}`));
    }
  }

  function place(regions, order, title) {
    const placed = order.map((name) => {
      if (!regions[name]) throw new Error(`its layout names a region it lacks: ${name}`);
      regions[name].dataset.region = name;
      regions[name].style.gridArea = name;
      return regions[name];
    });
    const bar = figureBar({ figure: root, title, links: () => links(current.id, current.state) });
    if (!lead) {
      regions.toolbar.append(bar);
      if (openFull) regions.toolbar.append(openFull);
      root.replaceChildren(...placed);
      return;
    }
    const split = order.indexOf('toolbar');
    const picture = placed.slice(0, split);
    const controls = h('div', { class: 'embed-controls', id: 'embed-controls', 'data-testid': 'embed-controls', hidden: true }, ...placed.slice(split));
    const toggle = h('button', { type: 'button', 'aria-expanded': 'false', 'aria-controls': 'embed-controls', 'data-testid': 'embed-controls-toggle' }, 'Controls');
    toggle.addEventListener('click', () => {
      controls.hidden = !controls.hidden;
      toggle.setAttribute('aria-expanded', String(!controls.hidden));
    });
    const row = h('div', { class: 'embed-bar' }, toggle, bar, openFull);
    root.classList.add('lead');
    root.replaceChildren(...picture, row, controls);
    if (!prefersReducedMotion()) watching = autoplay(root);
  }

  function clear() {
    watching?.disconnect();
    watching = null;
    root.classList.remove('lead');
    unmount();
    unmount = () => {};
    root.replaceChildren();
  }

  return {
    show,
    unmount() {
      shown += 1;
      clear();
    },
  };
}

// Presses the demo's play button once, as soon as there is one marked `data-autoplay` and enabled
// (a demo marks it, or enables it, once it has something to play). Returns the watch, if any.
function autoplay(root) {
  const press = () => {
    const button = root.querySelector('[data-autoplay]:not(:disabled)');
    button?.click();
    return Boolean(button);
  };
  if (press()) return null;
  const watch = new MutationObserver(() => press() && watch.disconnect());
  watch.observe(root, { subtree: true, attributes: true, attributeFilter: ['disabled', 'data-autoplay'] });
  return watch;
}
