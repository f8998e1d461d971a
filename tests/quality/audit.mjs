#!/usr/bin/env node
// Audits a built hotdesk site in Debian's Chromium: axe-core (WCAG 2.2 AA and
// best practice), third-party requests, failed requests, script errors, reflow at
// 360px, internal links, and the site without JavaScript.
//
//   node tests/quality/audit.mjs <site-dir>
//
// Prints one JSON summary on stdout; exit 0 when it passes, 1 when it found a
// problem, 2 when it could not run (no browser, bad arguments). Run by
// tests/it/quality.rs; see tests/quality/README.md for what fails and why.
//
// Environment: HOTDESK_CHROMIUM (default /usr/bin/chromium), HOTDESK_AUDIT_WORKERS
// (parallel pages, default 2), HOTDESK_AUDIT_MAX_PAGES (default 150),
// HOTDESK_AUDIT_TIMEOUT_S (give up after, default 300), HOTDESK_AUDIT_BEST_PRACTICE=report
// (report best-practice rules without failing on them).

import { createServer } from 'node:http';
import { existsSync, readFileSync, readdirSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { extname, join, relative, resolve, sep } from 'node:path';
import process from 'node:process';

const require = createRequire(import.meta.url);
/** axe-core, served by the audit's own server at a path no site uses. */
const AXE_PATH = '/__hotdesk-audit__/axe.min.js';
let AXE_SOURCE = '';
/** A page with two planted faults (an image without alt, grey on white text). */
const SELF_TEST_PATH = '/__hotdesk-audit__/self-test.html';
const SELF_TEST_PAGE = `<!doctype html><html lang="en"><head><title>self-test</title></head>
<body><main><h1>Self-test</h1><img src="data:image/gif;base64,R0lGODlhAQABAAAAACw=" width="20" height="20">
<p style="color:#ccc;background:#fff">This text is too pale to read.</p></main></body></html>`;

// ---------------------------------------------------------------------------------
// What is checked, and what fails

/** axe rules tagged with any of these fail the audit. */
const WCAG_TAGS = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa'];
/**
 * Best-practice rules (landmarks, heading order, one h1, ...) also FAIL the audit:
 * a directory that favours no listing should not favour sighted mouse users either,
 * and these rules are cheap to keep green. Set HOTDESK_AUDIT_BEST_PRACTICE=report to
 * report them without failing.
 */
const BEST_PRACTICE_FAILS = process.env.HOTDESK_AUDIT_BEST_PRACTICE !== 'report';
/** The rules that depend on the colour scheme: all that the dark pass runs. */
const COLOUR_RULES = ['color-contrast', 'link-in-text-block'];
const CHROMIUM = process.env.HOTDESK_CHROMIUM || '/usr/bin/chromium';
const WORKERS = Math.max(1, Number(process.env.HOTDESK_AUDIT_WORKERS) || 2);
const MAX_PAGES = Math.max(1, Number(process.env.HOTDESK_AUDIT_MAX_PAGES) || 150);
const NAV_TIMEOUT_MS = 20_000;
/**
 * The whole audit gives up after this long rather than hang a test run. It needs about
 * 15 s of CPU (browser included) for the example site; this is only for a wedged browser.
 */
const WATCHDOG_MS = (Number(process.env.HOTDESK_AUDIT_TIMEOUT_S) || 300) * 1000;
const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-dev-shm-usage',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];
const MODES = {
  light: { width: 1280, height: 900, colorScheme: 'light' },
  narrow: { width: 360, height: 740, colorScheme: 'light' },
  dark: { width: 1280, height: 900, colorScheme: 'dark' },
};

const secondsSince = (t) => Math.round((Date.now() - t) / 100) / 10;

function usage(message) {
  process.stderr.write(`audit.mjs: ${message}\nusage: node tests/quality/audit.mjs <site-dir>\n`);
  process.exit(2);
}

// ---------------------------------------------------------------------------------
// A tiny static server

const TYPES = {
  '.html': 'text/html; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.json': 'application/json',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.jpeg': 'image/jpeg',
  '.webp': 'image/webp',
  '.avif': 'image/avif',
  '.gif': 'image/gif',
  '.ico': 'image/x-icon',
  '.xml': 'application/xml',
  '.txt': 'text/plain; charset=utf-8',
  '.ics': 'text/calendar; charset=utf-8',
  '.woff2': 'font/woff2',
};

/** The file a URL path names inside `root` (directories -> index.html), or null. */
function resolveFile(root, urlPath) {
  let decoded;
  try {
    decoded = decodeURIComponent(urlPath);
  } catch {
    return null;
  }
  if (decoded.includes('\0')) return null;
  const full = resolve(root, '.' + decoded);
  if (full !== root && !full.startsWith(root + sep)) return null;
  try {
    const st = statSync(full);
    if (st.isDirectory()) {
      const index = join(full, 'index.html');
      return existsSync(index) ? index : null;
    }
    return st.isFile() ? full : null;
  } catch {
    return null;
  }
}

function startServer(root) {
  const server = createServer((req, res) => {
    const path = new URL(req.url, 'http://x').pathname;
    if (path === SELF_TEST_PATH) {
      res.writeHead(200, { 'content-type': TYPES['.html'] });
      res.end(SELF_TEST_PAGE);
      return;
    }
    if (path === AXE_PATH) {
      res.writeHead(200, { 'content-type': TYPES['.js'], 'cache-control': 'max-age=3600' });
      res.end(AXE_SOURCE);
      return;
    }
    // A directory URL without its slash redirects, as a real host would.
    const full = resolve(root, '.' + path);
    if (!path.endsWith('/') && existsSync(join(full, 'index.html'))) {
      res.writeHead(301, { location: path + '/' });
      res.end();
      return;
    }
    let file = resolveFile(root, path);
    let status = 200;
    if (!file) {
      status = 404;
      file = existsSync(join(root, '404.html')) ? join(root, '404.html') : null;
    }
    const type = file ? TYPES[extname(file).toLowerCase()] || 'application/octet-stream' : 'text/plain';
    const body = file ? readFileSync(file) : Buffer.from('not found');
    res.writeHead(status, { 'content-type': type, 'content-length': body.length, 'cache-control': 'no-store' });
    res.end(req.method === 'HEAD' ? undefined : body);
  });
  return new Promise((ok, fail) => {
    server.once('error', fail);
    server.listen(0, '127.0.0.1', () => ok(server));
  });
}

// ---------------------------------------------------------------------------------
// Pages

function htmlPages(root) {
  const out = [];
  const walk = (dir) => {
    for (const entry of readdirSync(dir, { withFileTypes: true }).sort((a, b) => (a.name < b.name ? -1 : 1))) {
      if (entry.name.startsWith('.')) continue;
      const p = join(dir, entry.name);
      if (entry.isDirectory()) walk(p);
      else if (entry.name.endsWith('.html')) out.push(p);
    }
  };
  walk(root);
  return out.map((p) => {
    const rel = relative(root, p).split(sep).join('/');
    return '/' + (rel === 'index.html' ? '' : rel.endsWith('/index.html') ? rel.slice(0, -'index.html'.length) : rel);
  });
}

/** Home, 404, and for each top-level folder its index and first other page. */
function samplePages(pages) {
  const pick = new Set(pages.filter((p) => p === '/' || p === '/404.html'));
  const groups = new Map();
  for (const p of pages) {
    const seg = p.split('/')[1];
    if (!seg || seg.endsWith('.html')) continue;
    if (!groups.has(seg)) groups.set(seg, []);
    groups.get(seg).push(p);
  }
  for (const [seg, list] of groups) {
    if (list.includes(`/${seg}/`)) pick.add(`/${seg}/`);
    const other = list.find((p) => p !== `/${seg}/`);
    if (other) pick.add(other);
  }
  return pages.filter((p) => pick.has(p));
}

/** Up to `max` pages: all if few, else the sample plus an even spread of the rest. */
function choosePages(pages, max) {
  if (pages.length <= max) return pages;
  const chosen = new Set(samplePages(pages));
  const rest = pages.filter((p) => !chosen.has(p));
  const room = Math.max(0, max - chosen.size);
  for (let i = 0; i < room; i++) chosen.add(rest[Math.floor((i * rest.length) / room)]);
  return pages.filter((p) => chosen.has(p));
}

// ---------------------------------------------------------------------------------
// In the page

/** Adds `page` and `context` to the entry for `key` in `map`, making it if new. */
function note(map, key, fields, page, context) {
  if (!map.has(key)) map.set(key, { url: key, ...fields, pages: [], contexts: [] });
  const entry = map.get(key);
  if (page && !entry.pages.includes(page) && entry.pages.length < 10) entry.pages.push(page);
  if (context && !entry.contexts.includes(context)) entry.contexts.push(context);
}

/** Runs in the page: axe, reflow, ids and links. */
async function inPageAudit({ tags, rules, checkReflow }) {
  // The audit's own script tag is not the site's.
  document.querySelector('script[src*="__hotdesk-audit__"]')?.remove();
  const result = await window.axe.run(document, {
    runOnly: rules ? { type: 'rule', values: rules } : { type: 'tag', values: tags },
    resultTypes: ['violations', 'incomplete'],
  });
  const slim = (list) =>
    list.map((r) => ({
      id: r.id,
      impact: r.impact,
      tags: r.tags,
      help: r.help,
      helpUrl: r.helpUrl,
      nodes: r.nodes.map((n) => ({ target: n.target, summary: n.failureSummary, html: n.html.slice(0, 300) })),
    }));
  let overflow = null;
  if (checkReflow) {
    const doc = document.scrollingElement || document.documentElement;
    if (doc.scrollWidth > window.innerWidth + 1) {
      // Name the first elements that stick out, to point at the cause; what sticks out
      // of a scrolling or clipping box (a wide table in its wrapper) is fine.
      const inScroller = (el) => {
        for (let a = el.parentElement; a && a !== document.body; a = a.parentElement) {
          if (getComputedStyle(a).overflowX !== 'visible') return true;
        }
        return false;
      };
      const wide = [];
      for (const el of document.body.querySelectorAll('*')) {
        const r = el.getBoundingClientRect();
        if (r.right > window.innerWidth + 1 && r.width > 0 && !inScroller(el)) {
          let name = el.tagName.toLowerCase();
          if (el.id) name += '#' + el.id;
          if (el.classList.length) name += '.' + [...el.classList].join('.');
          wide.push({ element: name, right: Math.round(r.right) });
          if (wide.length >= 5) break;
        }
      }
      overflow = { scrollWidth: doc.scrollWidth, viewport: window.innerWidth, elements: wide };
    }
  }
  const ids = [...document.querySelectorAll('[id]')].map((e) => e.id);
  for (const a of document.querySelectorAll('a[name]')) ids.push(a.getAttribute('name'));
  const links = [...document.querySelectorAll('a[href], area[href]')].map((a) => a.getAttribute('href'));
  // Hints that make the browser connect without a request event of their own.
  const hints = [...document.querySelectorAll('link[rel]')]
    .filter((l) => /\b(preconnect|dns-prefetch|prefetch|prerender|preload|modulepreload)\b/i.test(l.rel))
    .map((l) => l.href);
  return { violations: slim(result.violations), incomplete: slim(result.incomplete), overflow, ids, links, hints };
}

/** Runs in the page: is this element really shown? */
function shown(el) {
  if (!el) return false;
  const r = el.getBoundingClientRect();
  if (r.width < 1 || r.height < 1) return false;
  if (el.checkVisibility && !el.checkVisibility({ checkOpacity: true, checkVisibilityCSS: true })) return false;
  if (el.closest('[hidden], [inert], [aria-hidden="true"]')) return false;
  return true;
}

// ---------------------------------------------------------------------------------
// The audit

async function main() {
  const siteArg = process.argv[2];
  if (!siteArg || process.argv.length > 3) usage('expected exactly one argument');
  const root = resolve(siteArg);
  if (!existsSync(join(root, 'index.html'))) usage(`${root} has no index.html`);
  if (!existsSync(CHROMIUM)) usage(`no Chromium at ${CHROMIUM} (apt-get install -y chromium)`);

  const started = Date.now();
  const watchdog = setTimeout(() => {
    process.stderr.write(`audit.mjs: gave up after ${WATCHDOG_MS / 1000}s\n`);
    process.exit(2);
  }, WATCHDOG_MS);
  watchdog.unref();

  const { chromium } = require('playwright-core');
  AXE_SOURCE = readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');
  const server = await startServer(root);
  const origin = `http://127.0.0.1:${server.address().port}`;

  const allPages = htmlPages(root);
  const pages = choosePages(allPages, MAX_PAGES);
  const sample = samplePages(pages);

  const summary = {
    ok: false,
    site: root,
    pages: { total: allPages.length, audited: pages.length, sampledForNarrowAndDark: sample },
    policy: {
      wcagTags: WCAG_TAGS,
      bestPracticeFails: BEST_PRACTICE_FAILS,
      modes: MODES,
      darkRules: COLOUR_RULES,
      incomplete: 'axe "needs review" results are counted, never failed on',
    },
    counts: {},
    violations: [],
    bestPractice: [],
    incomplete: {},
    thirdPartyRequests: [],
    failedRequests: [],
    scriptErrors: [],
    reflow: [],
    brokenLinks: [],
    noJs: { ok: false, checks: [] },
    errors: [],
  };

  summary.timing = {};
  const thirdParty = new Map();
  const failed = new Map();
  const browser = await chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: CHROMIUM_ARGS,
    timeout: 60_000,
  });
  summary.timing.browserUp = secondsSince(started);
  try {
    // Records every request of a context; anything not to our server is third-party.
    // Both lists are keyed by URL, each entry naming the pages and contexts it came from.
    const local = (url) => {
      if (/^(data|blob|about):/.test(url)) return true;
      try {
        return new URL(url).origin === origin;
      } catch {
        return false;
      }
    };
    const pageOf = (req) => {
      const url = req.frame?.()?.url?.() || '';
      return url.startsWith(origin) ? url.slice(origin.length) : url || null;
    };
    const watch = (context, label) => {
      context.on('request', (req) => {
        if (!local(req.url())) note(thirdParty, req.url(), { type: req.resourceType() }, pageOf(req), label);
      });
      context.on('response', (res) => {
        const req = res.request();
        const url = res.url();
        if (!local(url) || res.status() < 400) return;
        note(failed, url.slice(origin.length), { status: res.status(), type: req.resourceType() }, pageOf(req), label);
      });
      context.on('requestfailed', (req) => {
        const url = req.url();
        // A load cut short after its error status was already recorded above, or by
        // the audit itself moving on to the next page (a lazy image still loading).
        if (!local(url) || failed.has(url.slice(origin.length))) return;
        if (req.failure()?.errorText === 'net::ERR_ABORTED') return;
        note(failed, url.slice(origin.length), { error: req.failure()?.errorText, type: req.resourceType() }, pageOf(req), label);
      });
      // Nothing may leave the machine: answer every foreign request with an error.
      return context.route(
        (url) => !local(url.href),
        (route) => route.abort('blockedbyclient'),
      );
    };

    // ---- First prove the judge can fail: a page with two known faults.
    summary.selfTest = await selfTest(browser, origin);
    if (!summary.selfTest.ok) summary.errors.push({ page: '(self-test)', error: `axe missed a planted fault: ${JSON.stringify(summary.selfTest)}` });

    // ---- axe on every page (light, 1280px), the sample also narrow and dark.
    const context = await browser.newContext({ viewport: { width: 1280, height: 900 }, reducedMotion: 'reduce' });
    await watch(context, 'axe');
    const jobs = [];
    for (const p of pages) jobs.push({ path: p, mode: 'light' });
    for (const p of sample) jobs.push({ path: p, mode: 'narrow' }, { path: p, mode: 'dark' });
    const pageFacts = new Map();
    const tags = [...WCAG_TAGS, 'best-practice'];

    const worker = async () => {
      const page = await context.newPage();
      page.setDefaultTimeout(NAV_TIMEOUT_MS);
      let current = null;
      page.on('pageerror', (err) => summary.scriptErrors.push({ page: current, error: String(err.message || err) }));
      page.on('console', (msg) => {
        // Failed loads are reported (with their URL) by the response handler; this
        // one also covers the browser's own /favicon.ico probe, which is not the site's.
        if (msg.type() === 'error' && !msg.text().startsWith('Failed to load resource')) {
          summary.scriptErrors.push({ page: current, console: msg.text() });
        }
      });
      while (jobs.length) {
        const job = jobs.shift();
        const m = MODES[job.mode];
        current = `${job.path} [${job.mode}]`;
        try {
          await page.setViewportSize({ width: m.width, height: m.height });
          await page.emulateMedia({ colorScheme: m.colorScheme });
          await page.goto(origin + job.path, { waitUntil: 'load' });
          await page.addScriptTag({ url: AXE_PATH });
          const r = await page.evaluate(inPageAudit, {
            tags,
            // Dark mode changes only colours: check the colour rules there.
            rules: job.mode === 'dark' ? COLOUR_RULES : null,
            checkReflow: job.mode === 'narrow',
          });
          for (const v of r.violations) {
            const isWcag = v.tags.some((t) => WCAG_TAGS.includes(t));
            const entry = {
              page: job.path,
              mode: job.mode,
              rule: v.id,
              impact: v.impact,
              help: v.help,
              helpUrl: v.helpUrl,
              targets: v.nodes.map((n) => n.target),
              nodes: v.nodes.slice(0, 5),
            };
            (isWcag ? summary.violations : summary.bestPractice).push(entry);
          }
          for (const v of r.incomplete) {
            summary.incomplete[v.id] = (summary.incomplete[v.id] || 0) + v.nodes.length;
          }
          if (r.overflow) summary.reflow.push({ page: job.path, mode: job.mode, ...r.overflow });
          for (const h of r.hints) {
            if (!local(h)) note(thirdParty, h, { type: 'resource hint (<link rel>)' }, job.path, job.mode);
          }
          if (job.mode === 'light') pageFacts.set(job.path, { ids: new Set(r.ids), links: r.links });
        } catch (err) {
          summary.errors.push({ page: job.path, mode: job.mode, error: String(err.message || err).split('\n')[0] });
        }
      }
      await page.close();
    };
    await Promise.all(Array.from({ length: Math.min(WORKERS, jobs.length) }, worker));
    summary.timing.axeDone = secondsSince(started);

    // ---- Internal links: the target exists, and so does its #fragment.
    const seenLinks = new Set();
    for (const [from, facts] of pageFacts) {
      for (const href of facts.links) {
        if (!href || /^(mailto|tel|javascript|data):/i.test(href)) continue;
        let url;
        try {
          url = new URL(href, origin + from);
        } catch {
          summary.brokenLinks.push({ page: from, href, problem: 'not a URL' });
          continue;
        }
        if (url.origin !== origin) continue;
        const key = `${from} ${href}`;
        if (seenLinks.has(key)) continue;
        seenLinks.add(key);
        const file = resolveFile(root, url.pathname);
        if (!file) {
          summary.brokenLinks.push({ page: from, href, problem: 'no such file' });
          continue;
        }
        if (url.hash.length > 1 && file.endsWith('.html')) {
          let target = '/' + relative(root, file).split(sep).join('/');
          target = target === '/index.html' ? '/' : target.replace(/\/index\.html$/, '/');
          const frag = decodeURIComponent(url.hash.slice(1));
          const facts2 = pageFacts.get(target);
          if (facts2 && !facts2.ids.has(frag)) summary.brokenLinks.push({ page: from, href, problem: `no id="${frag}" on ${target}` });
        }
      }
    }

    // ---- Without JavaScript.
    await noJsChecks(browser, watch, origin, root, summary);
    summary.timing.noJsDone = secondsSince(started);
  } finally {
    await browser.close().catch(() => {});
    server.close();
  }

  summary.thirdPartyRequests = [...thirdParty.values()];
  summary.failedRequests = [...failed.values()];
  summary.counts = {
    violations: summary.violations.length,
    bestPractice: summary.bestPractice.length,
    thirdPartyRequests: summary.thirdPartyRequests.length,
    failedRequests: summary.failedRequests.length,
    scriptErrors: summary.scriptErrors.length,
    reflow: summary.reflow.length,
    brokenLinks: summary.brokenLinks.length,
    noJsFailures: summary.noJs.checks.filter((c) => !c.ok).length,
    errors: summary.errors.length,
  };
  summary.ok =
    summary.violations.length === 0 &&
    (!BEST_PRACTICE_FAILS || summary.bestPractice.length === 0) &&
    summary.thirdPartyRequests.length === 0 &&
    summary.failedRequests.length === 0 &&
    summary.scriptErrors.length === 0 &&
    summary.reflow.length === 0 &&
    summary.brokenLinks.length === 0 &&
    summary.noJs.ok &&
    summary.errors.length === 0;
  summary.seconds = secondsSince(started);
  process.stdout.write(JSON.stringify(summary, null, 2) + '\n');
  process.exitCode = summary.ok ? 0 : 1;
}

/** Runs axe on a planted page that must fail image-alt and color-contrast. */
async function selfTest(browser, origin) {
  const context = await browser.newContext({ javaScriptEnabled: true });
  try {
    const page = await context.newPage();
    await page.goto(origin + SELF_TEST_PATH);
    await page.addScriptTag({ url: AXE_PATH });
    const r = await page.evaluate(inPageAudit, { tags: [...WCAG_TAGS, 'best-practice'], rules: null, checkReflow: false });
    const found = r.violations.map((v) => v.id).sort();
    return { ok: found.includes('image-alt') && found.includes('color-contrast'), found };
  } finally {
    await context.close();
  }
}

/**
 * With JavaScript off, at 1280px and 360px (and once more with it on, at 1280px): the
 * home page and /spaces/ show the same first page of cards, and the pages of /spaces/
 * (followed through rel="next") hold one card per listed space page, a space page shows its content, and each link of the main navigation is
 * visible and leads to its page, which marks it aria-current="page".
 */
async function noJsChecks(browser, watch, origin, root, summary) {
  const checks = summary.noJs.checks;
  const check = (name, ok, detail) => checks.push(detail === undefined ? { name, ok } : { name, ok, detail });
  // The cards the build wrote, read from the HTML file rather than the browser.
  // Each card is known by the link to its space page.
  const idsIn = (html) =>
    html
      .split(/<li\b[^>]*\bclass="card-item\b/)
      .slice(1)
      .map((chunk) => /<a\b[^>]*\bhref="([^"]+)"/.exec(chunk)?.[1] ?? '(card without a link)');
  const cardIds = (rel) => {
    const file = resolveFile(root, rel);
    if (!file) return null;
    return idsIn(readFileSync(file, 'utf8')).sort();
  };
  // A whole list: its first page and every page it continues on (rel="next").
  const listIds = (first) => {
    const ids = [];
    const seen = new Set();
    for (let rel = first; rel && !seen.has(rel); ) {
      seen.add(rel);
      const file = resolveFile(root, rel);
      if (!file) break;
      const html = readFileSync(file, 'utf8');
      ids.push(...idsIn(html));
      rel = /<a\b[^>]*\bhref="([^"]+)"[^>]*\brel="next"/.exec(html)?.[1];
    }
    return { ids: ids.sort(), pages: seen.size };
  };
  const homeIds = cardIds('/');
  const spacesIds = cardIds('/spaces/');
  check('home lists at least one space card', !!homeIds && homeIds.length > 0, { cards: homeIds?.length ?? 0 });
  check('home and /spaces/ list the same cards', JSON.stringify(homeIds) === JSON.stringify(spacesIds), {
    home: homeIds?.length ?? 0,
    spaces: spacesIds?.length ?? 0,
  });
  // Every space page that does not say it is unlisted has its card.
  const spaceDir = join(root, 'spaces');
  const listed = existsSync(spaceDir)
    ? readdirSync(spaceDir, { withFileTypes: true })
        .filter((d) => d.isDirectory() && existsSync(join(spaceDir, d.name, 'index.html')))
        .filter((d) => !/class="[^"]*\bnot-listed\b/.test(readFileSync(join(spaceDir, d.name, 'index.html'), 'utf8')))
        .map((d) => `/spaces/${d.name}/`)
        .sort()
    : [];
  const all = listIds('/spaces/');
  const missing = listed.filter((p) => !all.ids.includes(p));
  check('every listed space page has a card on a page of the list of spaces', missing.length === 0, missing.length ? { missing } : { listed: listed.length, pages: all.pages });
  check('no space has two cards in the list of spaces', new Set(all.ids).size === all.ids.length, { cards: all.ids.length });

  for (const { label, js, viewport } of [
    { label: 'no-JS 1280px', js: false, viewport: { width: 1280, height: 900 } },
    { label: 'no-JS 360px', js: false, viewport: { width: 360, height: 740 } },
    // The same checks with scripts on: search and shuffle must not hide a listing.
    { label: 'JS 1280px', js: true, viewport: { width: 1280, height: 900 } },
  ]) {
    const context = await browser.newContext({ javaScriptEnabled: js, viewport });
    await watch(context, label);
    const page = await context.newPage();
    page.setDefaultTimeout(NAV_TIMEOUT_MS);
    try {
      for (const list of ['/', '/spaces/']) {
        const res = await page.goto(origin + list);
        const expected = list === '/' ? homeIds : spacesIds;
        const got = await page.evaluate(
          (shownSrc) => {
            const shown = new Function(`return (${shownSrc})`)();
            return [...document.querySelectorAll('li.card-item')].map((li) => ({
              id: li.querySelector('a[href]')?.getAttribute('href') ?? '(card without a link)',
              shown: shown(li),
              title: shown(li.querySelector('.card-title a')),
              href: li.querySelector('.card-title a')?.getAttribute('href') ?? null,
            }));
          },
          shown.toString(),
        );
        const hidden = got.filter((c) => !c.shown || !c.title).map((c) => c.id);
        const ids = got.map((c) => c.id).sort();
        check(`${label} ${list}: answers 200`, res?.status() === 200, { status: res?.status() });
        check(`${label} ${list}: every card is in the page`, JSON.stringify(ids) === JSON.stringify(expected), {
          expected: expected?.length ?? 0,
          found: ids.length,
        });
        check(`${label} ${list}: every card and its link is visible`, hidden.length === 0, hidden.length ? { hidden } : undefined);
        const dead = got.filter((c) => !c.href || !resolveFile(root, new URL(c.href, origin + list).pathname)).map((c) => c.id);
        check(`${label} ${list}: every card links to its page`, dead.length === 0, dead.length ? { dead } : undefined);
      }

      // A space page: the first card's.
      await page.goto(origin + '/');
      const spaceHref = await page.evaluate(() => document.querySelector('li.card-item .card-title a')?.getAttribute('href'));
      if (spaceHref) {
        const res = await page.goto(new URL(spaceHref, origin + '/').href);
        const facts = await page.evaluate(
          (shownSrc) => {
            const shown = new Function(`return (${shownSrc})`)();
            const main = document.querySelector('main');
            const h1 = document.querySelector('main h1');
            const sections = [...document.querySelectorAll('main section')];
            return {
              main: shown(main),
              h1: shown(h1) && h1.textContent.trim().length > 0,
              sections: sections.length,
              hiddenSections: sections.filter((s) => !shown(s)).map((s) => s.querySelector('h2')?.textContent.trim() ?? '?'),
            };
          },
          shown.toString(),
        );
        check(`${label} space page ${spaceHref}: answers 200`, res?.status() === 200, { status: res?.status() });
        check(`${label} space page: main content and h1 visible`, facts.main && facts.h1);
        check(
          `${label} space page: every section visible`,
          facts.sections > 0 && facts.hiddenSections.length === 0,
          { sections: facts.sections, hidden: facts.hiddenSections },
        );
      } else {
        check(`${label} home links to a space page`, false);
      }

      // The main navigation, clicked from the home page.
      await page.goto(origin + '/');
      const navLinks = await page.evaluate(
        (shownSrc) => {
          const shown = new Function(`return (${shownSrc})`)();
          const nav = document.querySelector('header nav, nav.site-nav');
          if (!nav) return null;
          return [...nav.querySelectorAll('a[href]')].map((a) => ({ href: a.getAttribute('href'), text: a.textContent.trim(), shown: shown(a) }));
        },
        shown.toString(),
      );
      check(`${label} main navigation present`, !!navLinks && navLinks.length > 0, { links: navLinks?.length ?? 0 });
      for (const [i, link] of (navLinks || []).entries()) {
        check(`${label} nav "${link.text}" visible`, link.shown);
        if (!link.shown) continue;
        await page.goto(origin + '/');
        const nav = page.locator('header nav, nav.site-nav').first().locator('a[href]').nth(i);
        const [res] = await Promise.all([page.waitForNavigation({ waitUntil: 'load' }), nav.click()]);
        const landed = new URL(page.url());
        const want = new URL(link.href, origin + '/');
        const current = await page.evaluate(
          (href) => {
            const a = [...document.querySelectorAll('header nav a[href], nav.site-nav a[href]')].find((x) => x.getAttribute('href') === href);
            return a?.getAttribute('aria-current') ?? null;
          },
          link.href,
        );
        const h1 = await page.evaluate(() => document.querySelector('main h1')?.textContent.trim() ?? '');
        check(`${label} nav "${link.text}" leads to ${link.href}`, res?.status() === 200 && landed.pathname === want.pathname && h1.length > 0, {
          status: res?.status(),
          landed: landed.pathname,
          h1,
        });
        check(`${label} nav "${link.text}" marks itself aria-current="page" there`, current === 'page', { current });
      }
    } catch (err) {
      check(`${label} no-JS checks ran`, false, String(err.message || err).split('\n')[0]);
    } finally {
      await context.close();
    }
  }
  summary.noJs.ok = checks.every((c) => c.ok);
}

main().catch((err) => {
  process.stderr.write(`audit.mjs: ${err.stack || err}\n`);
  process.exit(2);
});
