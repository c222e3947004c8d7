// What "Share" offers for a demo in a given state: a link to the full page, an iframe snippet,
// and an <lr-playground> snippet, all pointing at the same static host (`base`: the folder that
// holds index.html and lr-playground.js).
import { writeViewKeys } from './view-keys.js';

/** `{ page, iframe, element }` for demo `id` in `state` (its own keys), with the view keys `view`. */
export function shareLinks({ base, schema, id, state, view = { theme: 'auto', hidden: [] } }) {
  const full = { ...schema.defaults(), demo: id, [id]: state };
  const extra = writeViewKeys(view);
  const hash = `${schema.serialize(full)}${extra && `&${extra}`}`;
  const page = new URL(`index.html#${hash}`, base).href;
  const framed = new URL(`index.html?embed=${encodeURIComponent(id)}&lead=picture#${hash}`, base).href;
  const iframe = `<iframe src="${escapeAttribute(framed)}" title="lr-playground: ${escapeAttribute(id)}" width="700" height="500" loading="lazy" style="border:0;max-width:100%"></iframe>`;
  const attributes = [['demo', id], ...changedKeys(schema, id, state)];
  if (view.theme && view.theme !== 'auto') attributes.push(['theme', view.theme]);
  for (const key of view.hidden ?? []) attributes.push([`${key}_hide`, '1']);
  const script = new URL('lr-playground.js', base).href;
  const element = `<script type="module" src="${escapeAttribute(script)}"></script>\n<lr-playground ${attributes.map(([k, v]) => `${k}="${escapeAttribute(v)}"`).join(' ')}></lr-playground>`;
  return { page, iframe, element };
}

// The demo's keys whose written value differs from the default's: a short snippet that still
// opens the same view (the element starts from the defaults too).
function changedKeys(schema, id, state) {
  const defaults = schema.defaults();
  const written = new URLSearchParams(schema.serialize({ ...defaults, demo: id, [id]: state }));
  const plain = new URLSearchParams(schema.serialize({ ...defaults, demo: id }));
  return [...written].filter(([key, value]) => key !== 'demo' && plain.get(key) !== value);
}

function escapeAttribute(text) {
  return String(text).replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;');
}
