// The bar every demo's figure gets: "Share" (a link to this view, an iframe snippet and an
// <lr-playground> snippet, each with its own Copy button) and "Download" (the figure as PNG or
// SVG, its data as CSV or JSON). Both are disclosure widgets (<details>): keyboard and screen
// reader work as for any button.
import { h } from './dom.js';
import { figureCsv, figureJson, figurePng, figureSvg } from './figure-export.js';
import { download } from './download.js';

const SNIPPETS = [
  ['page', 'Link'],
  ['iframe', 'Embed (iframe)'],
  ['element', 'Embed (<lr-playground>)'],
];

/**
 * `figure`: the element whose drawing is downloaded; `title`: names the files; `links()`: the
 * current `{ page, iframe, element }` (share-links.js), asked each time Share opens.
 */
export function figureBar({ figure, title, links }) {
  const said = h('span', { class: 'share-said', role: 'status' });
  const rows = SNIPPETS.map(([key, label]) => {
    const text = h('textarea', { readonly: true, rows: key === 'page' ? 2 : 3, spellcheck: 'false', 'aria-label': label, 'data-testid': `share-${key}` });
    const copy = h('button', { type: 'button', 'data-testid': `share-copy-${key}`, 'aria-label': `Copy ${label.toLowerCase()}`, onclick: () => copyText(text, label, said) }, 'Copy');
    return { key, text, element: h('div', { class: 'share-row' }, h('span', { class: 'share-label' }, label), text, copy) };
  });
  const share = h('details', { class: 'figure-menu', 'data-testid': 'share' }, h('summary', {}, 'Share'), h('div', { class: 'figure-menu-body' }, ...rows.map((r) => r.element), said));
  share.addEventListener('toggle', () => {
    if (!share.open) return;
    const current = links();
    for (const row of rows) row.text.value = current[row.key];
  });

  const base = `lr-playground-${title.toLowerCase()}`;
  const button = (label, testid, save) => h('button', { type: 'button', 'data-testid': testid, onclick: save }, label);
  const files = h(
    'details',
    { class: 'figure-menu', 'data-testid': 'download' },
    h('summary', {}, 'Download'),
    h(
      'div',
      { class: 'figure-menu-body figure-files' },
      button('PNG image', 'download-png', async () => {
        const png = await figurePng(figure);
        if (png) download(`${base}.png`, png);
      }),
      button('SVG image', 'download-svg', () => download(`${base}.svg`, figureSvg(figure), 'image/svg+xml')),
      button('Data (CSV)', 'download-csv', () => download(`${base}.csv`, figureCsv(figure), 'text/csv')),
      button('Data (JSON)', 'download-json', () => download(`${base}.json`, figureJson(figure), 'application/json')),
    ),
  );
  // One menu open at a time; Escape closes the open one and puts the keyboard back on its button.
  for (const [menu, other] of [[share, files], [files, share]]) {
    menu.addEventListener('toggle', () => menu.open && (other.open = false));
    menu.addEventListener('keydown', (event) => {
      if (event.key !== 'Escape' || !menu.open) return;
      event.stopPropagation();
      menu.open = false;
      menu.querySelector('summary').focus();
    });
  }
  return h('div', { class: 'figure-bar', 'data-testid': 'figure-bar' }, share, files);
}

async function copyText(text, label, said) {
  try {
    await navigator.clipboard.writeText(text.value);
  } catch {
    // No clipboard access (an insecure page, a frame without permission): select it for Ctrl+C.
    text.select();
    said.textContent = `Select all and copy: the browser refused to copy the ${label.toLowerCase()}.`;
    return;
  }
  said.textContent = `${label} copied.`;
}
