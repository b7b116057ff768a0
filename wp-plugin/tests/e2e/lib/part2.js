// Shared by the part-2 browser tests: the test environment, calls to the real service, and a
// site history built through /v1/batch with historical timestamps (bargain hunters, power
// readers, casual readers), so segments, recommendations and briefs have something to work on.
'use strict';

const fs = require('node:fs');
const path = require('node:path');
const crypto = require('node:crypto');
const { execFileSync } = require('node:child_process');
const { signIn } = require('./wp-login');

const env = JSON.parse(fs.readFileSync(process.env.SP_TEST_ENV, 'utf8'));
const FIXTURE = path.join(__dirname, '..', '..', 'fixtures', 'part2.php');
const CHROMIUM_ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
  '--disable-background-networking', '--disable-component-update', '--disable-sync'];
// Screenshots go to artifacts/screenshots/ at the repository root (git-ignored), or SP_SCREENSHOTS_DIR.
const SCREENSHOTS = process.env.SP_SCREENSHOTS_DIR || path.resolve(__dirname, '..', '..', '..', '..', 'artifacts', 'screenshots');
const DAY = 86400e3;

function wp(...args) {
  return execFileSync('php', [FIXTURE, ...args], { env: process.env, encoding: 'utf8' });
}

async function service(method, pathAndQuery, body) {
  const res = await fetch(env.serviceUrl + pathAndQuery, {
    method,
    headers: { Authorization: `Bearer ${env.site.secretKey}`, 'Content-Type': 'application/json', Accept: 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await res.text();
  let json = null;
  try { json = text ? JSON.parse(text) : null; } catch (e) { json = text; }
  return { status: res.status, body: json };
}

async function waitFor(check, timeoutMs = 30000, stepMs = 500) {
  const end = Date.now() + timeoutMs;
  let last;
  while (Date.now() < end) {
    last = await check();
    if (last) return last;
    await new Promise((r) => setTimeout(r, stepMs));
  }
  return last;
}

const runTag = (String(env.site.id || Date.now()) + (process.env.SP_PART2_TAG || '')).replace(/[^\w-]/g, '').slice(-12);
const personas = {
  bargain: `bargain-hunter-${runTag}-0`,
  power: `power-reader-${runTag}-0`,
  newcomer: `newcomer-${runTag}-${crypto.randomBytes(4).toString('hex')}`,
};

function postUrl(id) { return `${env.wpUrl}/?p=${id}`; }

// One read: a page view and its engagement, `daysAgo` days back at `hour`.
function read(events, visitor, postId, category, daysAgo, hour, seconds, depth) {
  const at = new Date(Date.now() - daysAgo * DAY);
  at.setUTCHours(hour, 0, 0, 0);
  if (at.getTime() > Date.now() - 60e3) at.setTime(Date.now() - 3600e3);
  events.push({ type: 'page', messageId: crypto.randomUUID(), anonymousId: visitor, name: `post ${postId}`, timestamp: at.toISOString(),
    properties: { post_id: postId, url: postUrl(postId), post_type: 'post', categories: [category], tags: [] } });
  events.push({ type: 'track', event: 'Content Engaged', messageId: crypto.randomUUID(), anonymousId: visitor,
    timestamp: new Date(at.getTime() + 60e3).toISOString(), properties: { post_id: postId, engaged_seconds: seconds, scroll_depth: depth } });
}

function track(events, visitor, name, daysAgo, hour, properties) {
  const at = new Date(Date.now() - daysAgo * DAY);
  at.setUTCHours(hour, 0, 0, 0);
  if (at.getTime() > Date.now() - 60e3) at.setTime(Date.now() - 3600e3);
  events.push({ type: 'track', event: name, messageId: crypto.randomUUID(), anonymousId: visitor, timestamp: at.toISOString(), properties });
}

async function send(events) {
  for (let i = 0; i < events.length; i += 400) {
    const res = await service('POST', '/v1/batch', { batch: events.slice(i, i + 400) });
    if (res.status !== 200 || (res.body.rejected || []).length) throw new Error(`batch: ${res.status} ${JSON.stringify(res.body).slice(0, 500)}`);
  }
}

// Builds the history once per test run (a marker next to env.json), then recomputes segments.
async function ensureHistory() {
  const marker = path.join(path.dirname(process.env.SP_TEST_ENV), `part2-history-${runTag}.json`);
  if (fs.existsSync(marker)) return JSON.parse(fs.readFileSync(marker, 'utf8'));
  const posts = env.part2.posts;
  const events = [];
  // Bargain hunters (10): two coupon orders each, read the deals posts, search for what the site lacks.
  for (let v = 0; v < 10; v++) {
    const id = `bargain-hunter-${runTag}-${v}`;
    [20, 6].forEach((daysAgo, n) => track(events, id, 'Order Completed', daysAgo, 19, {
      order_id: `o-${id}-${n}`, total: 45 + v, revenue: 40 + v, discount: 5, coupon: n ? 'SPRING5' : 'SAVE10', currency: 'USD',
      products: [{ product_id: `flour-${n}`, price: 25, quantity: 2, category: 'deals' }] }));
    // Active on six days in the last 30 (orders included): "regular", well below power-user's eight.
    [12, 8, 4, 2].forEach((daysAgo, n) => {
      read(events, id, posts.deals[n % 3], 'deals', daysAgo, 10, 150, 90);
      read(events, id, posts.deals[(n + 1) % 3], 'deals', daysAgo, 11, 120, 80);
      track(events, id, 'Products Searched', daysAgo, 9, { query: n % 2 ? 'coupon stacking app' : 'coupon stacking' });
    });
  }
  // Power readers (6): on ten different days in the last month, long reads of the deep guides.
  for (let v = 0; v < 6; v++) {
    const id = `power-reader-${runTag}-${v}`;
    for (let d = 1; d <= 28; d += 3) {
      read(events, id, posts.guides[d % 3], 'guides', d, 7, 420, 95);
      read(events, id, posts.guides[3], 'guides', d, 8, 300, 90);
    }
  }
  // Casual readers: a basics post or two.
  for (let v = 0; v < 8; v++) {
    const id = `casual-reader-${runTag}-${v}`;
    read(events, id, posts.basics[v % 4], 'basics', 3 + v, 12, 80, 60);
    read(events, id, posts.basics[(v + 1) % 4], 'basics', 3 + v, 13, 60, 50);
  }
  await send(events);
  const recompute = await service('POST', '/v1/segments/recompute');
  if (recompute.status !== 200) throw new Error(`recompute: ${recompute.status} ${JSON.stringify(recompute.body)}`);
  const history = { events: events.length, recompute: recompute.body };
  fs.writeFileSync(marker, JSON.stringify(history));
  return history;
}

async function segmentsOf(anonymousId) {
  const res = await fetch(`${env.serviceUrl}/v1/visitors/${encodeURIComponent(anonymousId)}/segments`, { headers: { Authorization: `Bearer ${env.site.writeKey}` } });
  if (res.ok) return res.json();
  const recs = await fetch(`${env.serviceUrl}/v1/recommendations?visitor=${encodeURIComponent(anonymousId)}&limit=1`, { headers: { Authorization: `Bearer ${env.site.writeKey}` } });
  return recs.json();
}

// Logs a WordPress user in through wp-login.php.
function login(page, user, password) {
  return signIn(page, env.wpUrl, user, password);
}

module.exports = { env, wp, service, waitFor, personas, ensureHistory, segmentsOf, login, postUrl, CHROMIUM_ARGS, SCREENSHOTS };
