import { chromium } from '@playwright/test';
const [src, out, x, y, w, h] = process.argv.slice(2);
const b = await chromium.launch({ executablePath: '/usr/bin/chromium', args: ['--no-sandbox', '--headless=new'] });
const p = await b.newPage({ viewport: { width: Number(w), height: Number(h) } });
await p.goto('file://' + src);
await p.evaluate(([x, y]) => { document.body.style.margin = 0; const i = document.querySelector('img'); i.style.position = 'absolute'; i.style.left = -x + 'px'; i.style.top = -y + 'px'; }, [Number(x), Number(y)]);
await p.screenshot({ path: out });
await b.close();
