// Light or dark, and motion or not, as the reader (or the embedding page) asks. The theme is a
// `data-theme` attribute on the element that holds the page or the embed: `light` and `dark` force
// one, `auto` (or none) follows `prefers-color-scheme` (style.css). Charts drawn on a canvas read
// their colours from the same custom properties.

export const THEMES = ['light', 'dark', 'auto'];

/** `theme` when it is one of THEMES, else 'auto'. */
export function themeOf(theme) {
  return THEMES.includes(theme) ? theme : 'auto';
}

// Who redraws when the theme may have changed: every chart on a canvas (plot.js).
const WATCHERS = new Set();
let watchingScheme = false;

/** Marks `element` with the theme (`auto`: the attribute is removed, the media query decides). */
export function applyTheme(element, theme) {
  const before = element.getAttribute('data-theme');
  if (themeOf(theme) === 'auto') element.removeAttribute('data-theme');
  else element.setAttribute('data-theme', theme);
  if (element.getAttribute('data-theme') !== before) themeChanged();
}

/**
 * Calls `restyle()` after each theme change (applyTheme, or the reader's system switching
 * between light and dark), so what is drawn on a canvas can take the new colours. Returns the
 * function that stops it.
 */
export function onThemeChange(restyle) {
  if (!watchingScheme && globalThis.matchMedia) {
    watchingScheme = true;
    globalThis.matchMedia('(prefers-color-scheme: dark)').addEventListener?.('change', themeChanged);
  }
  WATCHERS.add(restyle);
  return () => WATCHERS.delete(restyle);
}

function themeChanged() {
  for (const restyle of [...WATCHERS]) restyle();
}

export function prefersReducedMotion() {
  return Boolean(globalThis.matchMedia?.('(prefers-reduced-motion: reduce)').matches);
}

/**
 * Colours for a canvas drawn in `element`, from the theme's custom properties, resolved to plain
 * colours (the properties hold `light-dark()`, which only a style property resolves).
 */
export function chartColours(element) {
  const fallback = { ink: '#1d2330', muted: '#5b6475', grid: '#0000001a', paper: '#ffffff', error: '#b3261e', 'off-map': '#8a8f99' };
  if (!element?.isConnected || !globalThis.getComputedStyle) return fallback;
  const probe = element.ownerDocument.createElement('span');
  probe.hidden = true;
  element.append(probe);
  const read = (name) => {
    probe.style.color = `var(--${name}, ${fallback[name]})`;
    return getComputedStyle(probe).color || fallback[name];
  };
  const colours = Object.fromEntries(Object.keys(fallback).map((name) => [name, read(name)]));
  probe.remove();
  return colours;
}
