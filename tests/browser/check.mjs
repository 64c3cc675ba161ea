// Real-browser checks of a built Versus site, served on loopback by .ci/browser.
// Plain ES module, no test framework: every check that fails is collected with its page and
// details, and the run ends with a list of them (exit 1) or a short summary (exit 0).
//
// Environment:
//   BASE_URL          the served output, e.g. http://127.0.0.1:8000 (required)
//   CHROMIUM          the browser (default /usr/bin/chromium)
//   BROWSER_PAGES     space-separated paths of the pages to check (defaults below)
//   LIGHTHOUSE_PAGES  paths to run Lighthouse on; LIGHTHOUSE=0 skips Lighthouse
//   SCREENSHOT_PAGES  paths to screenshot at 360px and 1280px, light and dark
//   SCREENSHOT_DIR    where the screenshots go (default target/browser-screenshots)
//   SWEEP_EVERY       the 360px sweep takes every page of the sitemap but pair pages without a
//                     note, of which it takes every SWEEP_EVERY-th (default 200)
//
// Facts about the site are read from the pages themselves: a page's kind from its body class
// (page-home, page-protocol, page-code, page-pair, page-404), its language root from the brand
// link, and the codes the picker and the filter are tried with from the pair pages checked
// (e.g. /ftp/200-vs-421/ makes the pickers choose 200 and 421 and the filters look for 42).
import { chromium } from 'playwright-core';
import { createRequire } from 'node:module';
import { execFile } from 'node:child_process';
import { mkdir, mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';

const require = createRequire(import.meta.url);
const words = (s) => (s || '').split(/\s+/).filter(Boolean);

const BASE = (process.env.BASE_URL || '').replace(/\/$/, '');
if (!BASE) {
  console.error('check.mjs: set BASE_URL to the served output (run it through .ci/browser)');
  process.exit(2);
}
const ORIGIN = new URL(BASE).origin;
const HOST = new URL(BASE).hostname;
const CHROMIUM = process.env.CHROMIUM || '/usr/bin/chromium';
const PAGES = words(process.env.BROWSER_PAGES).length ? words(process.env.BROWSER_PAGES) : [
  '/', '/ftp/', '/ftp/421/', '/ftp/200-vs-421/', '/404.html',
  '/zh/', '/zh/ftp/', '/zh/ftp/421/', '/zh/ftp/200-vs-421/',
  '/http/401-vs-403/',
];
const LIGHTHOUSE_PAGES = words(process.env.LIGHTHOUSE_PAGES).length
  ? words(process.env.LIGHTHOUSE_PAGES)
  : ['/', '/zh/', '/ftp/200-vs-421/', '/zh/ftp/200-vs-421/'];
const SCREENSHOT_PAGES = words(process.env.SCREENSHOT_PAGES).length
  ? words(process.env.SCREENSHOT_PAGES)
  : ['/ftp/200-vs-421/', '/zh/ftp/200-vs-421/'];
const SCREENSHOT_DIR = process.env.SCREENSHOT_DIR || 'target/browser-screenshots';
const AXE = path.join(path.dirname(require.resolve('axe-core')), 'axe.min.js');
// The bar for Lighthouse, per category (scores 0..100).
const BAR = { performance: 95, accessibility: 100, 'best-practices': 95, seo: 100 };
const NAV_TIMEOUT = 10000;

const started = Date.now();
const failures = [];
let passed = 0;
const fail = (page, check, detail) => failures.push({ page, check, detail });
// Runs one named check on a page: it passes when it records no failure and throws nothing.
async function check(page, name, f) {
  const before = failures.length;
  try {
    await f((detail) => fail(page, name, detail));
  } catch (e) {
    fail(page, name, `threw: ${(e && e.message ? e.message : String(e)).split('\n')[0]}`);
  }
  if (failures.length === before) passed++;
}
const url = (p) => BASE + p;
const rel = (u) => { const x = new URL(u); return x.origin === ORIGIN ? x.pathname + x.search + x.hash : u; };

// ---------------------------------------------------------------------------------------------
// Network and console: every page passed through `watch` reports console errors, page errors,
// failed requests, responses >= 400 and any request to a host other than the test server.
// Before a page is left, its requests are let finish (`settle`), so that leaving it does not
// abort them. Chromium asks for the favicon lazily, up to some hundred milliseconds after the
// load event (sometimes after the next navigation has begun), and cancels it when the tab moves
// on: a favicon request cut off that way (net::ERR_ABORTED, resource type "other") is counted
// apart, not as a failure. A missing favicon still fails: by its HTTP status here, and in the
// links check, which fetches every page's icon, stylesheet and script.
const inflight = new WeakMap();
let requests = 0;
let aborted = 0;
function watch(page) {
  const pending = new Set();
  pending.last = Date.now();
  inflight.set(page, pending);
  page.on('requestfinished', (r) => { pending.delete(r); pending.last = Date.now(); });
  page.on('console', (m) => {
    if (m.type() === 'error') fail(rel(page.url()), 'console', `${m.text()} (${m.location().url || ''})`);
  });
  page.on('pageerror', (e) => fail(rel(page.url()), 'console', `uncaught: ${e.message}`));
  page.on('request', (r) => {
    pending.add(r);
    pending.last = Date.now();
    const u = new URL(r.url());
    if (['data:', 'blob:', 'about:'].includes(u.protocol)) return;
    requests++;
    if (u.hostname !== HOST) fail(rel(page.url()), 'other host', `request to ${r.url()}`);
  });
  page.on('requestfailed', (r) => {
    pending.delete(r);
    pending.last = Date.now();
    const f = r.failure();
    if (f && f.errorText === 'net::ERR_ABORTED' && r.resourceType() === 'other' && /\/favicon\.[a-z]+$|\.ico$/.test(r.url())) {
      aborted++;
      return;
    }
    fail(rel(page.url()), 'failed request', `${rel(r.url())}: ${f ? f.errorText : 'failed'}`);
  });
  page.on('response', (r) => {
    if (r.status() >= 400) fail(rel(page.url()), 'failed request', `${rel(r.url())}: HTTP ${r.status()}`);
  });
  return page;
}

// Waits (3s at most) until no request is under way and none has started or ended for 100ms.
async function settle(page) {
  const pending = inflight.get(page);
  const until = Date.now() + 3000;
  while (pending && (pending.size || Date.now() - pending.last < 100) && Date.now() < until) {
    await new Promise((ok) => setTimeout(ok, 20));
  }
}

async function goto(page, p) {
  await settle(page);
  const resp = await page.goto(url(p), { waitUntil: 'load', timeout: NAV_TIMEOUT });
  if (!resp || resp.status() !== 200) throw new Error(`GET ${p}: HTTP ${resp ? resp.status() : 'none'}`);
  return resp;
}

// What a page says about itself.
function about(page) {
  return page.evaluate(() => {
    const brand = document.querySelector('a.brand');
    const root = brand ? new URL(brand.getAttribute('href'), location.href).pathname : '/';
    return {
      kind: (document.body.className.match(/\bpage-(\S+)/) || [])[1] || '?',
      lang: document.documentElement.lang,
      root,
      rest: location.pathname.startsWith(root) ? location.pathname.slice(root.length) : location.pathname,
    };
  });
}

// ---------------------------------------------------------------------------------------------
// Links: every same-origin <a href>, stylesheet, icon and script must answer 200; on a page of
// a language other than the default one, every link that is not a language switch (neither
// hreflang nor lang) must stay under the language's root. Off-site links are never fetched.
const fetched = new Map();
async function status(u) {
  if (!fetched.has(u)) {
    fetched.set(u, fetch(u, { redirect: 'manual' }).then(async (r) => { await r.arrayBuffer(); return r.status; },
      (e) => `error ${e.message}`));
  }
  return fetched.get(u);
}

async function checkLinks(page, p, info) {
  const links = await page.evaluate(() => [
    ...[...document.querySelectorAll('a[href]')].map((a) => ({
      href: a.href, raw: a.getAttribute('href'), switch: a.hasAttribute('hreflang') || a.hasAttribute('lang'),
    })),
    ...[...document.querySelectorAll('link[href]:not([rel=canonical]):not([rel=alternate]), script[src]')].map(
      (l) => ({ href: l.href || l.src, raw: l.getAttribute('href') || l.getAttribute('src'), switch: true })),
  ]);
  await check(p, 'links answer 200', async (bad) => {
    const seen = new Set();
    for (const l of links) {
      const u = new URL(l.href);
      if (u.origin !== ORIGIN) continue; // off-site: not fetched (no internet here)
      u.hash = '';
      if (seen.has(u.href)) continue;
      seen.add(u.href);
      const s = await status(u.href);
      if (s !== 200) bad(`${l.raw} -> ${rel(u.href)}: ${s}`);
    }
  });
  if (info.root !== '/') {
    await check(p, 'links stay in the language', async (bad) => {
      for (const l of links) {
        const u = new URL(l.href);
        if (l.switch || u.origin !== ORIGIN) continue;
        if (!u.pathname.startsWith(info.root)) bad(`${l.raw} -> ${u.pathname} is not under ${info.root}`);
      }
    });
  }
}

// ---------------------------------------------------------------------------------------------
// The language switcher in the header: each of its links lands on the same page (the same path
// below the language root) in the language it names, with status 200. The 404 page has no
// counterpart, so there it only has to land on a page of that language.
async function checkSwitcher(page, p, info) {
  await check(p, 'language switcher', async (bad) => {
    const targets = await page.$$eval('header nav.langs a[hreflang]',
      (as) => as.map((a) => ({ href: a.getAttribute('href'), lang: a.getAttribute('hreflang') })));
    if (!targets.length) return bad('no header nav.langs a[hreflang]');
    for (const t of targets) {
      await goto(page, p);
      await settle(page);
      const [resp] = await Promise.all([
        page.waitForNavigation({ timeout: NAV_TIMEOUT }),
        page.click(`header nav.langs a[hreflang="${t.lang}"]`),
      ]);
      const there = await about(page);
      if (!resp || resp.status() !== 200) bad(`${t.href} -> ${rel(page.url())}: HTTP ${resp && resp.status()}`);
      if (there.lang !== t.lang) bad(`${t.href} -> ${rel(page.url())} has lang="${there.lang}", not ${t.lang}`);
      if (info.kind !== '404' && (there.rest !== info.rest || there.root === info.root)) {
        bad(`${t.href} -> ${rel(page.url())}, not ${info.rest} in ${t.lang}`);
      }
    }
  });
}

// ---------------------------------------------------------------------------------------------
// axe-core, default rules, in the light and the dark colour scheme.
async function checkAxe(page, p) {
  for (const scheme of ['light', 'dark']) {
    await check(p, `axe (${scheme})`, async (bad) => {
      await page.emulateMedia({ colorScheme: scheme });
      if (!(await page.evaluate(() => typeof window.axe === 'object'))) await page.addScriptTag({ path: AXE });
      const result = await page.evaluate(async () => {
        const r = await window.axe.run(document);
        return r.violations.map((v) => ({
          id: v.id, impact: v.impact, help: v.help,
          nodes: v.nodes.slice(0, 5).map((n) => `${n.target.join(' ')}${n.failureSummary ? ` (${n.failureSummary.replace(/\s+/g, ' ')})` : ''}`),
          count: v.nodes.length,
        }));
      });
      for (const v of result) {
        bad(`${v.id} [${v.impact}] ${v.help}: ${v.count} node(s): ${v.nodes.join('; ')}`);
      }
    });
  }
  await page.emulateMedia({ colorScheme: 'light' });
}

// ---------------------------------------------------------------------------------------------
// The picker. `pairs` are {proto, a, b} (a before b, as the pair page is named).
const pairPath = (root, x) => `${root}${x.proto}/${x.a}-vs-${x.b}/`;

async function submitPicker(page, form) {
  await settle(page);
  const [resp] = await Promise.all([
    page.waitForNavigation({ timeout: NAV_TIMEOUT }),
    page.locator(`${form} button[type=submit]`).click(),
  ]);
  return resp;
}

async function pick(page, select, value) {
  const has = await page.locator(select).evaluate((s, v) => [...s.options].some((o) => o.value === v), value);
  if (!has) throw new Error(`${select} has no option ${value}`);
  await page.locator(select).selectOption(value);
}

async function pickerVisible(page, bad) {
  const state = await page.evaluate(() => {
    const form = document.querySelector('form[data-picker]');
    if (!form) return 'no form[data-picker]';
    const box = form.closest('section.picker') || form;
    for (let e = form; e; e = e.parentElement) if (e.hidden) return `${e.tagName.toLowerCase()}${e.id ? '#' + e.id : ''} is still hidden`;
    return box.getClientRects().length && getComputedStyle(box).visibility !== 'hidden' ? '' : 'the picker is not visible';
  });
  if (state) bad(state);
}

async function checkPickerTwo(page, p, info, pairs) {
  const form = 'form[data-picker]';
  const protocol = `${form} select[data-protocol]`;
  const first = `${form} select[data-code] >> nth=0`;
  const second = `${form} select[data-code] >> nth=1`;
  await check(p, 'picker visible', async (bad) => { await goto(page, p); await pickerVisible(page, bad); });
  for (const x of pairs) {
    for (const [one, two] of [[x.a, x.b], [x.b, x.a]]) {
      await check(p, `picker ${x.proto} ${one} then ${two}`, async (bad) => {
        await goto(page, p);
        if (info.kind === 'home') await pick(page, protocol, x.proto);
        await pick(page, first, one);
        await pick(page, second, two);
        const resp = await submitPicker(page, form);
        const want = pairPath(info.root, x);
        const got = new URL(page.url()).pathname;
        if (got !== want) bad(`landed on ${got}, want ${want}`);
        else if (!resp || resp.status() !== 200) bad(`${got}: HTTP ${resp && resp.status()}`);
      });
    }
  }
  await check(p, 'picker same code twice', async (bad) => {
    const x = pairs[0];
    await goto(page, p);
    if (info.kind === 'home') await pick(page, protocol, x.proto);
    await pick(page, first, x.a);
    await pick(page, second, x.a);
    const before = page.url();
    let navigated = false;
    const seen = () => { navigated = true; };
    page.on('framenavigated', seen);
    await page.locator(`${form} button[type=submit]`).click();
    await page.waitForTimeout(300);
    page.off('framenavigated', seen);
    if (navigated || page.url() !== before) bad(`navigated to ${rel(page.url())}`);
    const msg = await page.evaluate(() => {
      const m = document.querySelector('form[data-picker] [data-message]');
      if (!m) return { error: 'no [data-message]' };
      return { text: m.textContent.trim(), want: m.getAttribute('data-message'), role: m.getAttribute('role'), shown: m.getClientRects().length > 0 };
    });
    if (msg.error) return bad(msg.error);
    if (!msg.text || msg.text !== msg.want || !msg.shown) bad(`message shown: "${msg.text}" (visible: ${msg.shown}), want "${msg.want}"`);
    if (msg.role !== 'status') bad(`the message has role="${msg.role}", not status`);
  });
}

// A code page's picker has one select, of the codes to compare this one with. Both orders:
// on the page of a, choose b; on the page of b, choose a.
async function checkPickerOne(page, p, info, pairs, code) {
  await check(p, 'picker visible', async (bad) => { await goto(page, p); await pickerVisible(page, bad); });
  for (const x of pairs) {
    for (const [here, other] of [[x.a, x.b], [x.b, x.a]]) {
      const from = `${info.root}${x.proto}/${here}/`;
      await check(here === code ? p : from, `picker ${x.proto} ${here} with ${other}`, async (bad) => {
        await goto(page, from);
        await pick(page, 'form[data-picker] select[data-code]', other);
        const resp = await submitPicker(page, 'form[data-picker]');
        const want = pairPath(info.root, x);
        const got = new URL(page.url()).pathname;
        if (got !== want) bad(`landed on ${got}, want ${want}`);
        else if (!resp || resp.status() !== 200) bad(`${got}: HTTP ${resp && resp.status()}`);
      });
    }
  }
}

// ---------------------------------------------------------------------------------------------
// The filter: by number, by a word of a code's name in the page's language, and by a query that
// matches nothing. Items whose link text holds the query stay; the others are hidden.
function nameQuery(name) {
  const cjk = name.match(/[\u3400-\u9fff\uf900-\ufaff]{2}/);
  if (cjk) return cjk[0];
  return (name.match(/\p{L}{3,}/u) || [name])[0];
}

async function checkFilter(page, p, target) {
  await check(p, 'filter', async (bad) => {
    await goto(page, p);
    const input = page.locator('input[data-filter]');
    if (!(await input.count())) return bad('no input[data-filter]');
    if (!(await input.isVisible())) return bad('input[data-filter] is not visible');
    if (await input.evaluate((e) => !!e.closest('[hidden]'))) bad('the filter was not unhidden by the script');
    // The name of the target code as the list shows it, e.g. "Service Not Available, …".
    const name = await page.evaluate((code) => {
      const list = document.getElementById(document.querySelector('input[data-filter]').getAttribute('data-filter'));
      for (const a of list.querySelectorAll('li a')) {
        const c = a.querySelector('.code');
        if (c && c.textContent.trim() === code) return a.textContent.replace(code, '').trim();
      }
      return null;
    }, target);
    if (!name) return bad(`code ${target} is not in the list`);
    const queries = [target.slice(0, 2), nameQuery(name), 'zqxjzqxj'];
    for (const q of queries) {
      await input.fill(q);
      const r = await page.evaluate((q) => {
        const input = document.querySelector('input[data-filter]');
        const list = document.getElementById(input.getAttribute('data-filter'));
        const norm = (s) => s.normalize('NFKC').toLowerCase().replace(/\s+/g, ' ').trim();
        const out = { shown: 0, hidden: 0, wrong: [] };
        for (const li of list.querySelectorAll('li')) {
          const a = li.querySelector('a');
          if (!a) continue;
          const want = norm(a.textContent).includes(norm(q));
          const visible = li.getClientRects().length > 0;
          if (visible) out.shown++; else out.hidden++;
          if (want !== visible) out.wrong.push(`${norm(a.textContent).slice(0, 40)} ${visible ? 'shown' : 'hidden'}`);
        }
        const status = input.parentNode.querySelector('[role=status]');
        out.message = status ? status.textContent.trim() : null;
        out.messageShown = !!status && status.getClientRects().length > 0;
        out.none = input.getAttribute('data-none');
        return out;
      }, q);
      const what = `"${q}"`;
      if (r.wrong.length) bad(`${what}: ${r.wrong.length} item(s) wrong: ${r.wrong.slice(0, 5).join('; ')}`);
      if (q === queries[2]) {
        if (r.shown) bad(`${what} matches nothing but ${r.shown} item(s) are shown`);
        if (r.message !== r.none || !r.messageShown) bad(`${what}: message "${r.message}", want "${r.none}" shown`);
      } else {
        if (!r.shown) bad(`${what}: nothing shown, ${target} should be`);
        if (!r.hidden) bad(`${what}: nothing hidden`);
        if (r.message) bad(`${what}: message "${r.message}" while items match`);
      }
    }
    await input.fill('');
  });
}

// ---------------------------------------------------------------------------------------------
// No horizontal scroll at 360px; the elements that stick out are named when it fails.
async function checkNarrow(page, p) {
  await check(p, 'no horizontal scroll at 360px', async (bad) => {
    await goto(page, p);
    const r = await page.evaluate(() => {
      const w = window.innerWidth, sw = document.documentElement.scrollWidth;
      const wide = [];
      if (sw > w) {
        for (const e of document.querySelectorAll('body *')) {
          const b = e.getBoundingClientRect();
          if (b.right > w + 0.5 && wide.length < 5) wide.push(`${e.tagName.toLowerCase()}${e.className ? '.' + String(e.className).split(' ')[0] : ''} (right ${Math.round(b.right)})`);
        }
      }
      return { w, sw, wide };
    });
    if (r.sw > r.w) bad(`scrollWidth ${r.sw} > innerWidth ${r.w}: ${r.wide.join(', ')}`);
  });
}

// The pages of the 360px sweep (see its use), in sitemap order; pages already checked are
// left out.
async function sweepPages(checked) {
  const every = Number(process.env.SWEEP_EVERY || 200);
  const locs = [];
  const seen = new Set();
  const queue = ['/sitemap.xml'];
  while (queue.length) {
    const file = queue.shift();
    if (seen.has(file)) continue;
    seen.add(file);
    const resp = await fetch(url(file));
    if (!resp.ok) { fail(file, 'sweep', `GET ${file}: HTTP ${resp.status}`); continue; }
    const xml = await resp.text();
    const index = xml.includes('<sitemapindex');
    for (const m of xml.matchAll(/<loc>([^<]+)<\/loc>/g)) {
      const p = new URL(m[1].replace(/&amp;/g, '&')).pathname;
      if (index) queue.push(p); else locs.push(p);
    }
  }
  const pair = (p) => /-vs-[^/]+\/$/.test(p);
  const noted = new Set();
  for (const p of locs.filter((p) => !pair(p))) {
    const html = await (await fetch(url(p))).text();
    if (!html.includes('class="page-protocol"')) continue;
    const popular = html.split('id="popular"')[1]?.split('</section>')[0] || '';
    for (const m of popular.matchAll(/href="([^"]+)"/g)) noted.add(new URL(m[1], url(p)).pathname);
  }
  let n = 0;
  const out = locs.filter((p) => !pair(p) || noted.has(p) || n++ % every === 0);
  if (!out.length) fail('(all)', 'sweep', 'the sitemap lists no page');
  return out.filter((p) => !checked.has(p));
}

// ---------------------------------------------------------------------------------------------
// Lighthouse, through its CLI (its own Chromium, mobile emulation and simulated throttling).
// The pages are served over plain http, but from 127.0.0.1, which Chromium and Lighthouse count
// as a secure origin: "is-on-https" passes honestly and no audit is left out of the bar.
function lighthouse(p) {
  return new Promise((resolve) => {
    mkdtemp(path.join(tmpdir(), 'versus-lh-')).then((dir) => {
      const out = path.join(dir, 'report.json');
      const cli = path.join(path.dirname(require.resolve('lighthouse/package.json')), 'cli', 'index.js');
      execFile(process.execPath, [
        cli, url(p),
        '--only-categories=performance,accessibility,best-practices,seo',
        '--output=json', `--output-path=${out}`, '--quiet',
        `--chrome-path=${CHROMIUM}`, '--chrome-flags=--headless=new --no-sandbox',
      ], { timeout: 120000, maxBuffer: 1 << 24 }, async (err, _stdout, stderr) => {
        let report = null;
        try { report = JSON.parse(await readFile(out, 'utf8')); } catch { /* reported below */ }
        await rm(dir, { recursive: true, force: true });
        resolve({ report, error: report ? null : (err ? `${err.message} ${stderr}` : 'no report') });
      });
    });
  });
}

// Only the performance score varies from run to run (it comes from timings, under simulated
// throttling): when it is under the bar, the page is measured twice more and the run with the
// median performance counts, as Lighthouse CI does with several runs. The other categories do
// not depend on timing.
const categoryScore = (report, id) => {
  const cat = report.categories[id];
  return cat && cat.score !== null ? Math.round(cat.score * 100) : null;
};

async function checkLighthouse(p) {
  await check(p, 'lighthouse', async (bad) => {
    const runs = [];
    const measure = async () => {
      const { report, error } = await lighthouse(p);
      if (!report) throw new Error(error.slice(0, 500));
      if (report.runtimeError) throw new Error(`${report.runtimeError.code}: ${report.runtimeError.message}`);
      runs.push(report);
    };
    await measure();
    if (categoryScore(runs[0], 'performance') < BAR.performance) {
      await measure();
      await measure();
    }
    runs.sort((a, b) => categoryScore(a, 'performance') - categoryScore(b, 'performance'));
    const report = runs[Math.floor(runs.length / 2)];
    const scores = {};
    for (const [id, bar] of Object.entries(BAR)) {
      const cat = report.categories[id];
      const score = categoryScore(report, id);
      scores[id] = score;
      if (score === null || score < bar) {
        const weak = cat ? cat.auditRefs
          .filter((r) => r.weight > 0 && report.audits[r.id] && report.audits[r.id].score !== null && report.audits[r.id].score < 1)
          .map((r) => `${r.id} (${report.audits[r.id].score}${report.audits[r.id].displayValue ? ', ' + report.audits[r.id].displayValue : ''})`) : [];
        bad(`${id} ${score} < ${bar}: ${weak.join(', ') || 'no weighted audit below 1'}`);
      }
    }
    const hosts = new Set(((report.audits['network-requests'] || {}).details || { items: [] }).items
      .map((i) => { try { return new URL(i.url); } catch { return null; } })
      .filter((u) => u && !['data:', 'blob:', 'about:'].includes(u.protocol) && u.hostname !== HOST).map((u) => u.origin));
    if (hosts.size) bad(`requests to other hosts: ${[...hosts].join(', ')}`);
    const note = runs.length > 1 ? `  (performance of ${runs.length} runs: ${runs.map((r) => categoryScore(r, 'performance')).join(', ')}; the median counts)` : '';
    lighthouseScores.push([p, scores, note]);
  });
}
const lighthouseScores = [];

// =============================================================================================
const browser = await chromium.launch({ executablePath: CHROMIUM });
try {
  const desktop = await browser.newContext({ viewport: { width: 1280, height: 800 } });
  const page = watch(await desktop.newPage());

  // Pass 1: load every page; links, axe in both schemes, the switcher.
  const infos = new Map();
  for (const p of PAGES) {
    let info = null;
    await check(p, 'loads', async () => {
      await goto(page, p);
      info = await about(page);
    });
    if (!info) continue;
    infos.set(p, info);
    await checkLinks(page, p, info);
    await checkAxe(page, p);
    await checkSwitcher(page, p, info);
  }

  // The codes to pick and filter, from the pair pages among those checked.
  const pairs = [];
  for (const info of infos.values()) {
    const m = info.kind === 'pair' && info.rest.match(/^([^/]+)\/([^/]+)-vs-([^/]+)\/$/);
    if (m && !pairs.some((x) => x.proto === m[1] && x.a === m[2] && x.b === m[3])) pairs.push({ proto: m[1], a: m[2], b: m[3] });
  }
  if (!pairs.length) fail('(all)', 'setup', 'no pair page among BROWSER_PAGES: nothing to try the picker with');

  // Pass 2: the picker and the filter where a page has them.
  for (const [p, info] of infos) {
    const proto = info.rest.split('/')[0];
    if (info.kind === 'home' && pairs.length) {
      await checkPickerTwo(page, p, info, pairs);
    } else if (info.kind === 'protocol') {
      const mine = pairs.filter((x) => x.proto === proto);
      if (mine.length) {
        await checkPickerTwo(page, p, info, mine);
        await checkFilter(page, p, mine[0].b);
      }
    } else if (info.kind === 'code') {
      const code = info.rest.split('/')[1];
      const mine = pairs.filter((x) => x.proto === proto && (x.a === code || x.b === code));
      if (mine.length) {
        await checkPickerOne(page, p, info, mine, code);
        await checkFilter(page, p, mine[0].a === code ? mine[0].b : mine[0].a);
      }
    }
  }

  // Without JavaScript the picker and the filter stay hidden (their links are the way then).
  const nojs = await browser.newContext({ javaScriptEnabled: false });
  const plain = watch(await nojs.newPage());
  for (const [p, info] of infos) {
    if (!['home', 'protocol', 'code'].includes(info.kind)) continue;
    await check(p, 'hidden without JavaScript', async (bad) => {
      await goto(plain, p);
      const shown = await plain.evaluate(() => [...document.querySelectorAll('form[data-picker], input[data-filter]')]
        .filter((e) => e.getClientRects().length > 0).map((e) => e.tagName.toLowerCase()));
      if (shown.length) bad(`shown without JavaScript: ${shown.join(', ')}`);
    });
  }
  await nojs.close();

  // At 360px: no horizontal scroll on any page.
  const narrow = await browser.newContext({ viewport: { width: 360, height: 740 } });
  const small = watch(await narrow.newPage());
  for (const p of infos.keys()) await checkNarrow(small, p);
  // Then a sweep of the whole site's text: every page but the pair pages (code pages hold the
  // longest words: config keys, URIs, library names), every pair page with a note (linked from
  // a protocol page's popular comparisons; a note is text no other page has) and every
  // SWEEP_EVERY-th other pair page, all taken from the sitemap.
  for (const p of await sweepPages(infos)) await checkNarrow(small, p);
  await narrow.close();

  // Screenshots: each chosen page at 360px and 1280px, light and dark, full page.
  await mkdir(SCREENSHOT_DIR, { recursive: true });
  const shots = [];
  for (const width of [360, 1280]) {
    const ctx = await browser.newContext({ viewport: { width, height: 800 } });
    const shot = watch(await ctx.newPage());
    for (const p of SCREENSHOT_PAGES) {
      for (const scheme of ['light', 'dark']) {
        await check(p, `screenshot ${width}px ${scheme}`, async () => {
          await shot.emulateMedia({ colorScheme: scheme });
          await goto(shot, p);
          const info = await about(shot);
          const slug = (info.rest.replace(/\/$/, '').replace(/[^A-Za-z0-9.-]+/g, '-') || 'home');
          const file = path.join(SCREENSHOT_DIR, `${info.kind}-${info.lang}-${slug}-${width}px-${scheme}.png`);
          await shot.screenshot({ path: file, fullPage: true });
          shots.push(file);
        });
      }
    }
    await ctx.close();
  }
  console.log(`screenshots: ${shots.length} in ${SCREENSHOT_DIR}/`);
  await desktop.close();
} finally {
  await browser.close();
}

// Lighthouse last, one page at a time, with the machine otherwise idle.
if (process.env.LIGHTHOUSE !== '0') {
  for (const p of LIGHTHOUSE_PAGES) await checkLighthouse(p);
  const pad = Math.max(...LIGHTHOUSE_PAGES.map((p) => p.length));
  console.log(`lighthouse (${Object.keys(BAR).join(' / ')}):`);
  for (const [p, s, note] of lighthouseScores) console.log(`  ${p.padEnd(pad)}  ${Object.values(s).join(' / ')}${note}`);
}

const seconds = ((Date.now() - started) / 1000).toFixed(0);
console.log(`pages: ${PAGES.join(' ')}`);
console.log(`requests made by the pages: ${requests}, to hosts other than ${HOST}: ${failures.filter((f) => f.check === 'other host').length}, favicon requests cut off by going to the next page: ${aborted}`);
if (failures.length) {
  // The same failure seen again (a console error on every visit of a page) is listed once.
  const counts = new Map();
  for (const f of failures) {
    const line = `  FAIL ${f.page} [${f.check}] ${f.detail}`;
    counts.set(line, (counts.get(line) || 0) + 1);
  }
  console.log(`\n${failures.length} failure(s):`);
  for (const [line, n] of counts) console.log(n > 1 ? `${line} (${n} times)` : line);
}
const failedChecks = new Set(failures.map((f) => `${f.page}\u0000${f.check}`)).size;
console.log(`\nbrowser (${seconds}s): ${passed} passed, ${failedChecks} failed`);
process.exit(failures.length ? 1 : 0);
