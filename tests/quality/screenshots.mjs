#!/usr/bin/env node
// Full-page screenshots of a built site for a person to look at (not a test).
//
//   node tests/quality/screenshots.mjs <site-dir> <out-dir> [path ...]
//
// Default paths: /, the first space card's page, /sessions/. Each is taken at 390px
// and 1280px, light and dark, as <out-dir>/<name>-<width>-<scheme>.png. Serves the
// folder on 127.0.0.1 and uses Debian's Chromium, like audit.mjs.

import { createServer } from 'node:http';
import { existsSync, mkdirSync, readFileSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { extname, join, resolve, sep } from 'node:path';
import process from 'node:process';

const require = createRequire(import.meta.url);
const { chromium } = require('playwright-core');

const [siteArg, outArg, ...paths] = process.argv.slice(2);
if (!siteArg || !outArg) {
  process.stderr.write('usage: node tests/quality/screenshots.mjs <site-dir> <out-dir> [path ...]\n');
  process.exit(2);
}
const root = resolve(siteArg);
const out = resolve(outArg);
mkdirSync(out, { recursive: true });

const TYPES = { '.html': 'text/html; charset=utf-8', '.css': 'text/css', '.js': 'text/javascript', '.svg': 'image/svg+xml', '.json': 'application/json' };
const server = createServer((req, res) => {
  let full = resolve(root, '.' + decodeURIComponent(new URL(req.url, 'http://x').pathname));
  if (full !== root && !full.startsWith(root + sep)) full = join(root, '404.html');
  if (existsSync(full) && statSync(full).isDirectory()) full = join(full, 'index.html');
  if (!existsSync(full)) {
    res.writeHead(404);
    res.end();
    return;
  }
  res.writeHead(200, { 'content-type': TYPES[extname(full)] || 'application/octet-stream' });
  res.end(readFileSync(full));
});
await new Promise((ok) => server.listen(0, '127.0.0.1', ok));
const origin = `http://127.0.0.1:${server.address().port}`;

const browser = await chromium.launch({
  executablePath: process.env.HOTDESK_CHROMIUM || '/usr/bin/chromium',
  args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
});
try {
  if (paths.length === 0) {
    const page = await browser.newPage();
    await page.goto(origin + '/');
    const space = await page.evaluate(() => document.querySelector('li.card-item a[href]')?.getAttribute('href'));
    await page.close();
    paths.push('/', ...(space ? [space] : []), '/sessions/');
  }
  for (const width of [390, 1280]) {
    for (const colorScheme of ['light', 'dark']) {
      const context = await browser.newContext({ viewport: { width, height: 900 }, colorScheme, reducedMotion: 'reduce' });
      const page = await context.newPage();
      for (const p of paths) {
        await page.goto(origin + p, { waitUntil: 'load' });
        const name = p.replace(/^\/|\/$/g, '').replace(/\//g, '_') || 'home';
        const file = join(out, `${name}-${width}-${colorScheme}.png`);
        await page.screenshot({ path: file, fullPage: true });
        process.stdout.write(file + '\n');
      }
      await context.close();
    }
  }
} finally {
  await browser.close();
  server.close();
}
