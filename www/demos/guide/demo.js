// The guide: the post's four questions in order, each claim with a live figure that computes when
// it comes near the viewport (so the page opens at once), or one figure alone (`figure` in the
// link: an embed of that figure).
import { h } from '../../dom.js';
import { figureCard } from './card.js';
import { FIGURES, QUESTIONS } from './figures/index.js';
import { startInTurn } from './start-order.js';

export default function mount(ctx) {
  const shown = ctx.state.figure === 'all' ? FIGURES : FIGURES.filter((f) => f.id === ctx.state.figure);
  // What the page shows, for tests and tools (as every demo reports its draws): the guide has
  // drawn once its text and figure frames are placed; each figure drawn counts again.
  const report = { renders: 1, findings: {} };
  globalThis.__lrp = { ...globalThis.__lrp, guide: report };
  const onDrawn = (id) => (finding) => {
    report.renders += 1;
    report.findings[id] = finding;
    globalThis.__lrp = { ...globalThis.__lrp, guide: report };
  };
  const cards = shown.map((figure) => ({
    figure,
    ...figureCard(figure, { engine: ctx.engine, href: ctx.linkTo(figure.open.demo, figure.open.state), onDrawn: onDrawn(figure.id) }),
  }));
  const sections = Object.entries(QUESTIONS)
    .map(([number, question]) => ({ question, own: cards.filter((c) => c.figure.question === Number(number)) }))
    .filter(({ own }) => own.length)
    .map(({ question, own }) => h('section', { class: 'guide-question' }, h('h2', {}, question), ...own.map((c) => c.element)));
  const alone = shown.length === 1 && !ctx.embedded ? h('p', {}, h('a', { href: ctx.linkTo('guide', { figure: 'all' }) }, 'The whole guide')) : null;
  const figures = h('div', { class: 'guide' }, ...sections, alone);

  const intro = h(
    'p',
    { class: 'intro' },
    'You have read how the learning rate shapes training. Here is each claim again, with a small live figure computed in this page: the numbers in the sentences are what it found, including where a claim does not hold for these small networks.',
  );

  // Each figure computes once it is near the viewport; all of them at once would keep the engine
  // busy with figures nobody looks at. Those that come near together start in turn (start-order.js);
  // one scrolled past before its turn is watched again.
  const margin = 200;
  const starts = startInTurn((element) => cards.find((c) => c.element === element)?.start(), { margin, away: (element) => observer.observe(element) });
  const observer = new IntersectionObserver(
    (entries) => {
      const near = entries.filter((entry) => entry.isIntersecting).map((entry) => entry.target);
      near.forEach((element) => observer.unobserve(element));
      starts.add(near);
    },
    { rootMargin: `${margin}px` },
  );
  for (const c of cards) observer.observe(c.element);

  const toolbar = h('div', { class: 'toolbar' });

  return {
    regions: { intro, toolbar, figures },
    unmount() {
      observer.disconnect();
      starts.clear();
      for (const c of cards) c.stop();
    },
  };
}
