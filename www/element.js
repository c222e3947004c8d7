// <lr-playground>: one demo on any page, from one script tag (dist/lr-playground.js, which may be
// served from another origin). Attributes: `demo` (an id of demos/index.js), `figure` (a guide
// figure, passed on as the URL-state key `figure`), any URL-state key of the demo with its value
// as a link writes it (state.js), `<key>_hide`, `theme` (light | dark | auto) and `loading` (lazy,
// the default: nothing runs until the element is near the viewport; eager). It renders in its own
// shadow root, and every element on a page shares one engine worker.
import { h } from './dom.js';
import { readable } from './messages.js';
import { demoHost } from './demo-host.js';
import { startEngine } from './engine.js';
import { shareLinks } from './share-links.js';
import { applyTheme } from './theme.js';
import { hideControls, readViewKeys } from './view-keys.js';

// Attributes that are the element's own, not URL state.
const OWN = new Set(['demo', 'theme', 'loading', 'class', 'style', 'id', 'title', 'tabindex']);
// How close to the viewport a lazy element starts.
const NEAR = '300px';

let engine = null;

/** Defines <lr-playground> (once) over the registered `demos` and their URL-state `schema`. */
export function defineElement(demos, schema) {
  if (!globalThis.customElements || customElements.get('lr-playground')) return;
  // The folder the element was loaded from: it holds index.html, for links out and snippets.
  const base = new URL(/* @vite-ignore */ '../', import.meta.url);
  customElements.define('lr-playground', playgroundElement(demos, schema, base));
}

function playgroundElement(demos, schema, base) {
  return class LrPlayground extends HTMLElement {
    static observedAttributes = ['demo', 'theme', 'figure', 'loading', ...new Set(demos.flatMap((d) => d.state.map((e) => e.key)))];

    #frame = null;
    #host = null;
    #near = null;
    #hiding = null;
    #started = false;

    connectedCallback() {
      if (!this.#frame) this.#build();
      if (this.#started) return;
      if (this.getAttribute('loading') === 'eager') return this.#start();
      this.#near = new IntersectionObserver((entries) => entries.some((e) => e.isIntersecting) && this.#start(), { rootMargin: NEAR });
      this.#near.observe(this);
    }

    disconnectedCallback() {
      this.#near?.disconnect();
      this.#hiding?.disconnect();
      this.#host?.unmount();
      this.#started = false;
    }

    attributeChangedCallback(name) {
      // A new theme restyles what is there (charts follow, theme.js); any other attribute is a new view.
      if (name === 'theme' && this.#frame) applyTheme(this.#frame, this.getAttribute('theme') ?? 'auto');
      else if (this.#started) this.#show();
    }

    #build() {
      const shadow = this.attachShadow({ mode: 'open' });
      this.#frame = h('div', { class: 'lrp-frame embed', part: 'frame' });
      shadow.append(this.#frame);
      import('./stylesheets.js').then(({ shadowStyleSheets }) => (shadow.adoptedStyleSheets = shadowStyleSheets()));
    }

    #start() {
      this.#near?.disconnect();
      this.#started = true;
      this.#show();
    }

    #show() {
      const notices = h('ul', { class: 'notices', role: 'status', hidden: true });
      const notify = (text) => {
        notices.append(h('li', {}, readable(text)));
        notices.hidden = false;
      };
      const demo = this.#demo(notify);
      const params = new URLSearchParams();
      for (const { name, value } of this.attributes) if (!OWN.has(name)) params.set(name, value);
      const parsed = schema.parse(`#${params}`, demo.id);
      parsed.notices.forEach(notify);
      const view = { ...readViewKeys(params.toString()), theme: this.getAttribute('theme') ?? 'auto' };
      applyTheme(this.#frame, view.theme);

      const root = h('div', { id: 'demo', role: 'region', 'aria-label': `${demo.title}, lr-playground` });
      const openFull = h('a', { class: 'open-full', target: '_blank', rel: 'noopener' }, 'open in lr-playground ↗');
      const linkTo = (id, patch) => {
        const defaults = schema.defaults();
        return new URL(`index.html#${schema.serialize({ ...defaults, demo: id, [id]: { ...defaults[id], ...patch } })}`, base).href;
      };
      let state = parsed.state[demo.id];
      const setState = (patch) => {
        state = { ...state, ...patch };
        openFull.href = shareLinks({ base, schema, id: demo.id, state, view }).page;
      };
      setState({});
      this.#host?.unmount();
      this.#host = demoHost(root, { embedded: true, lead: true, links: (id, current) => shareLinks({ base, schema, id, state: current, view }), openFull });
      this.#frame.replaceChildren(notices, root);
      this.#hiding?.disconnect();
      this.#hiding = new MutationObserver(() => hideControls(root, view.hidden, demo.id));
      if (view.hidden.length) this.#hiding.observe(root, { childList: true, subtree: true });
      engine ??= startEngine();
      this.#host.show(demo, state, { engine, setState, notify, showBackend: () => {}, linkTo });
    }

    // The demo named by `demo`; without one, the guide when a figure is named and there is a guide.
    #demo(notify) {
      const wanted = this.getAttribute('demo') ?? (this.hasAttribute('figure') ? 'guide' : null);
      const demo = demos.find((d) => d.id === wanted);
      if (demo) return demo;
      if (wanted !== null) notify(`There is no demo called ${JSON.stringify(wanted.slice(0, 40))}; showing ${demos[0].title}.`);
      return demos[0];
    }
  };
}
