// Whether a figure shows a picture while the slow work behind it still runs, checked inside the
// page in the same frame as the work's state (see the specs that use it).

/**
 * Gives `page` (before it loads) `window.__showsPicture(selector)`: whether the element there (in
 * the document, or in the <lr-playground> element's shadow root) is laid out and shows a picture,
 * a canvas with painted pixels of at least two colours or an SVG shape with a size. A canvas is
 * read by drawing it onto a scratch one, which never gives it a context of its own (WebGL's stays free).
 */
export function watchPictures(page) {
  return page.addInitScript(() => {
    const scratch = document.createElement('canvas');
    scratch.width = scratch.height = 64;
    const context = scratch.getContext('2d', { willReadFrequently: true });
    const shown = (el) => {
      const box = el.getBoundingClientRect();
      return box.width > 0 && box.height > 0;
    };
    const painted = (canvas) => {
      if (!canvas.width || !canvas.height || !shown(canvas)) return false;
      context.clearRect(0, 0, 64, 64);
      context.drawImage(canvas, 0, 0, 64, 64);
      const data = context.getImageData(0, 0, 64, 64).data;
      const colours = new Set();
      for (let i = 0; i < data.length; i += 4) if (data[i + 3] > 0) colours.add((data[i] << 16) | (data[i + 1] << 8) | data[i + 2]);
      return colours.size >= 2;
    };
    const shape = (svg) => [...svg.querySelectorAll('path, line, polyline, polygon, rect, circle')].some(shown);
    window.__showsPicture = (selector) => {
      const root = document.querySelector('lr-playground')?.shadowRoot ?? document;
      const box = root.querySelector(selector);
      return Boolean(box) && shown(box) && ([...box.querySelectorAll('canvas')].some(painted) || [...box.querySelectorAll('svg')].some(shape));
    };
  });
}

/**
 * Waits, frame by frame, until `check` (run in the page) returns 'picture' (drawn while still
 * busy) or 'done' (the work ended first); resolves to which.
 */
export async function firstOf(page, check, arg, { timeout = 60_000 } = {}) {
  const handle = await page.waitForFunction(check, arg, { timeout, polling: 'raf' });
  return handle.jsonValue();
}
