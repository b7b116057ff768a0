// The site owner in headless Chromium: settings screen, test connection, full sync progress bar,
// and attacker-controlled text rendered harmlessly. Run by ../run.sh (needs SP_TEST_ENV).
'use strict';

const { test, before, after } = require('node:test');
const assert = require('node:assert/strict');
const fs = require('node:fs');
const path = require('node:path');
const { execFileSync } = require('node:child_process');
const { chromium } = require('playwright-core');
const { signIn } = require('./lib/wp-login');

const env = JSON.parse(fs.readFileSync(process.env.SP_TEST_ENV, 'utf8'));
const WP_OPTION = path.join(__dirname, '..', 'fixtures', 'wp-option.php');
const ARTIFACTS = process.env.SP_ARTIFACTS_DIR || path.join(path.dirname(process.env.SP_TEST_ENV), 'artifacts');
const PAYLOAD = '<img src=x onerror="window.__xss=1">"><script>window.__xss=2</script>';

let browser;
let page;

function wp(...args) {
  return execFileSync('php', [WP_OPTION, ...args], { env: process.env, encoding: 'utf8' });
}

before(async () => {
  fs.mkdirSync(ARTIFACTS, { recursive: true });
  browser = await chromium.launch({
    executablePath: '/usr/bin/chromium',
    headless: true,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
      '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
  const context = await browser.newContext({ viewport: { width: 1280, height: 1600 } });
  page = await context.newPage();
  page.on('dialog', (dialog) => { throw new Error(`unexpected dialog: ${dialog.message()}`); });
  await signIn(page, env.wpUrl, 'admin', 'admin-password');
});

after(async () => {
  wp('merge-settings', JSON.stringify({ service_url: env.serviceUrl }));
  wp('clear-queue');
  if (browser) await browser.close();
});

test('the owner tests the connection and never sees the secret key again', async () => {
  await page.goto(`${env.wpUrl}/wp-admin/options-general.php?page=segmentpress`);
  const html = await page.content();
  assert.ok(!html.includes(env.site.secretKey), 'secret key not in the page');
  assert.equal(await page.inputValue('#sp-secret-key'), '');
  assert.match(await page.getAttribute('#sp-secret-key', 'placeholder'), new RegExp(`ends with …${env.site.secretKey.slice(-4)}`));

  await Promise.all([page.waitForNavigation(), page.click('input[value="Test connection"]')]);
  const notice = await page.textContent('.segmentpress-notice');
  assert.match(notice, /Connected to the SegmentPress site/);
  assert.ok(notice.includes(env.site.name), notice);
});

test('the full sync runs in the background and the progress bar reaches 100 %', async () => {
  await page.goto(`${env.wpUrl}/wp-admin/options-general.php?page=segmentpress`);
  await Promise.all([page.waitForNavigation(), page.click('input[value="Sync all published content now"]')]);
  assert.match(await page.textContent('.segmentpress-notice'), /Full sync started/);

  // What a system cron (or visitors' page loads) does: run WP-Cron until the sync is done.
  let done = false;
  const cron = (async () => {
    for (let i = 0; i < 60 && !done; i++) {
      await fetch(`${env.wpUrl}/wp-cron.php`);
      await new Promise((r) => setTimeout(r, 500));
    }
  })();
  await page.waitForSelector('#segmentpress-sync[data-status="done"]', { timeout: 30000 });
  done = true;
  await cron;
  assert.equal(await page.getAttribute('#segmentpress-sync progress', 'value'), '100');
  await page.reload();
  assert.match(await page.textContent('.segmentpress-settings'), /0 events and catalog changes are waiting/, 'the same cron runs delivered the sign-in events');
  assert.match(await page.textContent('.segmentpress-sync-text'), /published items are in the catalog/);
  await page.screenshot({ path: path.join(ARTIFACTS, 'plugin-settings.png'), fullPage: true });
});

test('attacker-controlled event names and titles are shown as text, never run', async () => {
  wp('merge-settings', JSON.stringify({ service_url: 'http://127.0.0.1:9' })); // keep it queued
  wp('track', PAYLOAD, JSON.stringify({ note: PAYLOAD }));
  await page.goto(`${env.wpUrl}/wp-admin/options-general.php?page=segmentpress`);
  const waiting = await page.textContent('table.segmentpress-queue');
  assert.ok(waiting.includes(PAYLOAD), 'shown literally');
  assert.equal(await page.evaluate(() => window.__xss), undefined, 'no injected script ran');
  assert.equal(await page.locator('table.segmentpress-queue img, table.segmentpress-queue script').count(), 0);
});
