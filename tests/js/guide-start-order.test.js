// Figures that come near the viewport together start one per frame, nearest the middle first.
import { afterEach, beforeEach, expect, test, vi } from 'vitest';
import { startInTurn } from '../../www/demos/guide/start-order.js';

let frames;
beforeEach(() => {
  vi.useFakeTimers();
  frames = [];
  vi.stubGlobal('innerHeight', 900);
  vi.stubGlobal('requestAnimationFrame', (callback) => frames.push(callback));
});
afterEach(() => {
  vi.useRealTimers();
  vi.unstubAllGlobals();
});

// An element whose box spans [top, top + 300) in the viewport.
const figure = (name, top) => ({ name, getBoundingClientRect: () => ({ top, bottom: top + 300 }) });
// Draws one frame, then runs what was queued after it.
const drawFrame = () => {
  frames.splice(0).forEach((callback) => callback());
  vi.runAllTimers();
};

test('the figure nearest the middle starts at once, the others one per frame in order of distance', () => {
  const started = [];
  const starts = startInTurn((element) => started.push(element.name));
  starts.add([figure('below', 800), figure('middle', 300), figure('above', -150)]);
  expect(started).toEqual(['middle']);
  drawFrame();
  expect(started).toEqual(['middle', 'above']);
  drawFrame();
  expect(started).toEqual(['middle', 'above', 'below']);
  drawFrame();
  expect(frames).toEqual([]);
});

test('one that comes near while others wait joins the queue by distance; clear drops the waiting', () => {
  const started = [];
  const starts = startInTurn((element) => started.push(element.name), { margin: 1000 });
  starts.add([figure('a', 0), figure('far', 1400)]);
  starts.add([figure('near', 400)]);
  expect(started).toEqual(['a']);
  drawFrame();
  expect(started).toEqual(['a', 'near']);
  starts.clear();
  drawFrame();
  expect(started).toEqual(['a', 'near']);
});

test('one scrolled past before its turn is handed back instead of started', () => {
  const started = [];
  const away = [];
  const starts = startInTurn((element) => started.push(element.name), { margin: 200, away: (element) => away.push(element.name) });
  const later = figure('later', 500);
  starts.add([figure('first', 300), later, figure('far', 1200)]);
  expect(started).toEqual(['first']);
  expect(away).toEqual(['far']);
  // The reader scrolls on: `later` now ends 400 px above the viewport, past the margin.
  later.getBoundingClientRect = () => ({ top: -700, bottom: -400 });
  drawFrame();
  expect(started).toEqual(['first']);
  expect(away).toEqual(['far', 'later']);
  expect(frames).toEqual([]);
});
