// The entry of the page (index.html) and of the <lr-playground> element (dist/lr-playground.js):
// it composes the demos registered in demos/index.js with the URL-state table. A demo (demos/index.js)
// loads a module whose default export is `mount(ctx) -> { regions, unmount() }`; demo-host.js places
// the regions in the order the demo's layout gives for a page or an embed. Demos get everything
// through `ctx`:
//   { engine, state (its own keys), setState(patch of its keys), notify(text), showBackend(a session's backend { backend, adapter, reason, fallback }),
//     embedded (shown alone in an iframe or an element), linkTo(demo id, state patch of its keys) -> href }
// (showBackend: a demo that trains says where its training actually runs; linkTo: a link that opens
// another demo in the full page, the keys it is not given at their defaults).
import 'uplot/dist/uPlot.min.css';
import './style.css';
import './demos/styles.css';
import { DEMOS, LINKS } from './demos/index.js';
import { defineElement } from './element.js';
import { startPage } from './page.js';
import { pageSchema } from './state.js';

const schema = pageSchema(DEMOS, LINKS);
// index.html marks its body; on any other page this module only defines the element.
if (document.body?.dataset.lrpPage !== undefined) startPage(DEMOS, schema);
defineElement(DEMOS, schema);
