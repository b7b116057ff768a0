// Signs a WordPress user in through wp-login.php, the way a person does.
//
// wp-login.php focuses and selects the user name field 200 ms after the page loads
// (wp_attempt_focus). Text typed into the password field at that moment lands in the user name
// field instead, and WordPress answers "The password field is empty". So: wait for that focus,
// type both fields, check what they hold, then submit and wait for wp-admin.
'use strict';

async function signIn(page, wpUrl, user, password) {
  await page.goto(`${wpUrl}/wp-login.php`, { waitUntil: 'load' });
  await page.waitForFunction(() => document.activeElement && document.activeElement.id === 'user_login',
    null, { timeout: 5000 }).catch(() => {});
  for (let attempt = 0; ; attempt++) {
    await page.fill('#user_login', user);
    await page.fill('#user_pass', password);
    if (await page.inputValue('#user_login') === user && await page.inputValue('#user_pass') === password) break;
    if (attempt === 2) throw new Error('the sign-in form did not keep what was typed into it');
  }
  await page.click('#wp-submit');
  await page.waitForURL(/\/wp-admin\//, { timeout: 15000 }).catch(() => {});
  if (!/\/wp-admin\//.test(page.url())) {
    const error = await page.$('#login_error').then((element) => (element ? element.textContent() : ''));
    throw new Error(`signing in as ${user} failed (on ${page.url()}${error ? `: ${error.trim()}` : ''})`);
  }
  await page.waitForLoadState('load');
}

module.exports = { signIn };
