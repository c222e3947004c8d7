import { describe, expect, test } from 'vitest';
import { interpolateRdBu, interpolateViridis } from 'd3-scale-chromatic';
import { colourRamp, rampColour } from '../../www/colour.js';

describe('colour ramps', () => {
  test('a ramp samples the d3 map at both ends and in between, from rgb() strings', () => {
    const ramp = colourRamp(interpolateRdBu, 3);
    expect(Array.from(ramp)).toEqual([103, 0, 31, 242, 239, 238, 5, 48, 97]);
    expect(colourRamp(interpolateRdBu)).toHaveLength(256 * 3);
  });

  test('and from #rrggbb strings', () => {
    expect(Array.from(colourRamp(interpolateViridis, 2))).toEqual([0x44, 0x01, 0x54, 0xfd, 0xe7, 0x25]);
    expect(Array.from(colourRamp(() => 'rgb(1, 2, 3)', 1))).toEqual([1, 2, 3]);
  });

  test('a place on the ramp picks the nearest entry, ends included', () => {
    const ramp = new Uint8ClampedArray([0, 0, 0, 100, 100, 100, 200, 200, 200]);
    expect(Array.from(rampColour(ramp, 0))).toEqual([0, 0, 0]);
    expect(Array.from(rampColour(ramp, 0.2))).toEqual([0, 0, 0]);
    expect(Array.from(rampColour(ramp, 0.3))).toEqual([100, 100, 100]);
    expect(Array.from(rampColour(ramp, 1))).toEqual([200, 200, 200]);
  });
});
