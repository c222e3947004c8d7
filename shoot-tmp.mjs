import { chromium } from '@playwright/test';
import { serveStatic } from '/work/wt-train/tests/e2e/static-server.js';
import { launchOptions } from '/work/wt-train/tests/e2e/browser.js';
const server = await serveStatic('/work/wt-train/dist');
const browser = await chromium.launch(launchOptions({ webgpu: process.env.GPU !== '0' }));
const [hash, name, w, h, embed, train, dark] = process.argv.slice(2);
const page = await browser.newPage({ viewport: { width: Number(w), height: Number(h) }, colorScheme: dark === '1' ? 'dark' : 'light' });
const logs = [];
page.on('console', (m) => logs.push(`${m.type()}: ${m.text()}`));
page.on('pageerror', (e) => logs.push(`pageerror: ${e.message}`));
await page.goto(`${server.url}${embed === '1' ? '?embed=train' : ''}#${hash}`);
await page.waitForFunction(() => window.__lrp?.train?.renders >= 1, null, { timeout: 60000 }).catch((e) => logs.push('no render ' + e.message));
if (train === '1') {
  await page.getByTestId('train-start').click();
  await page.waitForFunction(() => /done/.test(document.querySelector('[data-testid=train-counter]').textContent), null, { timeout: 240000 }).catch((e) => logs.push('not done ' + e.message));
}
await page.waitForTimeout(500);
await page.screenshot({ path: `/tmp/shots-train/${name}.png`, fullPage: embed !== '1' && !name.includes('top') });
console.log(JSON.stringify(await page.evaluate(() => ({ findings: window.__lrp?.train?.findings, steps: window.__lrp?.train?.steps, states: window.__lrp?.train?.states?.slice(0, 8) }))));
console.log(logs.filter((l) => !/^debug|^verbose/.test(l)).slice(0, 20).join('\n'));
await browser.close();
await server.close();
