// A visitor in headless Chromium reads posts on the real test WordPress; the tracker sends
// straight to the real SegmentPress service. Run by ../run.sh (needs SP_TEST_ENV).
'use strict';

const { test, before, after } = require('node:test');
const assert = require('node:assert/strict');
const fs = require('node:fs');
const path = require('node:path');
const http = require('node:http');
const { execFileSync } = require('node:child_process');
const { chromium } = require('playwright-core');
const { signIn } = require('./lib/wp-login');

const env = JSON.parse(fs.readFileSync(process.env.SP_TEST_ENV, 'utf8'));
const WP_OPTION = path.join(__dirname, '..', 'fixtures', 'wp-option.php');
const CHROMIUM_ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
  '--disable-background-networking', '--disable-component-update', '--disable-sync'];

let browser;

function wp(...args) {
  return execFileSync('php', [WP_OPTION, ...args], { env: process.env, encoding: 'utf8' });
}

async function service(pathAndQuery) {
  const res = await fetch(env.serviceUrl + pathAndQuery, { headers: { Authorization: `Bearer ${env.site.secretKey}` } });
  const text = await res.text();
  return { status: res.status, body: text ? JSON.parse(text) : null };
}

function visitorIds(body) {
  if (!body) return [];
  if (body.visitorId || body.id) return [String(body.visitorId || body.id)];
  const list = Array.isArray(body) ? body : body.items || [];
  return list.flatMap(visitorIds);
}

// With the visitor API: the visitor found by anonymousId has every messageId in its export.
// Only the ids are looked for, so this does not depend on how the export document is laid out.
async function assertInExport(anonymousId, messageIds) {
  const found = await service(`/v1/visitors?anonymousId=${encodeURIComponent(anonymousId)}`);
  assert.equal(found.status, 200, 'visitor lookup');
  const ids = visitorIds(found.body);
  assert.equal(ids.length, 1, `one visitor for ${anonymousId}`);
  const exported = await service(`/v1/visitors/${encodeURIComponent(ids[0])}/export`);
  assert.equal(exported.status, 200, 'visitor export');
  const json = JSON.stringify(exported.body);
  for (const id of messageIds) assert.ok(json.includes(`"${id}"`), `${id} in the export`);
}

async function waitFor(check, timeoutMs = 20000) {
  const end = Date.now() + timeoutMs;
  let last;
  while (Date.now() < end) {
    last = await check();
    if (last) return last;
    await new Promise((r) => setTimeout(r, 500));
  }
  return last;
}

// Opens each post, scrolls to the bottom over a few seconds, then leaves the site.
async function readPosts(context, postIds) {
  const page = await context.newPage();
  for (const id of postIds) {
    await page.goto(`${env.wpUrl}/?p=${id}`, { waitUntil: 'load' });
    for (let i = 0; i < 8; i++) {
      await page.mouse.move(100 + i * 10, 200);
      await page.mouse.wheel(0, 1200);
      await page.waitForTimeout(300);
    }
    await page.evaluate(() => window.scrollTo(0, document.documentElement.scrollHeight));
    await page.waitForTimeout(600);
  }
  const anonymousId = await page.evaluate(() => window.localStorage.getItem('sp_aid'));
  await page.goto('about:blank'); // pagehide on the last post sends its engagement
  await page.waitForTimeout(1000);
  await page.close();
  return anonymousId;
}

// A stand-in collector on a free local port that records every request the browser makes to it,
// beacons sent while a page unloads included (the browser's own request events can miss those).
async function withSink(fn) {
  const received = [];
  const server = http.createServer((req, res) => {
    let body = '';
    req.on('data', (chunk) => { body += chunk; });
    req.on('end', () => {
      received.push({ method: req.method, url: req.url, body });
      res.writeHead(200, { 'Access-Control-Allow-Origin': req.headers.origin || '*', 'Content-Type': 'application/json' });
      res.end('{"accepted":0,"duplicates":0,"rejected":[]}');
    });
  });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${server.address().port}`;
  wp('merge-settings', JSON.stringify({ service_url: url }));
  try {
    return await fn(url, received);
  } finally {
    wp('merge-settings', JSON.stringify({ service_url: env.serviceUrl }));
    server.close();
  }
}

// Opens a post, scrolls, and leaves; returns the requests seen by the page to `url`.
async function visitOnce(url, postId, setup) {
  const context = await browser.newContext();
  if (setup) await setup(context);
  const seen = [];
  context.on('request', (request) => { if (request.url().startsWith(url)) seen.push(request.url()); });
  const page = await context.newPage();
  await page.goto(`${env.wpUrl}/?p=${postId}`, { waitUntil: 'load' });
  assert.ok(await page.evaluate(() => !!window.segmentpressConfig), 'the tracker config is on the page');
  await page.mouse.move(50, 50);
  await page.mouse.wheel(0, 3000);
  await page.waitForTimeout(1500);
  const stored = await page.evaluate(() => [localStorage.getItem('sp_aid'), localStorage.getItem('sp_q'), document.cookie]);
  await page.goto('about:blank');
  await page.waitForTimeout(1000);
  await context.close();
  return { seen, stored };
}

before(async () => {
  browser = await chromium.launch({ executablePath: '/usr/bin/chromium', headless: true, args: CHROMIUM_ARGS });
});

after(async () => {
  if (browser) await browser.close();
  wp('merge-settings', JSON.stringify({ consent_mode: 'everyone' }));
  wp('set', 'sp_test_consent', '"none"');
  wp('set', 'sp_test_automation', '"on"');
});

async function hasVisitorApi() {
  const res = await fetch(`${env.serviceUrl}/q/openapi`);
  return (await res.text()).includes('\n  /v1/visitors:');
}

// A transparent pass-through to the real service that records what the browser sent (beacons
// included, which the browser's own request events can miss), so the test knows which events
// to look for in the service.
async function withRecordingProxy(fn) {
  const sent = [];
  const target = new URL(env.serviceUrl);
  const server = http.createServer((req, res) => {
    const chunks = [];
    req.on('data', (c) => chunks.push(c));
    req.on('end', () => {
      const body = Buffer.concat(chunks);
      if (req.url === '/v1/batch' && req.method === 'POST') sent.push(...JSON.parse(body.toString()).batch);
      const upstream = http.request({ host: target.hostname, port: target.port, path: req.url, method: req.method,
        headers: { ...req.headers, host: target.host } }, (up) => {
        res.writeHead(up.statusCode, up.headers);
        up.pipe(res);
      });
      upstream.on('error', () => { res.writeHead(502); res.end(); });
      upstream.end(body);
    });
  });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  wp('merge-settings', JSON.stringify({ service_url: `http://127.0.0.1:${server.address().port}` }));
  try {
    return await fn(sent);
  } finally {
    wp('merge-settings', JSON.stringify({ service_url: env.serviceUrl }));
    server.close();
  }
}

// Proves events are stored: resent with their messageIds, the service counts them all as duplicates.
async function assertStoredOnce(events) {
  for (let i = 0; i < events.length; i += 50) {
    const chunk = events.slice(i, i + 50);
    const res = await fetch(`${env.serviceUrl}/v1/batch`, { method: 'POST', body: JSON.stringify({ batch: chunk }),
      headers: { Authorization: `Bearer ${env.site.secretKey}`, 'Content-Type': 'application/json' } });
    const answer = await res.json();
    assert.equal(res.status, 200);
    assert.equal(answer.duplicates, chunk.length, `stored before: ${JSON.stringify(answer)}`);
    assert.equal(answer.accepted, 0);
  }
}

test('a visitor reads two posts and scrolls: the service has both page views and both engagements', async () => {
  wp('merge-settings', JSON.stringify({ consent_mode: 'everyone' }));
  let anonymousId;
  let events;
  const complete = (list) => {
    const pages = list.filter((e) => e.type === 'page');
    const engaged = list.filter((e) => e.event === 'Content Engaged');
    return env.e2ePosts.every((id) => pages.some((e) => e.properties.post_id === id)
      && engaged.some((e) => e.properties.post_id === id)) ? list : null;
  };
  await withRecordingProxy(async (sent) => {
    const context = await browser.newContext();
    anonymousId = await readPosts(context, env.e2ePosts);
    await context.close();
    events = await waitFor(async () => complete(sent.filter((e) => e.anonymousId === anonymousId)));
  });

  assert.match(anonymousId || '', /^[0-9a-f-]{36}$/, 'a random first-party id');
  assert.ok(events, `page and Content Engaged events for posts ${env.e2ePosts} sent for ${anonymousId}`);
  await assertStoredOnce(events);
  if (await hasVisitorApi()) await assertInExport(anonymousId, events.map((e) => e.messageId));

  const firstPage = events.find((e) => e.type === 'page' && e.properties.post_id === env.e2ePosts[0]);
  assert.equal(firstPage.name, 'Winter bean stew');
  assert.equal(firstPage.properties.post_type, 'post');
  assert.equal(firstPage.properties.title, 'Winter bean stew');
  assert.deepEqual(firstPage.properties.categories, ['recipes']);
  assert.deepEqual([...firstPage.properties.tags].sort(), ['beans', 'winter']);
  assert.ok(String(firstPage.properties.url).includes(`p=${env.e2ePosts[0]}`));

  for (const id of env.e2ePosts) {
    const engaged = events.filter((e) => e.event === 'Content Engaged' && e.properties.post_id === id);
    const seconds = engaged.reduce((sum, e) => sum + e.properties.engaged_seconds, 0);
    const depth = Math.max(...engaged.map((e) => e.properties.scroll_depth));
    assert.ok(seconds >= 2, `engaged seconds on ${id}: ${seconds}`);
    assert.ok(depth >= 90 && depth <= 100, `scroll depth on ${id}: ${depth}`);
  }
});

test('an on-site search is sent as Products Searched', async () => {
  let searched;
  let anonymousId;
  await withRecordingProxy(async (sent) => {
    const context = await browser.newContext();
    const page = await context.newPage();
    await page.goto(`${env.wpUrl}/?s=bean+stew`, { waitUntil: 'load' });
    await page.waitForTimeout(800);
    anonymousId = await page.evaluate(() => window.localStorage.getItem('sp_aid'));
    await page.goto('about:blank');
    await page.waitForTimeout(500);
    await context.close();
    searched = await waitFor(async () => sent.find((e) => e.anonymousId === anonymousId && e.event === 'Products Searched'));
  });
  assert.ok(searched, 'Products Searched sent');
  assert.equal(searched.properties.query, 'bean stew');
  await assertStoredOnce([searched]);
  if (await hasVisitorApi()) await assertInExport(anonymousId, [searched.messageId]);
});

test('with consent required and not given, nothing is sent', async () => {
  wp('merge-settings', JSON.stringify({ consent_mode: 'consent' }));
  try {
    await withSink(async (url, received) => {
      for (const consentApi of ['deny', 'none']) { // the WP Consent API says no / is not there at all
        wp('set', 'sp_test_consent', JSON.stringify(consentApi));
        const { seen, stored } = await visitOnce(url, env.e2ePosts[0]);
        assert.deepEqual(seen, [], `no request from the page (consent API: ${consentApi})`);
        assert.deepEqual(received, [], `nothing reached the collector (consent API: ${consentApi})`);
        assert.deepEqual(stored.slice(0, 2), [null, null], 'nothing stored in the browser');
        assert.ok(!stored[2].includes('sp_aid'), 'no cookie');
      }
      // Consent given on the page (the WP Consent API fires its change event): tracking starts.
      wp('set', 'sp_test_consent', '"deny"');
      const context = await browser.newContext();
      const page = await context.newPage();
      await page.goto(`${env.wpUrl}/?p=${env.e2ePosts[0]}`, { waitUntil: 'load' });
      await page.waitForTimeout(500);
      assert.deepEqual(received, [], 'nothing before consent');
      await page.evaluate(() => {
        window.wp_has_consent = (category) => category === 'statistics';
        document.dispatchEvent(new CustomEvent('wp_listen_for_consent_change', { detail: { statistics: 'allow' } }));
      });
      await waitFor(async () => received.length > 0, 5000);
      await context.close();
      assert.ok(received.some((r) => r.url === '/v1/batch' && r.body.includes('"type":"page"')), 'the page view is sent once consent is given');

      // Control: a later visit with consent already given is sent.
      received.length = 0;
      wp('set', 'sp_test_consent', '"allow"');
      await visitOnce(url, env.e2ePosts[0]);
      assert.ok(received.some((r) => r.url === '/v1/batch' && r.body.includes('"type":"page"')), 'sent when consent was given before');
    });
  } finally {
    wp('merge-settings', JSON.stringify({ consent_mode: 'everyone' }));
    wp('set', 'sp_test_consent', '"none"');
  }
});

test('honouring Global Privacy Control: a GPC browser sends nothing, others do', async () => {
  wp('merge-settings', JSON.stringify({ consent_mode: 'gpc' }));
  try {
    await withSink(async (url, received) => {
      const gpc = (context) => context.addInitScript(() => Object.defineProperty(Navigator.prototype, 'globalPrivacyControl', { get: () => true }));
      const { seen } = await visitOnce(url, env.e2ePosts[1], gpc);
      assert.deepEqual(seen, []);
      assert.deepEqual(received, []);
      await visitOnce(url, env.e2ePosts[1]);
      assert.ok(received.length > 0, 'a browser without GPC is tracked');
    });
  } finally {
    wp('merge-settings', JSON.stringify({ consent_mode: 'everyone' }));
  }
});

test('automated browsers are skipped unless the site allows them', async () => {
  await withSink(async (url, received) => {
    wp('set', 'sp_test_automation', '"off"');
    try {
      const { seen } = await visitOnce(url, env.e2ePosts[0]);
      assert.deepEqual(seen, [], 'navigator.webdriver is set in this browser');
      assert.deepEqual(received, []);
    } finally {
      wp('set', 'sp_test_automation', '"on"');
    }
  });
});

test('calls queued before the tracker loaded are replayed, and the page API sends events', async () => {
  await withSink(async (url, received) => {
    await visitOnce(url, env.e2ePosts[0], (context) => context.addInitScript(() => {
      window.segmentpress = [['track', 'Early Event', { early: true }]];
      window.addEventListener('load', () => window.segmentpress.track('Late Event', { late: true }));
    }));
    const sent = received.filter((r) => r.url === '/v1/batch').flatMap((r) => JSON.parse(r.body).batch);
    assert.ok(sent.some((e) => e.event === 'Early Event' && e.properties.early === true), 'queued call replayed');
    assert.ok(sent.some((e) => e.event === 'Late Event' && e.properties.late === true), 'window.segmentpress.track');
    const body = JSON.parse(received.find((r) => r.url === '/v1/batch').body);
    assert.equal(body.writeKey, env.site.writeKey);
  });
});

test('a reader who signs in is linked: the server-side identify carries the browser\'s anonymous id', async () => {
  wp('clear-queue');
  const context = await browser.newContext();
  const page = await context.newPage();
  await page.goto(`${env.wpUrl}/?p=${env.e2ePosts[0]}`, { waitUntil: 'load' });
  const anonymousId = await page.waitForFunction(() => window.localStorage.getItem('sp_aid'), null, { timeout: 10000 })
    .then((handle) => handle.jsonValue());
  try {
    await signIn(page, env.wpUrl, 'subscriber', 'subscriber-password');
  } finally {
    await context.close();
  }

  const queued = JSON.parse(wp('queued-events'));
  const identify = queued.find((e) => e.type === 'identify');
  assert.ok(identify, `identify queued at sign-in; queue holds ${JSON.stringify(queued.map((e) => e.type + ':' + (e.event || '')))}`);
  assert.equal(identify.anonymousId, anonymousId, 'the browser\'s sp_aid');
  assert.match(identify.userId, /^\d+$/);
  assert.ok(queued.some((e) => e.event === 'Signed In' && e.anonymousId === anonymousId));

  const stats = JSON.parse(wp('process-queue'));
  assert.equal(stats.sent, queued.length, JSON.stringify(stats));
  await assertStoredOnce(queued);
  if (await hasVisitorApi()) {
    const byUser = visitorIds((await service(`/v1/visitors?userId=${identify.userId}`)).body);
    const byBrowser = visitorIds((await service(`/v1/visitors?anonymousId=${anonymousId}`)).body);
    assert.deepEqual(byBrowser, byUser, 'one merged visitor');
  }
});
