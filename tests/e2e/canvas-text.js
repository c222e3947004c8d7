// The text the page draws on its canvases (axis labels, marker labels), read as it is drawn.

/**
 * From the next page load on, `window.__canvasText.get(testid)` holds what each canvas inside a
 * `[data-testid]` box drew since it was last cleared: [{ text, box: [left, top, right, bottom] }],
 * the box in CSS pixels on the canvas.
 */
export async function recordCanvasText(page) {
  await page.addInitScript(() => {
    const { fillText, clearRect } = CanvasRenderingContext2D.prototype;
    const boxOf = (ctx) => ctx.canvas.closest?.('[data-testid]')?.dataset.testid;
    window.__canvasText = new Map();
    CanvasRenderingContext2D.prototype.clearRect = function (...args) {
      if (boxOf(this)) window.__canvasText.set(boxOf(this), []);
      return clearRect.apply(this, args);
    };
    CanvasRenderingContext2D.prototype.fillText = function (text, x, y, ...rest) {
      const testid = boxOf(this);
      if (testid) {
        const m = this.measureText(String(text));
        const scale = this.canvas.width / (this.canvas.clientWidth || this.canvas.width);
        const box = [x - m.actualBoundingBoxLeft, y - m.actualBoundingBoxAscent, x + m.actualBoundingBoxRight, y + m.actualBoundingBoxDescent].map((v) => v / scale);
        window.__canvasText.set(testid, [...(window.__canvasText.get(testid) ?? []), { text: String(text), box }]);
      }
      return fillText.call(this, text, x, y, ...rest);
    };
  });
}

/** What `recordCanvasText` saw drawn last inside `[data-testid=testid]`. */
export function canvasText(page, testid) {
  return page.evaluate((id) => window.__canvasText.get(id) ?? [], testid);
}
