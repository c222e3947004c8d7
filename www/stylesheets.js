// The page's stylesheets for a shadow root (the <lr-playground> element): the same files the page
// links, as text, with the page's own selectors (`:root`, `body`) pointed at the element's frame,
// the element that plays the page's part inside the shadow root.
import uplot from 'uplot/dist/uPlot.min.css?inline';
import page from './style.css?inline';
import demos from './demos/styles.css?inline';

let sheets = null;

/** Constructed stylesheets, made once and shared by every element on the page. */
export function shadowStyleSheets() {
  sheets ??= [uplot, page, demos, HOST].map((text) => {
    const sheet = new CSSStyleSheet();
    sheet.replaceSync(forFrame(text));
    return sheet;
  });
  return sheets;
}

/** `text` with `:root` and `body` (as selectors) made the frame's class. */
export function forFrame(text) {
  return text.replace(/:root\b/g, '.lrp-frame').replace(/(^|[\s,{}>~+(])body(?=[\s.:,{[#>~+)])/g, '$1.lrp-frame');
}

// The element sizes itself like an image: as wide as it is given, at a 7:5 aspect ratio (the
// 700 × 500 of an iframe embed) unless its page sets a height; the demo scrolls inside. `hidden`
// is Train's URL-state key (hidden units), so it does not hide the element (this rule wins over
// the browser's own).
const HOST = `
:host { display: block; position: relative; width: 100%; aspect-ratio: 7 / 5; overflow: auto; contain: content; border: 1px solid #8883; border-radius: 6px; }
.lrp-frame { min-height: 100%; box-sizing: border-box; max-width: none; margin: 0; padding: 0.5rem; }
`;
