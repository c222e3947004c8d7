// What a locator shows, read from its screenshot by the page's own browser: how varied, how bright.

// `measure` ('variety' | 'luminance') of the screenshot's pixels, computed in the page.
async function measured(locator, measure) {
  const png = await locator.screenshot();
  return locator.page().evaluate(
    async ([bytes, what]) => {
      const bitmap = await createImageBitmap(new Blob([new Uint8Array(bytes)], { type: 'image/png' }));
      const canvas = new OffscreenCanvas(bitmap.width, bitmap.height);
      const context = canvas.getContext('2d');
      context.drawImage(bitmap, 0, 0);
      const data = context.getImageData(0, 0, bitmap.width, bitmap.height).data;
      if (what === 'variety') {
        const seen = new Set();
        for (let i = 0; i < data.length; i += 4) seen.add((data[i] >> 3) * 1024 + (data[i + 1] >> 3) * 32 + (data[i + 2] >> 3));
        return seen.size;
      }
      let sum = 0;
      for (let i = 0; i < data.length; i += 4) sum += 0.2126 * data[i] + 0.7152 * data[i + 1] + 0.0722 * data[i + 2];
      return sum / (data.length / 4) / 255;
    },
    [[...png], measure],
  );
}

/** How many distinct colours (5 bits a channel) a locator shows: a blank picture has one or two. */
export const colourVariety = (locator) => measured(locator, 'variety');

/** The mean luminance (0 black .. 1 white) of what a locator shows. */
export const luminance = (locator) => measured(locator, 'luminance');
