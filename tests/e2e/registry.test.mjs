// Browser story of the registry screens, as the city administrator: browse the org tree
// 郑州市 → 管城回族区 → 代书胡同社区, open 书梦艺术团, add a member and see the team's size
// chart; accept assignment proposals for the community's Party branch and see the
// all-or-nothing refusal next to the person it concerns; create a team without a name and
// see the field error in Chinese, then in English after switching language in place.
//
//   REXIN_BIN=build/rexin [REXIN_WEB_DIR=web/dist] node --test tests/e2e/registry.test.mjs
//
// People and Party members are written with the registry test fixtures (the people
// module's API is not needed). Screenshots (phone 360x740, desktop 1440x900) go to
// tests/e2e/screenshots/registry-*.png.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs/promises';
import path from 'node:path';
import { chromium } from 'playwright-core';
import zh from '../../web/src/i18n/zh-CN.js';
import en from '../../web/src/i18n/en.js';
import { ADMIN_PASSWORD, ADMIN_USER, REPO_ROOT, api, login, startServer } from '../lib/server.mjs';
import { partyMember, person } from '../lib/registry_fixtures.mjs';

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

// YYYY-MM-DD, n months before today (day 10, so every month exists).
function monthsAgo(n) {
  const d = new Date();
  d.setDate(10);
  d.setMonth(d.getMonth() - n);
  return `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, '0')}-10`;
}

describe('web UI: org tree, teams, proposals', { timeout: 90_000 }, () => {
  let server;
  let cookie;
  let browser;
  let page;
  const ids = {}; // org units, branch, team and people by role in the story
  const consoleErrors = [];

  const shot = (name) =>
    page.screenshot({ path: path.join(SHOTS, `registry-${name}.png`), fullPage: page.viewportSize().width > 600 });
  const noSideScroll = () => page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth);
  const call = (p, opts = {}) => api(server.url, p, { cookie, ...opts });
  const byName = async (p, name) => (await call(p)).json.items.find((x) => x.name === name);
  // A dialog's confirm button; Vant keeps closed dialogs in the page, hidden.
  const confirmVisibleDialog = () => page.locator('.van-dialog:visible .van-dialog__confirm').click();
  // The person field: a search by name when the server has the people module, else the
  // person's number typed in.
  async function choosePerson(scope, name, id, field = 'person_id') {
    const known = scope.locator(`.van-field:is([data-mode=search], [data-mode=number]):has([name=${field}])`);
    await known.waitFor();
    if ((await known.getAttribute('data-mode')) === 'search') {
      await known.click();
      await page.locator('.person-picker input[type=search]').fill(name);
      await page.locator(`.person-picker [data-person=${name}]`).click();
    } else {
      await known.locator(`input[name=${field}]`).fill(String(id));
    }
  }

  before(async () => {
    await fs.mkdir(SHOTS, { recursive: true });
    const args = process.env.REXIN_WEB_DIR ? ['--web', path.resolve(process.env.REXIN_WEB_DIR)] : [];
    server = await startServer({ args });
    assert.match((await api(server.url, '/')).text, /<div id="app">/, 'the server serves the web UI');
    cookie = await login(server.url);

    ids.city = (await byName('/api/v1/org-units?kind=city', '郑州市')).id;
    ids.district = (await byName('/api/v1/org-units?kind=district', '管城回族区')).id;
    ids.community = (await byName('/api/v1/org-units?kind=community', '代书胡同社区')).id;
    ids.branch = (await byName(`/api/v1/party-branches?org_unit_id=${ids.community}`, '代书胡同社区党支部')).id;
    ids.team = (await byName(`/api/v1/teams?org_unit_id=${ids.community}`, '书梦艺术团')).id;
    ids.calligraphy = (await byName(`/api/v1/teams?org_unit_id=${ids.community}`, '老年书画协会')).id;

    // The troupe's history: three joined over the past months, one left.
    const history = [
      ['何翠萍', 7, null],
      ['马丽娟', 5, null],
      ['宋振华', 4, 2],
    ];
    for (const [name, joined, left] of history) {
      const pid = person(server, ids.community, name);
      if (name === '何翠萍') ids.leader = pid;
      const res = await call(`/api/v1/teams/${ids.team}/members`, {
        body: { person_id: pid, role: 'member', joined_on: monthsAgo(joined) },
      });
      assert.equal(res.status, 201, res.text);
      if (left) {
        const out = await call(`/api/v1/teams/${ids.team}/members/${res.json.id}`, {
          method: 'PATCH',
          body: { left_on: monthsAgo(left) },
        });
        assert.equal(out.status, 200, out.text);
      }
    }
    // The person added through the UI, and two Party members without a team.
    ids.newcomer = person(server, ids.community, '刘桂芳');
    ids.singer = person(server, ids.community, '王秀兰', { skills: ['文艺'], interests: ['唱歌'] });
    ids.painter = person(server, ids.community, '赵建国', { skills: ['书画'] });
    partyMember(server, ids.singer, ids.branch);
    partyMember(server, ids.painter, ids.branch);

    browser = await chromium.launch({
      executablePath: process.env.CHROMIUM_PATH || '/usr/bin/chromium',
      args: CHROMIUM_ARGS,
      headless: true,
    });
    const context = await browser.newContext({ viewport: PHONE, deviceScaleFactor: 2, locale: 'zh-CN' });
    context.setDefaultTimeout(10_000);
    page = await context.newPage();
    page.on('console', (m) => {
      if (m.type() === 'error') consoleErrors.push(m.text());
    });
    page.on('pageerror', (e) => consoleErrors.push(String(e)));

    await page.goto(server.url + '/login');
    await page.locator('input[name=login]').fill(ADMIN_USER);
    await page.locator('input[name=password]').fill(ADMIN_PASSWORD);
    await page.locator('[data-test=login-submit]').click();
    await page.waitForURL((u) => u.pathname === '/');
  });

  after(async () => {
    await browser?.close();
    await server?.stop();
  });

  test('phone: home tile → 郑州市 → 管城回族区 → 代书胡同社区', async () => {
    await page.locator('[data-area=org]').click();
    await page.waitForURL((u) => u.pathname === `/org/${ids.city}`);
    await page.locator('[data-test=org-name]', { hasText: '郑州市' }).waitFor();
    await page.locator('[data-child=管城回族区]').click();
    await page.waitForURL((u) => u.pathname === `/org/${ids.district}`);
    await page.locator('[data-child=代书胡同社区]').click();
    await page.waitForURL((u) => u.pathname === `/org/${ids.community}`);
    await page.locator('[data-test=org-name]', { hasText: '代书胡同社区' }).waitFor();

    const crumbs = (await page.locator('.crumbs__item').allTextContents()).map((s) => s.trim());
    assert.deepEqual(crumbs, ['郑州市', '管城回族区', '代书胡同社区']);
    assert.equal(await page.locator('[data-test=org-node] [data-kind=community]').textContent(), zh.orgKinds.community);
    assert.ok(await noSideScroll(), 'no horizontal scrolling at 360px');
    await shot('phone-org');

    // The breadcrumb leads back up.
    await page.locator('[data-crumb=管城回族区]').click();
    await page.waitForURL((u) => u.pathname === `/org/${ids.district}`);
    await page.locator('[data-child=代书胡同社区]').waitFor();
    await page.goBack();
    await page.locator('[data-test=org-name]', { hasText: '代书胡同社区' }).waitFor();
  });

  test('phone: the community’s teams, 书梦艺术团 and its size chart', async () => {
    await page.locator('[data-test=org-teams]').click();
    await page.waitForURL((u) => u.pathname === '/teams' && u.searchParams.get('org_unit_id') === String(ids.community));
    const card = page.locator('[data-team=书梦艺术团]');
    assert.equal((await card.locator('[data-test=member-count]').textContent()).trim(), '2');
    // Other communities' teams are filtered out.
    assert.equal(await page.locator('[data-team=党员老妈妈服务队]').count(), 0);
    assert.ok(await noSideScroll());
    await shot('phone-teams');

    await card.click();
    await page.waitForURL((u) => u.pathname === `/teams/${ids.team}`);
    await page.locator('[data-test=team-name]', { hasText: '书梦艺术团' }).waitFor();
    await page.locator('[data-test=size-chart] canvas').waitFor();
    await page.locator('[data-member=何翠萍]').waitFor();
    assert.equal(await page.locator('[data-member=宋振华]').count(), 0, 'someone who left is not current');
    assert.ok(await noSideScroll());
    await shot('phone-team');
  });

  test('phone: add a member; the count and the chart follow', async () => {
    await page.locator('[data-test=add-member]').click();
    const dialog = page.locator('.van-dialog:visible');
    await choosePerson(dialog, '刘桂芳', ids.newcomer);
    await dialog.locator('[data-role=deputy]').click();
    await shot('phone-add-member');
    await confirmVisibleDialog();

    const row = page.locator('[data-member=刘桂芳]');
    await row.waitFor();
    assert.match(await row.textContent(), new RegExp(zh.teamRoles.deputy));
    await page.locator('[data-test=team-count]', { hasText: '3' }).waitFor();
    const size = (await call(`/api/v1/teams/${ids.team}/size`)).json.items.at(-1).size;
    assert.equal(size, 3, 'the server counts the new member today');
    // The chart's headline figure is today's size.
    await page.locator('[data-test=size-chart] .size__figures strong', { hasText: '3' }).first().waitFor();

    // Adding her again is refused; the server's reason shows at the person field.
    await page.locator('[data-test=add-member]').click();
    await choosePerson(page.locator('.van-dialog:visible'), '刘桂芳', ids.newcomer);
    await confirmVisibleDialog();
    const err = page.locator('.van-dialog:visible .van-field__error-message').first();
    await err.waitFor();
    assert.match(await err.textContent(), new RegExp(zh.apiErrors.already_member));
    await shot('phone-add-member-error');
    await page.locator('.van-dialog:visible .van-dialog__cancel').click();
    await page.locator('.van-dialog').first().waitFor({ state: 'hidden' });
  });

  test('phone: a member leaves today; the history keeps her with both dates', async () => {
    await page.locator('[data-leave=马丽娟]').click();
    await confirmVisibleDialog();
    await page.locator('[data-member=马丽娟]').waitFor({ state: 'detached' });
    await page.locator('[data-test=team-count]', { hasText: '2' }).waitFor();
    await page.locator('.van-tab', { hasText: zh.teams.history }).click();
    const gone = page.locator('[data-member=马丽娟].is-gone');
    await gone.waitFor();
    assert.match(await gone.textContent(), /入队.*离队/);
    await page.locator('[data-member=宋振华].is-gone').waitFor();
    await shot('phone-team-history');
  });

  test('desktop: proposals with reasons; a refused pair is shown under its person', async () => {
    await page.setViewportSize(DESKTOP);
    await page.goto(`${server.url}/party-branches/${ids.branch}`);
    await page.locator('[data-test=proposals-link]').click();
    await page.waitForURL((u) => u.pathname === `/party-branches/${ids.branch}/proposals`);

    const singer = page.locator('.prop[data-person=王秀兰]');
    const painter = page.locator('.prop[data-person=赵建国]');
    await singer.waitFor();
    assert.match(await singer.textContent(), /书梦艺术团/);
    assert.match(await painter.textContent(), /老年书画协会/);
    assert.match(await singer.locator('[data-test=reason]').textContent(), /文艺/);
    await shot('desktop-proposals');

    // Meanwhile someone puts 王秀兰 into the troupe: accepting both now fails as a whole.
    const joined = await call(`/api/v1/teams/${ids.team}/members`, { body: { person_id: ids.singer } });
    assert.equal(joined.status, 201, joined.text);
    await page.locator('[data-test=select-all]').click();
    await page.locator('[data-test=accept]').click();
    const itemError = singer.locator('[data-test=item-error]');
    await itemError.waitFor();
    assert.match(await itemError.textContent(), new RegExp(zh.apiErrors.already_member));
    assert.equal(await painter.locator('[data-test=item-error]').count(), 0, 'only the pair concerned is marked');
    const calligraphers = (await call(`/api/v1/teams/${ids.calligraphy}/members`)).json.items;
    assert.equal(calligraphers.length, 0, 'all or nothing: 赵建国 was not added either');
    await shot('desktop-proposals-error');

    // Accepting only 赵建国 works; the proposals reload without him or 王秀兰.
    await page.locator('[data-test=select-all]').click(); // all -> none
    await painter.locator('.van-checkbox').click();
    await page.locator('[data-test=accept]').click();
    await page.locator('.prop[data-person=赵建国]').waitFor({ state: 'detached' });
    const now = (await call(`/api/v1/teams/${ids.calligraphy}/members`)).json.items.map((m) => m.name);
    assert.deepEqual(now, ['赵建国']);
  });

  test('desktop: a team without a name shows the field error in Chinese, then English', async () => {
    // What the server itself says, in each language.
    const ask = (lang) =>
      call('/api/v1/teams', { body: { org_unit_id: ids.community, name: '' }, headers: { 'Accept-Language': lang } });
    const zhMsg = (await ask('zh-CN')).json.errors.find((e) => e.field === 'name').message;
    const enMsg = (await ask('en')).json.errors.find((e) => e.field === 'name').message;
    assert.notEqual(zhMsg, enMsg);

    await page.goto(`${server.url}/teams?org_unit_id=${ids.community}`);
    await page.locator('[data-test=team-new]').click();
    await page.waitForURL((u) => u.pathname === '/teams/new');
    // The community comes from the list's filter.
    await page.waitForFunction(() => document.querySelector('input[name=org_unit_id]')?.value === '代书胡同社区');
    await page.locator('[data-test=team-save]').click();
    const nameError = page.locator('.van-field:has(input[name=name]) .van-field__error-message');
    await nameError.waitFor();
    assert.equal((await nameError.textContent()).trim(), zhMsg);
    await shot('desktop-team-form-error');

    await page.locator('nav.side [data-lang=en]').click();
    await page.getByRole('heading', { name: en.teams.newTitle }).waitFor();
    assert.equal((await nameError.textContent()).trim(), enMsg);
    assert.equal(new URL(page.url()).pathname, '/teams/new', 'the page stays');
    await shot('desktop-team-form-error-en');

    // Filling the name creates the team and opens it.
    await page.locator('input[name=name]').fill('社区合唱团');
    await page.locator('[data-test=team-save]').click();
    await page.waitForURL((u) => /^\/teams\/\d+$/.test(u.pathname));
    await page.locator('[data-test=team-name]', { hasText: '社区合唱团' }).waitFor();
    await page.locator('nav.side [data-lang=zh-CN]').click();
  });

  test('desktop: a Party branch at the district, and the troupe gets a leader', async () => {
    await page.goto(`${server.url}/party-branches?org_unit_id=${ids.district}`);
    await page.locator('[data-branch=代书胡同社区党支部]').waitFor();
    await page.locator('[data-test=branch-new]').click();
    await page.waitForURL((u) => u.pathname === '/party-branches/new');
    await page.waitForFunction(() => document.querySelector('input[name=org_unit_id]')?.value === '管城回族区');
    await page.locator('.van-radio', { hasText: zh.branchKinds.committee }).click();
    await page.locator('input[name=name]').fill('管城回族区机关党委');
    await page.locator('[data-test=branch-save]').click();
    await page.waitForURL((u) => /^\/party-branches\/\d+$/.test(u.pathname));
    await page.locator('.branch__name', { hasText: '管城回族区机关党委' }).waitFor();
    assert.match(await page.locator('.branch__where').textContent(), new RegExp(zh.branchKinds.committee));

    await page.goto(`${server.url}/teams/${ids.team}`);
    await page.locator('[data-test=team-edit]').click();
    await page.waitForURL((u) => u.pathname === `/teams/${ids.team}/edit`);
    await page.waitForFunction(() => document.querySelector('input[name=name]')?.value === '书梦艺术团');
    await choosePerson(page.locator('[data-test=team-form]'), '何翠萍', ids.leader, 'leader_person_id');
    await page.locator('[data-test=team-save]').click();
    await page.waitForURL((u) => u.pathname === `/teams/${ids.team}`);
    await page.locator('.team__facts', { hasText: '何翠萍' }).waitFor();
  });

  test('desktop: add, rename, move and delete units; a refused delete lists its reasons', async () => {
    await page.goto(`${server.url}/org/${ids.community}`);
    await page.locator('[data-test=org-name]', { hasText: '代书胡同社区' }).waitFor();

    // A venue under the community; a code of the wrong length is caught at its field.
    await page.locator('[data-test=org-add]').click();
    const dialog = page.locator('.van-dialog:visible');
    await dialog.locator('[data-kind=venue]').first().waitFor();
    await dialog.locator('input[name=name]').fill('代书胡同党群服务站');
    await dialog.locator('input[name=code]').fill('4101');
    await confirmVisibleDialog();
    await dialog.locator('.van-field__error-message', { hasText: zh.org.codeRule }).waitFor();
    await dialog.locator('input[name=code]').fill('');
    await confirmVisibleDialog();
    const venue = page.locator('[data-child=代书胡同党群服务站]');
    await venue.waitFor();

    // Rename it, then move it under 西堡社区.
    await venue.click();
    await page.locator('[data-test=org-name]', { hasText: '代书胡同党群服务站' }).waitFor();
    await page.locator('[data-action=rename]').click();
    await dialog.locator('input[name=name]').fill('书香党群服务站');
    await confirmVisibleDialog();
    await page.locator('[data-test=org-name]', { hasText: '书香党群服务站' }).waitFor();
    await page.locator('[data-action=move]').click();
    await dialog.locator('input[name=parent_id]').click();
    await page.locator('.org-picker [data-org=西堡社区]').click();
    await confirmVisibleDialog();
    const crumbs = page.locator('.crumbs__item');
    await crumbs.filter({ hasText: '西堡社区' }).waitFor();
    assert.deepEqual((await crumbs.allTextContents()).map((s) => s.trim()), ['郑州市', '管城回族区', '西堡社区', '书香党群服务站']);

    // It has nothing attached: deleting it returns to 西堡社区.
    await page.locator('[data-action=delete]').click();
    await page.locator('.van-dialog:visible .van-dialog__confirm').click();
    await page.locator('[data-test=org-name]', { hasText: '西堡社区' }).waitFor();
    assert.equal(await page.locator('[data-child=书香党群服务站]').count(), 0);

    // 管城回族区 has units, teams and a branch below: the refusal says what blocks it.
    await page.goto(`${server.url}/org/${ids.district}`);
    await page.locator('[data-action=delete]').click();
    await page.locator('.van-dialog:visible .van-dialog__confirm').click();
    const blockers = page.locator('[data-test=delete-blockers]');
    await blockers.waitFor();
    assert.match(await blockers.locator('[data-field=children]').textContent(), new RegExp(zh.org.dependents.children));
    await page.locator('.van-dialog').first().waitFor({ state: 'hidden' });
    await page.locator('.van-overlay').first().waitFor({ state: 'hidden' });
    await shot('desktop-org-delete-refused');
  });

  test('desktop pictures: org tree and team page', async () => {
    await page.goto(`${server.url}/org/${ids.district}`);
    await page.locator('[data-child=代书胡同社区]').waitFor();
    assert.ok(await page.locator('nav.side [data-nav=org].is-active').isVisible(), 'side navigation marks 组织');
    await shot('desktop-org');
    await page.goto(`${server.url}/teams/${ids.team}`);
    await page.locator('[data-test=size-chart] canvas').waitFor();
    await page.locator('[data-member=刘桂芳]').waitFor();
    assert.ok(await page.locator('nav.side [data-nav=teams].is-active').isVisible(), 'side navigation marks 队伍');
    await shot('desktop-team');
  });

  test('no script errors in the page', () => {
    // Refused requests (404 for the people module's absence, 409s in the story) are not
    // script errors.
    const real = consoleErrors.filter((e) => !/status of 4\d\d/i.test(e));
    assert.deepEqual(real, []);
  });
});
