// Browser test of the web UI foundation: sign-in, home, the Me page (language and
// age-friendly mode), sign-out, at phone and desktop sizes, against a real server.
//
//   REXIN_BIN=build/rexin node --test tests/e2e/       (make test-e2e)
//
// The UI served is the one built into the binary; REXIN_WEB_DIR=web/dist serves a fresh
// `npm run build:web` instead (the server's --web option). Chromium is Debian's
// (/usr/bin/chromium, or CHROMIUM_PATH); no browser is ever downloaded. Screenshots go to
// tests/e2e/screenshots/ (not committed).
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs/promises';
import path from 'node:path';
import { chromium } from 'playwright-core';
import zh from '../../web/src/i18n/zh-CN.js';
import en from '../../web/src/i18n/en.js';
import { ADMIN_PASSWORD, ADMIN_USER, REPO_ROOT, api, login, startServer } from '../lib/server.mjs';

const SHOTS = path.join(REPO_ROOT, 'tests/e2e/screenshots');
const PHONE = { width: 360, height: 740 };
const DESKTOP = { width: 1440, height: 900 };
const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

describe('web UI: sign in, home, me', { timeout: 60_000 }, () => {
  let server;
  let browser;
  let context;
  let page;
  let me; // what /api/v1/me says about the admin, to check the page against
  const consoleErrors = [];

  const path_ = () => new URL(page.url()).pathname;
  // Phone pictures show the screen as a person sees it (the tab bar is fixed to it);
  // desktop pictures show the whole page.
  const shot = (name) =>
    page.screenshot({ path: path.join(SHOTS, `${name}.png`), fullPage: page.viewportSize().width > 600 });
  const noToast = () =>
    page.waitForFunction(() =>
      [...document.querySelectorAll('.van-toast')].every((t) => getComputedStyle(t).display === 'none'),
    );
  const noSideScroll = () =>
    page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth);

  before(async () => {
    await fs.mkdir(SHOTS, { recursive: true });
    const args = process.env.REXIN_WEB_DIR ? ['--web', path.resolve(process.env.REXIN_WEB_DIR)] : [];
    server = await startServer({ args });

    const shell = await api(server.url, '/');
    assert.match(
      shell.text,
      /<div id="app">/,
      'the server does not serve the web UI: run `npm run build:web` and rebuild rexin, or set REXIN_WEB_DIR=web/dist',
    );
    me = (await api(server.url, '/api/v1/me', { cookie: await login(server.url) })).json;
    assert.ok(me && me.display_name, 'GET /api/v1/me as admin');

    browser = await chromium.launch({
      executablePath: process.env.CHROMIUM_PATH || '/usr/bin/chromium',
      args: CHROMIUM_ARGS,
      headless: true,
    });
    context = await browser.newContext({ viewport: PHONE, deviceScaleFactor: 2, locale: 'zh-CN' });
    context.setDefaultTimeout(10_000);
    page = await context.newPage();
    page.on('console', (m) => {
      if (m.type() === 'error') consoleErrors.push(m.text());
    });
    page.on('pageerror', (e) => consoleErrors.push(String(e)));
  });

  after(async () => {
    await browser?.close();
    await server?.stop();
  });

  test('an anonymous visitor lands on /login', async () => {
    await page.goto(server.url + '/');
    await page.waitForURL((u) => u.pathname === '/login');
    await page.getByRole('heading', { name: zh.login.welcome }).waitFor();
    assert.ok(await noSideScroll(), 'no horizontal scrolling at 360px');
    await shot('phone-login');
  });

  test('empty fields and a wrong password show messages', async () => {
    await page.locator('[data-test=login-submit]').click();
    await page.getByText(zh.login.required.login).waitFor();
    await page.getByText(zh.login.required.password).waitFor();

    await page.locator('input[name=login]').fill(ADMIN_USER);
    await page.locator('input[name=password]').fill('not-the-password');
    await page.locator('[data-test=login-submit]').click();
    // The server's message shows next to a field or as a toast.
    const msg = page.locator('.van-field__error-message, .van-toast__text').filter({ hasText: /\S/ }).first();
    await msg.waitFor();
    assert.notEqual((await msg.textContent()).trim(), '');
    assert.equal(path_(), '/login');
    await shot('phone-login-error');
  });

  test('signing in shows the greeting, roles and area tiles', async () => {
    await page.locator('input[name=password]').fill(ADMIN_PASSWORD);
    await page.locator('[data-test=login-submit]').click();
    await page.waitForURL((u) => u.pathname === '/');

    const greeting = page.locator('[data-test=greeting]');
    await greeting.waitFor();
    assert.ok((await greeting.textContent()).includes(me.display_name), 'greeting names the user');

    assert.ok(me.roles.length > 0, 'admin has a role');
    for (const r of me.roles) {
      const item = page.locator(`.roles__item[data-role="${r.role}"]`).first();
      await item.waitFor();
      const text = await item.textContent();
      assert.ok(text.includes(zh.roles[r.role]), `role ${r.role} shown as ${zh.roles[r.role]}`);
      assert.ok(text.includes(r.org_unit_name), `role unit ${r.org_unit_name} shown`);
    }
    for (const area of ['activities', 'help', 'hours', 'teams']) {
      await page.locator(`[data-area=${area}]`).waitFor();
    }
    assert.ok(await page.locator('.van-tabbar').isVisible(), 'tab bar on phones');
    assert.ok(await noSideScroll(), 'no horizontal scrolling at 360px');
    await noToast(); // the wrong-password toast was closed on sign-in
    await shot('phone-home');
  });

  test('a tile opens its screen', async () => {
    await page.locator('[data-area=activities]').click();
    await page.waitForURL((u) => u.pathname === '/activities');
    await page.locator('[data-test=filters]').waitFor();
    await page.getByText(zh.activities.tabs.find).first().waitFor();
    await shot('phone-activities');
  });

  test('switching to English keeps the page and is remembered', async () => {
    await page.locator('.van-tabbar-item', { hasText: zh.nav.me }).click();
    await page.waitForURL((u) => u.pathname === '/me');
    await page.locator('[data-test=username]', { hasText: me.username }).waitFor();
    await page.getByText(zh.me.settingsTitle, { exact: true }).waitFor();

    await page.locator('[data-lang=en]').click();
    await page.getByText(en.me.settingsTitle, { exact: true }).waitFor();
    await page.getByText(en.me.elderMode, { exact: true }).waitFor();
    assert.equal(path_(), '/me');
    assert.equal(await page.evaluate(() => document.documentElement.lang), 'en');

    // Remembered across a reload, and the API is now asked in English.
    const meRequest = page.waitForRequest((r) => new URL(r.url()).pathname === '/api/v1/me');
    await page.reload();
    assert.equal((await meRequest).headers()['accept-language'], 'en');
    await page.getByText(en.me.settingsTitle, { exact: true }).waitFor();
    assert.equal(path_(), '/me');
    await shot('phone-me-en');
  });

  test('age-friendly mode enlarges the page and is remembered', async () => {
    const bodySize = () => page.evaluate(() => parseFloat(getComputedStyle(document.body).fontSize));
    const before_ = await bodySize();
    await page.locator('[data-test=elder-switch]').click();
    await page.waitForFunction(() => document.documentElement.classList.contains('rx-elder'));
    const after_ = await bodySize();
    assert.ok(after_ >= before_ * 1.2, `font grows (${before_}px -> ${after_}px)`);

    await page.reload();
    await page.locator('[data-test=username]').waitFor();
    assert.ok(await page.evaluate(() => document.documentElement.classList.contains('rx-elder')));
    assert.ok(await noSideScroll(), 'no horizontal scrolling at 360px in age-friendly mode');
    await shot('phone-me-elder-en');
    await page.goto(server.url + '/');
    await page.locator('[data-test=greeting]').waitFor();
    await shot('phone-home-elder-en');

    // Back to the defaults for the desktop pictures.
    await page.goto(server.url + '/me');
    await page.locator('[data-test=elder-switch]').click();
    await page.waitForFunction(() => !document.documentElement.classList.contains('rx-elder'));
    await page.locator('[data-lang=zh-CN]').click();
    await page.getByText(zh.me.settingsTitle, { exact: true }).waitFor();
  });

  test('desktop layout: side navigation, centred content', async () => {
    await page.setViewportSize(DESKTOP);
    await page.goto(server.url + '/');
    await page.locator('[data-test=greeting]').waitFor();
    assert.ok(await page.locator('nav.side').isVisible(), 'side navigation on desktop');
    assert.ok(!(await page.locator('.van-tabbar').isVisible()), 'no tab bar on desktop');
    await shot('desktop-home');
    await page.goto(server.url + '/me');
    await page.locator('[data-test=username]').waitFor();
    await shot('desktop-me');
  });

  test('signing out returns to /login and ends the session', async () => {
    await page.locator('[data-test=logout]').click();
    await page.locator('.van-dialog__confirm').click();
    await page.waitForURL((u) => u.pathname === '/login');
    await page.getByRole('heading', { name: zh.login.welcome }).waitFor();
    await page.locator('.van-dialog').waitFor({ state: 'hidden' });
    await page.locator('.van-overlay').first().waitFor({ state: 'hidden' });
    await shot('desktop-login');

    await page.goto(server.url + '/me');
    await page.waitForURL((u) => u.pathname === '/login' && u.searchParams.get('redirect') === '/me');
  });

  test('no script errors in the page', () => {
    // 401s from /api/v1/me while signed out are expected network errors, not script errors.
    const real = consoleErrors.filter((e) => !/401|Unauthorized|status of 4\d\d/i.test(e));
    assert.deepEqual(real, []);
  });
});
