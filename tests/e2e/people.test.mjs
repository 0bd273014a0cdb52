// Browser story of the people screens, as the community administrator of 代书胡同社区:
// register a person (the server's ID-number and phone errors show at their fields), see the
// masked ID number and reveal it with a reason, the vulnerable flag, register them as a
// volunteer; import a CSV with a bad row: the trial run's report per row, then the import
// skipping that row, with upload progress.
//
//   REXIN_BIN=build/rexin [REXIN_WEB_DIR=web/dist] node --test tests/e2e/people.test.mjs
//
// Skipped when the server has no people module (GET /api/v1/people answers 404).
// Screenshots: tests/e2e/screenshots/people-*.png (phone 360x740, desktop 1440x900).
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs/promises';
import path from 'node:path';
import { chromium } from 'playwright-core';
import zh from '../../web/src/i18n/zh-CN.js';
import { REPO_ROOT, api, login, startServer } from '../lib/server.mjs';
import { userWithRole } from '../lib/registry_fixtures.mjs';

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
// A valid GB 11643 number (check character X) and one with a wrong check character.
const GOOD_ID = '11010519491231002X';
const BAD_ID = '110105194912310021';

const server = await startServer({
  args: process.env.REXIN_WEB_DIR ? ['--web', path.resolve(process.env.REXIN_WEB_DIR)] : [],
});
const hasPeople = (await api(server.url, '/api/v1/people', { cookie: await login(server.url) })).status !== 404;
if (!hasPeople) await server.stop();

describe('web UI: people, reveal, volunteer, import', { timeout: 60_000, skip: !hasPeople && 'no people module on this server' }, () => {
  let browser;
  let page;
  let community;
  let personId;
  const consoleErrors = [];
  const shot = (name) =>
    page.screenshot({ path: path.join(SHOTS, `people-${name}.png`), fullPage: page.viewportSize().width > 600 });
  const noSideScroll = () => page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth);
  const field = (name) => page.locator(`.van-field:has([name=${name}])`);
  const confirmVisibleDialog = () => page.locator('.van-dialog:visible .van-dialog__confirm').click();

  before(async () => {
    await fs.mkdir(SHOTS, { recursive: true });
    const cookie = await login(server.url);
    const units = (await api(server.url, '/api/v1/org-units?kind=community', { cookie })).json.items;
    community = units.find((u) => u.name === '代书胡同社区');
    await userWithRole(server, 'daishu', 'community_admin', community.id);

    browser = await chromium.launch({
      executablePath: process.env.CHROMIUM_PATH || '/usr/bin/chromium',
      args: CHROMIUM_ARGS,
      headless: true,
    });
    const context = await browser.newContext({ viewport: PHONE, deviceScaleFactor: 2, locale: 'zh-CN' });
    context.setDefaultTimeout(10_000);
    page = await context.newPage();
    page.on('console', (m) => m.type() === 'error' && consoleErrors.push(m.text()));
    page.on('pageerror', (e) => consoleErrors.push(String(e)));
    await page.goto(server.url + '/login');
    await page.locator('input[name=login]').fill('daishu');
    await page.locator('input[name=password]').fill('pw-daishu-123');
    await page.locator('[data-test=login-submit]').click();
    await page.waitForURL((u) => u.pathname === '/');
  });

  after(async () => {
    await browser?.close();
    await server.stop();
  });

  test('phone: register a person; the server’s field errors show at their fields', async () => {
    await page.locator('[data-area=people]').click();
    await page.waitForURL((u) => u.pathname === '/people');
    await page.locator('[data-person=陈思]').waitFor(); // a demo person of the community
    await page.locator('[data-test=person-new]').click();
    await page.waitForURL((u) => u.pathname === '/people/new');
    // The community admin's own community is the default.
    await page.waitForFunction(() => document.querySelector('input[name=org_unit_id]')?.value === '代书胡同社区');

    await page.locator('input[name=name]').fill('郭淑珍');
    await page.locator('input[name=id_number]').fill(BAD_ID);
    await page.locator('input[name=phone]').fill('1381234');
    await page.locator('input[name=skills]').fill('剪纸、唱歌');
    await page.locator('[data-test=person-save]').click();
    await field('id_number').locator('.van-field__error-message', { hasText: zh.apiErrors.id_check_digit }).waitFor();
    await field('phone').locator('.van-field__error-message', { hasText: zh.apiErrors.invalid_phone }).waitFor();
    assert.ok(await noSideScroll());
    await shot('phone-form-errors');

    await page.locator('input[name=id_number]').fill(GOOD_ID);
    await page.locator('input[name=phone]').fill('13812345678');
    await page.locator('.van-checkbox', { hasText: zh.vulnerable.lives_alone }).click();
    await page.locator('[data-test=person-save]').click();
    await page.waitForURL((u) => /^\/people\/\d+$/.test(u.pathname));
    personId = Number(new URL(page.url()).pathname.split('/').pop());
    await page.locator('[data-test=person-name]', { hasText: '郭淑珍' }).waitFor();
  });

  test('phone: masked ID, reveal with a reason, the flag, volunteer registration', async () => {
    const idText = page.locator('[data-test=id-number]');
    assert.equal((await idText.textContent()).trim(), '1101**********002X');
    assert.match(await page.locator('[data-test=vulnerable]').textContent(), new RegExp(zh.vulnerable.lives_alone));

    await page.locator('[data-test=reveal-id]').click();
    await confirmVisibleDialog(); // no reason yet
    await page.locator('.van-dialog:visible .van-field__error-message', { hasText: zh.apiErrors.required }).waitFor();
    await page.locator('.van-dialog:visible textarea[name=reason]').fill('办理志愿者证核对身份');
    await confirmVisibleDialog();
    await page.locator('[data-test=id-number]', { hasText: GOOD_ID }).waitFor();
    await page.locator('.van-dialog').first().waitFor({ state: 'hidden' });

    await page.locator('[data-test=register-volunteer]').click();
    await confirmVisibleDialog();
    const box = page.locator('[data-test=volunteer-box]');
    await box.locator('.rx-card-sub', { hasText: /ZZ\d{13}/ }).waitFor();
    assert.ok(await noSideScroll());
    await shot('phone-person');

    // The audit log has the reason.
    const audit = await api(server.url, '/api/v1/audit-log?limit=20', { cookie: await login(server.url) });
    assert.ok(audit.text.includes('办理志愿者证核对身份'), 'the reveal is audited with its reason');
  });

  test('desktop: import a CSV with a bad row — trial report, then import the rest', async () => {
    await page.setViewportSize(DESKTOP);
    await page.goto(`${server.url}/people/import`);
    await page.waitForFunction(() => document.querySelector('input[name=community]')?.value === '代书胡同社区');
    const csv = ['姓名,身份证号,手机号,政治面貌,特长', '宋美华,,13912345678,群众,唱歌', '韩志强,110105194912310021,12345,党员,书法', '田桂兰,,13700001111,中共党员,剪纸'].join(
      '\r\n',
    );
    await page.locator('[data-test=import-file]').setInputFiles({ name: '代书胡同.csv', mimeType: 'text/csv', buffer: Buffer.from(csv) });

    // Hold the answer a moment so the progress shows.
    await page.route('**/api/v1/imports/people**', async (route) => {
      await new Promise((r) => setTimeout(r, 600));
      await route.continue();
    });
    await page.locator('[data-test=import-check]').click();
    await page.locator('[data-test=import-progress]').waitFor();
    const report = page.locator('[data-test=import-report]');
    await report.waitFor();
    const bad = report.locator('[data-row="3"]');
    assert.match(await bad.textContent(), new RegExp(zh.import.actions.reject));
    assert.match(await bad.textContent(), new RegExp(zh.apiErrors.id_check_digit));
    assert.match(await report.locator('[data-row="2"]').textContent(), new RegExp(zh.import.actions.create));
    assert.ok(await page.locator('[data-test=import-run]').isDisabled(), 'no import while a row is rejected');
    await shot('desktop-import-report');

    await page.locator('[data-test=skip-invalid]').click();
    await page.locator('[data-test=import-run]').click();
    await report.locator('.imp__state.is-done').waitFor();
    await shot('desktop-import-done');

    const cookie = await login(server.url);
    const names = (await api(server.url, `/api/v1/people?org_unit_id=${community.id}&limit=50`, { cookie })).json.items.map((p) => p.name);
    assert.ok(names.includes('宋美华') && names.includes('田桂兰'), 'the good rows are in');
    assert.ok(!names.includes('韩志强'), 'the bad row is not');
  });

  test('desktop pictures: people list and person page', async () => {
    await page.goto(`${server.url}/people`);
    await page.locator('[data-person=田桂兰]').waitFor();
    await shot('desktop-people');
    await page.goto(`${server.url}/people/${personId}`);
    await page.locator('[data-test=person-name]').waitFor();
    await shot('desktop-person');
  });

  test('no script errors in the page', () => {
    assert.deepEqual(consoleErrors.filter((e) => !/status of 4\d\d/i.test(e)), []);
  });
});
