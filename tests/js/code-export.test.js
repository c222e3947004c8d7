// @vitest-environment happy-dom
import { afterEach, describe, expect, test, vi } from 'vitest';
import { COPIED_MS, TARGETS, codeExport, targetOf } from '../../www/code-export.js';

const fieldError = (message, field) => Object.assign(new Error(message), { field });

// A code export whose load answers from `answers[target]` (a string, or an Error to throw).
function make(answers, options = {}) {
  const clipboard = { writeText: vi.fn(async () => {}) };
  const load = vi.fn(async (target) => {
    const answer = answers[target];
    if (answer instanceof Error) throw answer;
    return answer;
  });
  const x = codeExport({ id: 'c', what: 'schedule 1', load, clipboard, ...options });
  document.body.replaceChildren(x.element);
  const get = (suffix) => x.element.querySelector(`[data-testid="c${suffix}"]`);
  return { x, load, clipboard, get };
}

async function open(x) {
  x.element.open = true;
  await x.refresh();
}

afterEach(() => vi.useRealTimers());

describe('targetOf', () => {
  test("a kind's own library, PyTorch for the libraries built on it", () => {
    expect(targetOf('fastai')).toBe('fastai');
    expect(targetOf('pytorch')).toBe('pytorch');
    expect(targetOf('ulmfit')).toBe('pytorch');
    expect(targetOf('lr-playground')).toBe('pytorch');
    expect(targetOf(undefined)).toBe('pytorch');
  });
});

describe('codeExport', () => {
  test('loads nothing until opened, then the default target', async () => {
    const { x, load, get } = make({ fastai: 'learn.fit_one_cycle(5)\n' }, { defaultTarget: () => 'fastai' });
    await x.refresh();
    expect(load).not.toHaveBeenCalled();
    await open(x);
    expect(load).toHaveBeenCalledWith('fastai');
    expect(get('-target').value).toBe('fastai');
    expect(get('-code').textContent).toBe('learn.fit_one_cycle(5)\n');
    expect(get('-code').getAttribute('aria-label')).toBe('Python code for schedule 1');
  });

  test('offers the given targets, in the engine order, with names for people', () => {
    const { get } = make({}, { targets: ['keras', 'pytorch'] });
    const options = [...get('-target').options].map((o) => [o.value, o.textContent]);
    expect(options).toEqual([['pytorch', 'PyTorch'], ['keras', 'Keras']]);
    expect(TARGETS.map((t) => t.value)).toEqual(['pytorch', 'transformers', 'timm', 'optax', 'keras', 'fastai']);
  });

  test("a picked target stays picked; the engine's refusal shows instead of the code", async () => {
    const refusal = fieldError('target: optax cannot express CyclicLR exactly; these can: pytorch', 'target');
    const { x, load, get } = make({ pytorch: 'scheduler = CyclicLR(...)\n', optax: refusal });
    await open(x);
    get('-target').value = 'optax';
    get('-target').dispatchEvent(new Event('change'));
    await vi.waitFor(() => expect(get('-refusal').hidden).toBe(false));
    expect(load).toHaveBeenLastCalledWith('optax');
    expect(get('-refusal').textContent).toBe(refusal.message);
    expect(get('-code').hidden).toBe(true);
    expect(get('-copy').disabled).toBe(true);
    await x.refresh();
    expect(get('-target').value).toBe('optax');
  });

  test('only the newest answer shows', async () => {
    let release;
    const slow = new Promise((resolve) => (release = resolve));
    const answers = { pytorch: 'new\n' };
    const load = vi.fn((target) => (load.mock.calls.length === 1 ? slow : Promise.resolve(answers[target])));
    const x = codeExport({ id: 'c', what: 'run 1', load, clipboard: {} });
    x.element.open = true;
    const first = x.refresh();
    await x.refresh();
    release('old\n');
    await first;
    expect(x.element.querySelector('code').textContent).toBe('new\n');
  });

  test('Copy writes the code, says Copied, announces it, and goes back to Copy', async () => {
    const { x, clipboard, get } = make({ pytorch: 'optimizer = ...\n' });
    await open(x);
    vi.useFakeTimers();
    get('-copy').click();
    await vi.waitFor(() => expect(get('-copy').textContent).toBe('Copied'));
    expect(clipboard.writeText).toHaveBeenCalledWith('optimizer = ...\n');
    expect(get('-announce').textContent).toBe('Copied the code to the clipboard');
    expect(get('-announce').getAttribute('aria-live')).toBe('polite');
    vi.advanceTimersByTime(COPIED_MS);
    expect(get('-copy').textContent).toBe('Copy');
    expect(get('-announce').textContent).toBe('');
  });

  test('a refused copy says so and how to copy by hand', async () => {
    const { x, clipboard, get } = make({ pytorch: 'x = 1\n' });
    clipboard.writeText.mockRejectedValue(new Error('denied'));
    await open(x);
    get('-copy').click();
    await vi.waitFor(() => expect(get('-copy').textContent).toBe('Copy failed'));
    expect(get('-announce').textContent).toMatch(/select the code and copy it yourself/);
  });

  test('the code is reachable by keyboard and labelled; the picker has a label', () => {
    const { get, x } = make({});
    expect(get('-code').getAttribute('tabindex')).toBe('0');
    const label = x.element.querySelector(`label[for="${get('-target').id}"]`);
    expect(label.textContent.trim()).toBe('Library');
    expect(x.element.querySelector('summary').textContent).toBe('Copy as code');
  });
});
