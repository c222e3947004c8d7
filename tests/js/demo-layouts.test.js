// The demo host places every demo's regions by its layouts and puts the figure bar (share,
// download) in its toolbar: a demo without one failed to load at all.
import { expect, test } from 'vitest';
import { DEMOS } from '../../www/demos/index.js';

test.each(DEMOS.map((demo) => [demo.id, demo.layout]))('%s: both layouts name a toolbar, each region once', (_, layout) => {
  for (const order of [layout.page, layout.embed]) {
    expect(order).toContain('toolbar');
    expect(new Set(order).size).toBe(order.length);
  }
});
