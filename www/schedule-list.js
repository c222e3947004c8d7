// A list of schedule cards (schedule-editor.js), one per item, with adding and removing items:
// the Schedules demo's schedules, the Train demo's runs and the Surfaces demo's paths. An item is
// a schedule spec or holds one, with controls of its own under the schedule's fields (a run's
// seed, a path's label and optimizer).
import { h } from './dom.js';
import { placeError, placeErrors } from './field-errors.js';
import { COLORS } from './plot.js';
import { scheduleEditor } from './schedule-editor.js';

/**
 * `items`: the list; `kinds`: Schedule.kinds(); `max`: the most items it takes. `testids`:
 * { list, add } and `addLabel` for its element and button; `listClass`: classes beside
 * 'schedule-list'. `scheduleKey`: the field in which an item keeps its schedule spec (null: the
 * item is the spec). `extras(item, index, edit)`: { elements, places } under a card's fields,
 * `places` a Map from the error paths they answer to their showError; `edit(update, rebuild =
 * false)` replaces item `index` by `update(item)`.
 * `schedulePath(index)`: the error path of item `index`'s schedule (null: none, the caller places
 * those errors with showScheduleError). `onItems(items)` reports every edit. `itemName`: what an
 * item is called to a screen reader ("Remove run 2", "Run 2: schedule kind").
 *
 * Returns { element, showError(error) -> whether a card took it, showErrors(errors) -> those no
 * card took, clearErrors(),
 * showScheduleError(index, error | null) }.
 */
export function scheduleList(items, { kinds, max, testids, addLabel, listClass = '', scheduleKey = null, extras = noExtras, schedulePath = () => null, onItems, itemName = 'schedule' }) {
  const list = h('div', { class: `schedule-list ${listClass}`.trim(), 'data-testid': testids.list });
  // A copy of the last item: the usual next move is to vary one field.
  const addButton = h('button', { type: 'button', class: 'add', 'data-testid': testids.add, onclick: () => changed([...items, structuredClone(items.at(-1))], true) }, addLabel);
  const places = new Map();
  let editors = [];

  function build() {
    places.clear();
    editors = items.map((item, index) => {
      const edit = (update, rebuild = false) => changed(items.map((it, i) => (i === index ? update(it) : it)), rebuild);
      const extra = extras(item, index, edit);
      const editor = scheduleEditor({
        index,
        name: itemName,
        spec: scheduleKey === null ? item : item[scheduleKey],
        kinds,
        color: COLORS[index],
        canRemove: items.length > 1,
        onRemove: () => changed(items.filter((_, i) => i !== index), true),
        onSpec: (spec, { rebuild }) => edit((it) => (scheduleKey === null ? spec : { ...it, [scheduleKey]: spec }), rebuild),
        extra: extra.elements,
      });
      const path = schedulePath(index);
      if (path !== null) places.set(path, editor.showError);
      for (const [key, place] of extra.places) places.set(key, place);
      return editor;
    });
    list.replaceChildren(...editors.map((editor) => editor.element));
    addButton.disabled = items.length >= max;
  }

  function changed(next, rebuild) {
    items = next;
    if (rebuild) build();
    onItems(items);
  }

  build();
  return {
    element: h('div', {}, list, addButton),
    showError: (error) => placeError(places, error),
    showErrors: (errors) => placeErrors(places, errors),
    clearErrors: () => placeError(places, null),
    showScheduleError: (index, error) => editors[index].showError(error),
  };
}

function noExtras() {
  return { elements: [], places: new Map() };
}
