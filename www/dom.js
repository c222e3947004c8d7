// Builds elements without ever parsing markup: text always goes in as text nodes.

/**
 * `h('button', { class: 'x', onclick: fn }, 'Label')`. Attributes are set with setAttribute
 * (true -> present, false/null/undefined -> absent); `on*` keys add event listeners.
 */
export function h(tag, attrs = {}, ...children) {
  const el = document.createElement(tag);
  for (const [name, value] of Object.entries(attrs)) {
    if (value === false || value == null) continue;
    if (name.startsWith('on')) el.addEventListener(name.slice(2), value);
    // Through the CSSOM: a style attribute set as markup is what a strict Content-Security-Policy refuses.
    else if (name === 'style') el.style.cssText = String(value);
    else el.setAttribute(name, value === true ? '' : String(value));
  }
  el.append(...children.flat().filter((c) => c != null && c !== false));
  return el;
}
