// An editor opens SegmentPress → Briefs in headless Chromium, schedules a brief at a chosen time, and a scheduled
// post with the brief's outline exists; the service has the brief as scheduled with that post.
// Run by ../run.sh (needs SP_TEST_ENV).
'use strict';

const { test, before, after } = require('node:test');
const assert = require('node:assert/strict');
const fs = require('node:fs');
const path = require('node:path');
const { chromium } = require('playwright-core');
const { env, wp, service, ensureHistory, login, CHROMIUM_ARGS, SCREENSHOTS } = require('./lib/part2');

let browser;
let generated;

function escapeHtml(text) {
  return String(text).replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&#039;');
}

before(async () => {
  await ensureHistory();
  const res = await service('POST', '/v1/briefs/generate', {});
  assert.equal(res.status, 200, JSON.stringify(res.body));
  generated = res.body.briefs;
  assert.ok(generated.length >= 1, 'the site history yields briefs');
  browser = await chromium.launch({ executablePath: '/usr/bin/chromium', headless: true, args: CHROMIUM_ARGS });
});

after(async () => {
  if (browser) await browser.close();
});

test('an editor opens Briefs, sees priority and evidence, schedules one, and a scheduled post holds its outline', async () => {
  const context = await browser.newContext({ viewport: { width: 1400, height: 1000 } });
  const page = await context.newPage();
  await login(page, 'editor1', 'editor-password');
  await page.goto(`${env.wpUrl}/wp-admin/admin.php?page=segmentpress-briefs`, { waitUntil: 'load' });

  const proposed = generated.filter((b) => b.status === 'proposed').sort((a, b) => b.priority - a.priority);
  const brief = proposed[0];
  assert.ok(brief, 'a proposed brief');
  const card = page.locator(`#segmentpress-brief-${brief.id}`);
  assert.equal(await card.count(), 1, `the brief is listed; the page shows ${await page.locator('.segmentpress-brief').count()} briefs`
    + ` and says: ${JSON.stringify(await page.locator('.notice, .error').allTextContents())}`);
  assert.equal((await card.locator('.segmentpress-brief__priority').textContent()).trim(), String(brief.priority));
  assert.ok(await card.locator('.segmentpress-brief__evidence li').count() >= 1, 'evidence shown');
  assert.ok((await card.textContent()).includes(brief.audience.evidence[0]), 'the evidence text');
  // Highest priority first.
  const order = await page.locator('.segmentpress-brief').evaluateAll((els) => els.map((el) => Number(el.querySelector('.segmentpress-brief__priority').textContent)));
  assert.deepEqual(order, [...order].sort((a, b) => b - a));
  fs.mkdirSync(SCREENSHOTS, { recursive: true });
  await page.screenshot({ path: path.join(SCREENSHOTS, 'briefs.png'), fullPage: true });

  // Filter by segment.
  await page.goto(`${env.wpUrl}/wp-admin/admin.php?page=segmentpress-briefs&segment=${encodeURIComponent(brief.segment)}`, { waitUntil: 'load' });
  const segments = await page.locator('.segmentpress-brief').evaluateAll((els) => els.map((el) => el.querySelector('code').textContent));
  assert.ok(segments.length >= 1 && segments.every((s) => s === brief.segment), `only ${brief.segment}: ${segments}`);

  // The form offers the suggested time (the site's time zone is UTC here); the editor picks another.
  const form = page.locator(`#segmentpress-brief-${brief.id} .segmentpress-brief__schedule`);
  assert.equal(await form.locator('input[name="publish_at"]').inputValue(), brief.suggestedPublishAt.slice(0, 16));
  const chosen = new Date(Math.floor((Date.now() + 3 * 86400e3) / 86400e3) * 86400e3 + (9 * 60 + 30) * 60e3); // in 3 days, 09:30
  await form.locator('input[name="publish_at"]').fill(chosen.toISOString().slice(0, 16));
  await Promise.all([page.waitForNavigation({ waitUntil: 'load' }), form.locator('button').click()]);
  assert.match(await page.locator('#segmentpress-briefs-notice').textContent(), /Post scheduled/);
  assert.ok(page.url().includes(`segment=${encodeURIComponent(brief.segment)}`), 'back on the filtered screen');
  await context.close();

  const after = await service('GET', `/v1/briefs/${brief.id}`);
  assert.equal(after.status, 200);
  assert.equal(after.body.status, 'scheduled');
  assert.ok(after.body.wpPostId > 0, 'the service knows the post');
  assert.equal(new Date(after.body.scheduledFor).getTime(), chosen.getTime());

  const post = JSON.parse(wp('post', String(after.body.wpPostId)));
  assert.equal(post.status, 'future');
  assert.equal(post.briefId, brief.id);
  assert.equal(new Date(`${post.dateGmt}Z`).getTime(), new Date(after.body.scheduledFor).getTime());
  assert.equal(post.title, brief.title);
  for (const section of brief.outline) {
    assert.ok(post.content.includes(escapeHtml(section)), `outline section in the post: ${section}`);
  }
  assert.ok(post.content.includes(escapeHtml(brief.primaryKeyword)), 'keywords in the notes');
  if (brief.cta) assert.ok(post.content.includes(escapeHtml(brief.cta)), 'call to action in the notes');

  // When WordPress publishes it, the service hears so (and reports on it under /v1/insights/briefs).
  assert.deepEqual(JSON.parse(wp('publish', String(post.id))), { scheduled: true, reported: true });
  const published = await service('GET', `/v1/briefs/${brief.id}`);
  assert.equal(published.body.status, 'published');
  const insights = await service('GET', '/v1/insights/briefs');
  assert.equal(insights.status, 200);
  assert.ok(insights.body.items.some((item) => item.briefId === brief.id && item.wpPostId === post.id), JSON.stringify(insights.body).slice(0, 400));
});

test('a contributor sees the briefs but no Schedule button; Create draft makes a draft linked to the brief', async () => {
  const open = (await service('GET', '/v1/briefs?status=proposed')).body.items;
  const brief = open[0];
  assert.ok(brief, `another proposed brief (generated: ${generated.map((b) => b.segment)})`);
  const context = await browser.newContext();
  const page = await context.newPage();
  await login(page, 'contributor1', 'contributor-password');
  await page.goto(`${env.wpUrl}/wp-admin/admin.php?page=segmentpress-briefs`, { waitUntil: 'load' });
  const card = page.locator(`#segmentpress-brief-${brief.id}`);
  assert.equal(await card.count(), 1);
  assert.equal(await page.locator('.segmentpress-brief__schedule').count(), 0, 'no Schedule for a contributor');
  await Promise.all([page.waitForNavigation({ waitUntil: 'load' }), card.locator('.segmentpress-brief__draft button').click()]);
  assert.match(await page.locator('#segmentpress-briefs-notice').textContent(), /Draft created/);
  await context.close();

  const after = await service('GET', `/v1/briefs/${brief.id}`);
  assert.equal(after.body.status, 'accepted');
  const post = JSON.parse(wp('post', String(after.body.wpPostId)));
  assert.equal(post.status, 'draft');
  assert.equal(post.briefId, brief.id);
  assert.ok(post.content.includes(escapeHtml(brief.outline[0])));
});
