// Browser test of the activity screens: the leader's story, end to end, against a real
// server with the test clock.
//
//   A team leader of 代书胡同社区 creates an activity for 书梦艺术团 with one place. 李秀兰
//   signs up on her phone and gets it; 王建国 (desktop) is first refused because he holds a
//   place in an overlapping activity (the message names it), then joins the waitlist. The
//   leader shows the check-in code; 李秀兰 opens its URL signed out, signs in, and is checked
//   in straight away (the token survived the sign-in). Later she scans again and is checked
//   out. The leader confirms the record; 李秀兰 sees the hours under 我的时长, asks for a
//   correction, the leader accepts it, and her hours follow. Also: the kiosk, English, and
//   the age-friendly mode. Screenshots at 360x740 and 1440x900 go to tests/e2e/screenshots/.
//
//   REXIN_BIN=build/rexin REXIN_WEB_DIR=web/dist node --test tests/e2e/activities.test.mjs
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs/promises';
import path from 'node:path';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { chromium } from 'playwright-core';
import zh from '../../web/src/i18n/zh-CN.js';
import en from '../../web/src/i18n/en.js';
import { REPO_ROOT, api, login, rexinBin, startServer } from '../lib/server.mjs';
import { exec, orgId, rows, setClock, TEST_PASSWORD } from '../lib/activity_fixtures.mjs';

const run = promisify(execFile);
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

// Beijing wall time of an instant: {date: 'YYYY-MM-DD', time: 'HH:MM'}.
function beijing(d) {
  const p = Object.fromEntries(
    new Intl.DateTimeFormat('en-GB', {
      timeZone: 'Asia/Shanghai',
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      hourCycle: 'h23',
    })
      .formatToParts(d)
      .map((x) => [x.type, x.value]),
  );
  return { date: `${p.year}-${p.month}-${p.day}`, time: `${p.hour}:${p.minute}` };
}
const iso = (d) => {
  const b = beijing(d);
  return `${b.date}T${b.time}:00+08:00`;
};

describe('web UI: a leader runs an activity, volunteers take part, hours are confirmed', { timeout: 120_000 }, () => {
  let server;
  let browser;
  let admin; // API cookie (test clock)
  let leaderApi; // API cookie of the leader
  let org;
  let team;
  let activityId;
  let otherId; // the overlapping activity 王建国 already holds
  let liPerson;
  let wangPerson;
  const contexts = [];
  const consoleErrors = [];

  // The activity: an hour and a half from now, rounded to the half hour, for two hours.
  const start = new Date(Math.ceil((Date.now() + 90 * 60_000) / 1_800_000) * 1_800_000);
  const end = new Date(start.getTime() + 2 * 3600_000);
  const TITLE = '重阳节文艺汇演排练';
  const OTHER = '社区义诊';

  async function newPage(viewport, { lang = 'zh-CN', elder = false } = {}) {
    const context = await browser.newContext({ viewport, deviceScaleFactor: viewport.width < 600 ? 2 : 1, locale: 'zh-CN' });
    context.setDefaultTimeout(10_000);
    await context.addInitScript(
      ([l, e]) => {
        if (!sessionStorage.getItem('rx-test-init')) {
          sessionStorage.setItem('rx-test-init', '1');
          localStorage.setItem('rexin.lang', l);
          localStorage.setItem('rexin.elder', e ? '1' : '0');
        }
      },
      [lang, elder],
    );
    contexts.push(context);
    const page = await context.newPage();
    page.on('console', (m) => {
      if (m.type() === 'error') consoleErrors.push(`${m.text()} @ ${page.url()}`);
    });
    page.on('pageerror', (e) => consoleErrors.push(String(e)));
    return page;
  }
  // Pictures leave out passing toasts, so that they show the page itself.
  const shot = (page, name) =>
    page.screenshot({
      path: path.join(SHOTS, `activities-${name}.png`),
      fullPage: page.viewportSize().width > 600,
      style: '.van-toast { display: none !important; }',
    });
  // No sideways scrolling, and nothing cut off at the right edge either (a list inside an
  // overflow-hidden box would not scroll, but would still be cut).
  async function noSideScroll(page) {
    const over = await page.evaluate(() => {
      if (document.documentElement.scrollWidth > window.innerWidth) return ['the page scrolls sideways'];
      return [...document.querySelectorAll('#app *')]
        .filter((el) => {
          if (el.closest('.van-tabs__wrap, .van-dropdown-item, .van-toast, .van-overlay')) return false;
          const r = el.getBoundingClientRect();
          return r.width > 0 && r.height > 0 && r.right > window.innerWidth + 1;
        })
        .slice(0, 3)
        .map((el) => `${el.tagName.toLowerCase()}.${String(el.className).replace(/\s+/g, '.')}`);
    });
    assert.deepEqual(over, [], `cut off at the right of ${page.url()}`);
    return true;
  }
  const pathOf = (page) => new URL(page.url()).pathname;

  async function signIn(page, username) {
    await page.locator('input[name=login]').fill(username);
    await page.locator('input[name=password]').fill(TEST_PASSWORD);
    await page.locator('[data-test=login-submit]').click();
    await page.waitForURL((u) => u.pathname !== '/login');
  }
  async function openSignedIn(page, username, to) {
    await page.goto(server.url + to);
    await page.waitForURL((u) => u.pathname === '/login');
    await signIn(page, username);
    await page.waitForURL((u) => u.pathname + u.search === to || u.pathname === to);
  }
  async function checkinUrl() {
    const r = await api(server.url, `/api/v1/activities/${activityId}/checkin-code?format=json`, { cookie: leaderApi });
    assert.equal(r.status, 200, r.text);
    const u = new URL(r.json.url);
    assert.equal(u.pathname, `/checkin/${activityId}`, 'the code leads to the landing page');
    return server.url + u.pathname + u.search;
  }

  async function person(name, { volunteer = true } = {}) {
    await exec(
      server,
      `INSERT INTO people(org_unit_id, name, name_norm, birth_date, skills, created_at, updated_at)
         VALUES(${org}, '${name}', '${name}', '1960-03-08', '[]', 0, 0);` +
        (volunteer
          ? `INSERT INTO volunteers(person_id, volunteer_no, org_unit_id, registered_on, created_at, updated_at)
               VALUES(last_insert_rowid(), 'V4101040${Math.floor(Math.random() * 1e6)}', ${org}, '2020-01-01', 0, 0);`
          : ''),
    );
    return (await rows(server, `SELECT id FROM people WHERE name = '${name}'`))[0].id;
  }
  async function account(username, displayName, personId, grants) {
    const env = { ...process.env, REXIN_PASSWORD: TEST_PASSWORD };
    await run(rexinBin(), ['user', 'add', username, `--display-name=${displayName}`, '--data', server.dataDir], { env });
    for (const [role, unit] of grants) await run(rexinBin(), ['user', 'grant', username, role, String(unit), '--data', server.dataDir], { env });
    if (personId) await exec(server, `UPDATE users SET person_id = ${personId} WHERE username = '${username}';`);
  }

  before(async () => {
    await fs.mkdir(SHOTS, { recursive: true });
    const args = ['--session-idle', '1000000000', '--session-max', '1000000000'];
    if (process.env.REXIN_WEB_DIR) args.push('--web', path.resolve(process.env.REXIN_WEB_DIR));
    server = await startServer({ env: { REXIN_TEST_CLOCK: '1' }, args });
    const shell = await api(server.url, '/activities');
    assert.match(shell.text, /<div id="app">/, 'the server does not serve the web UI (npm run build:web; REXIN_WEB_DIR=web/dist)');

    admin = await login(server.url);
    org = await orgId(server, '代书胡同社区');
    team = (await rows(server, `SELECT id FROM teams WHERE name = '书梦艺术团'`))[0].id;
    liPerson = await person('李秀兰');
    wangPerson = await person('王建国');
    const liu = await person('刘桂芳');
    await account('liuguifang', '刘桂芳', liu, [['team_leader', org]]);
    await account('lixiulan', '李秀兰', liPerson, [['volunteer', org]]);
    await account('wangjianguo', '王建国', wangPerson, [['volunteer', org]]);
    leaderApi = await login(server.url, 'liuguifang', TEST_PASSWORD);

    // 王建国 already holds a place in something at the same time.
    const other = await api(server.url, '/api/v1/activities', {
      method: 'POST',
      cookie: leaderApi,
      body: { team_id: team, title: OTHER, capacity: 5, status: 'published', starts_at: iso(start), ends_at: iso(end), venue: '社区卫生服务站' },
    });
    assert.equal(other.status, 201, other.text);
    otherId = other.json.id;
    const s = await api(server.url, `/api/v1/activities/${otherId}/signups`, { method: 'POST', cookie: leaderApi, body: { person_id: wangPerson } });
    assert.equal(s.status, 201, s.text);

    browser = await chromium.launch({
      executablePath: process.env.CHROMIUM_PATH || '/usr/bin/chromium',
      args: CHROMIUM_ARGS,
      headless: true,
    });
  });

  after(async () => {
    for (const c of contexts) await c.close().catch(() => {});
    await browser?.close();
    await server?.stop();
  });

  let leader; // the leader's page (phone)
  let li; // 李秀兰's page (phone)
  let wang; // 王建国's page (desktop)

  test('the leader creates an activity for 书梦艺术团 on her phone', async () => {
    leader = await newPage(PHONE);
    await openSignedIn(leader, 'liuguifang', '/activities/new');
    await leader.locator('select[data-test=f-team]').selectOption({ label: '书梦艺术团 · 代书胡同社区' });

    // Nothing typed yet: the form says what is missing, next to the field.
    await leader.locator('[data-test=publish-activity]').click();
    await leader.getByText(zh.form.required.title).waitFor();

    const b = beijing(start);
    const e = beijing(end);
    await leader.locator('[data-test=f-title] input').fill(TITLE);
    await leader.locator('[data-test=f-venue] input').fill('代书胡同社区活动室');
    await leader.locator('[data-test=f-date] input').fill(b.date);
    await leader.locator('[data-test=f-start] input').fill(b.time);
    await leader.locator('[data-test=f-end] input').fill(e.time);
    const cap = leader.locator('[data-test=f-capacity] input');
    await cap.fill('1');
    await cap.press('Tab');
    assert.ok(await noSideScroll(leader), 'no horizontal scrolling on the form at 360px');
    await shot(leader, 'phone-new');

    await leader.locator('[data-test=publish-activity]').click();
    await leader.waitForURL((u) => /^\/activities\/\d+$/.test(u.pathname));
    activityId = Number(pathOf(leader).split('/').pop());
    await leader.locator('[data-test=activity-title]', { hasText: TITLE }).waitFor();
    await leader.locator('[data-test=leader-panel]').waitFor();
    const a = (await api(server.url, `/api/v1/activities/${activityId}`, { cookie: admin })).json;
    assert.equal(a.team_id, team);
    assert.equal(a.capacity, 1);
    assert.equal(a.status, 'published');
    assert.equal(Date.parse(a.starts_at), start.getTime());
    assert.equal(Date.parse(a.ends_at), end.getTime());
    assert.equal(a.venue, '代书胡同社区活动室');
    assert.ok(await noSideScroll(leader));
    await shot(leader, 'phone-leader-activity');

    // She corrects the place: only what changed is sent.
    await leader.locator('[data-test=edit-activity]').click();
    await leader.waitForURL((u) => u.pathname === `/activities/${activityId}/edit`);
    await leader.locator('[data-test=f-venue] input').fill('代书胡同社区活动室（二楼）');
    const patch = leader.waitForRequest((r) => r.method() === 'PATCH');
    await leader.locator('[data-test=save-activity]').click();
    assert.deepEqual(JSON.parse((await patch).postData()), { venue: '代书胡同社区活动室（二楼）' });
    await leader.waitForURL((u) => u.pathname === `/activities/${activityId}`);
    await leader.getByText('代书胡同社区活动室（二楼）').first().waitFor();
  });

  test('李秀兰 finds it near her and signs up', async () => {
    li = await newPage(PHONE);
    await openSignedIn(li, 'lixiulan', '/activities');
    // Near me: her community is the default place filter.
    const card = li.locator(`[data-test=activity-${activityId}]`);
    await card.waitFor();
    assert.match(await card.textContent(), new RegExp(TITLE));
    assert.match(await card.locator('[data-test=places]').textContent(), /1/);
    assert.ok(await noSideScroll(li), 'no horizontal scrolling on the list at 360px');
    await shot(li, 'phone-list');

    await card.click();
    await li.waitForURL((u) => u.pathname === `/activities/${activityId}`);
    await li.locator('[data-test=sign-up]').click();
    await li.locator('[data-test=my-signup-status]', { hasText: zh.signup.status.confirmed }).waitFor();
    assert.equal(await li.locator('[data-test=cancel-signup]').count(), 1, 'she can cancel her place');
    assert.ok(await noSideScroll(li));
    await shot(li, 'phone-signed-up');

    await li.goto(server.url + '/activities/schedule');
    await li.locator(`[data-test=schedule-${activityId}] [data-test=schedule-status]`, { hasText: zh.signup.status.confirmed }).waitFor();
    await shot(li, 'phone-schedule');
  });

  test('王建国 is told why he cannot sign up, then joins the waitlist', async () => {
    wang = await newPage(DESKTOP);
    await openSignedIn(wang, 'wangjianguo', `/activities/${activityId}`);
    await wang.locator('[data-test=sign-up]', { hasText: zh.signup.joinWaitlist }).click();
    const problem = wang.locator('[data-test=problem]');
    await problem.waitFor();
    assert.match(await problem.textContent(), new RegExp(OTHER), 'the refusal names the overlapping activity');
    await shot(wang, 'desktop-overlap');

    // He gives up the other place and tries again: the one place is taken, so he waits.
    const mine = (await api(server.url, `/api/v1/activities/${otherId}/signups`, { cookie: leaderApi })).json.items[0];
    assert.equal((await api(server.url, `/api/v1/activities/${otherId}/signups/${mine.id}`, { method: 'DELETE', cookie: leaderApi })).status, 200);
    await wang.locator('[data-test=sign-up]').click();
    await wang.locator('[data-test=my-signup-status]', { hasText: zh.signup.waitlistedAt.replace('{n}', '1') }).waitFor();
    await problem.waitFor({ state: 'detached' });
    await shot(wang, 'desktop-waitlisted');

    await wang.goto(server.url + '/activities');
    await wang.locator(`[data-test=activity-${activityId}] [data-test=mine]`).waitFor();
    await shot(wang, 'desktop-list');
  });

  test('the leader shows the check-in code, refreshed every 30 seconds', async () => {
    await setClock(server, admin, iso(new Date(start.getTime() - 10 * 60_000)));
    await leader.goto(server.url + `/activities/${activityId}/code`);
    await leader.locator('[data-test=qr-code]').waitFor();
    const src = await leader.locator('[data-test=qr-code]').getAttribute('src');
    assert.match(src, /^blob:/, 'the server’s SVG is shown');
    const countdown = await leader.locator('[data-test=qr-countdown]').textContent();
    const n = Number(/(\d+)/.exec(countdown)[1]);
    assert.ok(n >= 1 && n <= 30, `countdown ${countdown}`);
    assert.ok(await noSideScroll(leader));
    await shot(leader, 'phone-qr');
  });

  test('李秀兰 opens the code’s URL, signs in, and is checked in at once', async () => {
    const url = await checkinUrl();
    const fresh = await newPage(PHONE);
    await fresh.goto(url);
    await fresh.waitForURL((u) => u.pathname === '/login');
    assert.match(decodeURIComponent(new URL(fresh.url()).searchParams.get('redirect')), /\?t=/, 'the token waits in ?redirect=');
    await signIn(fresh, 'lixiulan');
    await fresh.locator('[data-test=checkin-result]', { hasText: zh.checkin.checkedIn }).waitFor();
    assert.equal(await fresh.locator('[data-test=checkin-in-time]').textContent(), beijing(new Date(start.getTime() - 10 * 60_000)).time);
    await fresh.locator('[data-test=checkin-activity]', { hasText: TITLE }).waitFor();
    await fresh.waitForURL((u) => u.pathname === `/checkin/${activityId}` && !u.searchParams.has('t'));
    assert.ok(await noSideScroll(fresh));
    await shot(fresh, 'phone-checked-in');

    // A reload does not scan again; it shows the same result.
    await fresh.reload();
    await fresh.locator('[data-test=checkin-result]', { hasText: zh.checkin.checkedIn }).waitFor();
    const att = (await api(server.url, `/api/v1/activities/${activityId}/attendance`, { cookie: leaderApi })).json.items;
    assert.deepEqual(att.map((x) => x.state), ['in']);
  });

  test('the leader sees who is here; the kiosk shows big name tiles', async () => {
    await leader.goto(server.url + `/activities/${activityId}/attendance`);
    await leader.locator('[data-test=count-in]', { hasText: '1' }).waitFor();
    const row = leader.locator('[data-test=attendance-list] li', { hasText: '李秀兰' });
    assert.match(await row.textContent(), new RegExp(zh.attendance.state.in));
    assert.ok(await noSideScroll(leader));
    await shot(leader, 'phone-attendance');

    await leader.locator('[data-test=open-kiosk]').click();
    await leader.locator('[data-test=kiosk-tiles]').waitFor();
    await leader.setViewportSize(DESKTOP);
    await shot(leader, 'desktop-kiosk');
    await leader.setViewportSize(PHONE);
    await leader.locator('[data-test=kiosk-exit]').click();
    await leader.waitForURL((u) => u.pathname.endsWith('/attendance'));
  });

  test('two hours later 李秀兰 scans again and is checked out with her time', async () => {
    await setClock(server, admin, iso(new Date(end.getTime() + 5 * 60_000)));
    await li.goto(await checkinUrl());
    await li.locator('[data-test=checkin-result]', { hasText: zh.checkin.checkedOut }).waitFor();
    assert.equal(await li.locator('[data-test=checkin-out-time]').textContent(), beijing(new Date(end.getTime() + 5 * 60_000)).time);
    // Credited from the start to the end: 2 hours.
    assert.match(await li.locator('[data-test=checkin-minutes]').textContent(), /2 小时/);
    assert.ok(await noSideScroll(li));
    await shot(li, 'phone-checked-out');
  });

  test('the leader confirms the record', async () => {
    await leader.goto(server.url + `/activities/${activityId}/records`);
    await leader.locator('[data-test=count-pending]', { hasText: '1' }).waitFor();
    await shot(leader, 'phone-records-pending');
    await leader.locator('[data-test=confirm-all]').click();
    await leader.locator('.van-dialog__confirm').click();
    await leader.locator('[data-test=records-list] [data-test=record-status]', { hasText: zh.record.status.confirmed }).waitFor();
    await leader.locator('[data-test=count-pending]', { hasText: '0' }).waitFor();
    const recs = (await api(server.url, `/api/v1/records?activity_id=${activityId}`, { cookie: leaderApi })).json.items;
    assert.deepEqual(recs.map((r) => [r.person_name, r.minutes, r.status]), [['李秀兰', 120, 'confirmed']]);
  });

  test('李秀兰 sees her hours, asks for a correction, and the leader accepts it', async () => {
    await li.goto(server.url + '/my-hours');
    await li.locator('[data-test=hours-total]', { hasText: /^2$/ }).waitFor();
    await li.locator('[data-test=my-records] [data-test=record-status]', { hasText: zh.record.status.confirmed }).waitFor();
    assert.ok(await noSideScroll(li));
    await shot(li, 'phone-my-hours');

    await li.locator('[data-test=my-records] a').first().click();
    await li.waitForURL((u) => /^\/records\/\d+$/.test(u.pathname));
    await li.locator('[data-test=record-history] li').nth(1).waitFor(); // created, confirmed
    await li.locator('[data-test=ask-correction]').click();
    const minutes = li.locator('[data-test=cf-minutes] input');
    await minutes.fill('30');
    await minutes.press('Tab');
    await li.locator('[data-test=cf-reason] textarea').fill('提前半小时到场布置舞台，忘记扫码');
    await shot(li, 'phone-correction-form');
    await li.locator('[data-test=cf-submit]').click();
    await li.getByText(zh.correction.waiting).waitFor();
    assert.ok(await noSideScroll(li));
    await shot(li, 'phone-record');

    await leader.setViewportSize(DESKTOP);
    await leader.goto(server.url + `/activities/${activityId}/records`);
    const corr = leader.locator('[data-test=open-corrections] article');
    await corr.waitFor();
    assert.match(await corr.textContent(), /2 小时 30 分钟/);
    await shot(leader, 'desktop-records-correction');
    await corr.locator('[data-test^=accept-]').click();
    await leader.locator('[data-test=open-corrections]').waitFor({ state: 'detached' });
    await leader.locator('[data-test=records-list] [data-test=record-minutes]', { hasText: '2 小时 30 分钟' }).waitFor();

    await li.goto(server.url + '/my-hours');
    await li.locator('[data-test=hours-total]', { hasText: /^2\.5$/ }).waitFor();
    // No star yet: the first star is at 100 hours, 97.5 to go.
    assert.match(await li.locator('[data-test=star-level]').textContent(), /97\.5/);
  });

  test('in English and in the age-friendly mode the pages still fit', async () => {
    // 王建国 in English on the desktop: his schedule and the activity.
    await wang.goto(server.url + '/me');
    await wang.locator('[data-lang=en]').click();
    await wang.goto(server.url + '/activities/schedule');
    await wang.locator(`[data-test=schedule-${activityId}]`).waitFor();
    await wang.getByText(en.schedule.past, { exact: true }).waitFor();
    await shot(wang, 'desktop-schedule-en');
    await wang.goto(server.url + `/activities/${activityId}`);
    await wang.locator('[data-test=activity-when]').waitFor();
    await shot(wang, 'desktop-activity-en');
    await wang.setViewportSize(PHONE);
    await wang.goto(server.url + '/activities');
    await wang.locator(`[data-test=activity-${activityId}]`).waitFor();
    await wang.getByText(en.activities.tabs.find).first().waitFor();
    assert.ok(await noSideScroll(wang), 'no horizontal scrolling in English at 360px');
    await shot(wang, 'phone-list-en');
    await wang.goto(server.url + `/activities/${activityId}`);
    await wang.locator('[data-test=my-signup-status]').waitFor();
    assert.ok(await noSideScroll(wang));
    await shot(wang, 'phone-activity-en');

    // 李秀兰 switches to 长辈模式: bigger type, the same pages, no sideways scrolling.
    const elder = await newPage(PHONE, { elder: true });
    await openSignedIn(elder, 'lixiulan', '/my-hours');
    await elder.locator('[data-test=hours-total]').waitFor();
    const size = await elder.evaluate(() => parseFloat(getComputedStyle(document.querySelector('.rec__what')).fontSize));
    assert.ok(size >= 19, `record titles are large (${size}px)`);
    assert.ok(await noSideScroll(elder));
    await shot(elder, 'phone-my-hours-elder');
    await elder.goto(server.url + `/activities/${activityId}`);
    await elder.locator('[data-test=activity-title]').waitFor();
    assert.ok(await noSideScroll(elder));
    await shot(elder, 'phone-activity-elder');
    await elder.goto(server.url + `/checkin/${activityId}`);
    await elder.locator('[data-test=checkin-card]').waitFor();
    assert.ok(await noSideScroll(elder));
    await shot(elder, 'phone-checkin-elder');
  });

  test('desktop pictures of the leader’s screens', async () => {
    await leader.goto(server.url + `/activities/${activityId}`);
    await leader.locator('[data-test=leader-panel]').waitFor();
    await shot(leader, 'desktop-leader-activity');
    await leader.goto(server.url + '/activities/manage');
    await leader.locator('[data-test=manage-list]').waitFor();
    await shot(leader, 'desktop-manage');
  });

  test('a weekly series: every Monday and Thursday, then moved from one occurrence on', async () => {
    // From the Monday after next: Mon, Thu, Mon, Thu, Mon, Thu = 6 rehearsals in 18 days.
    const d = new Date(Date.now() + 8 * 86400_000);
    while (new Intl.DateTimeFormat('en-US', { timeZone: 'Asia/Shanghai', weekday: 'short' }).format(d) !== 'Mon') d.setTime(d.getTime() + 86400_000);
    const monday = beijing(d).date;
    const until = beijing(new Date(d.getTime() + 17 * 86400_000)).date;

    await leader.goto(server.url + '/activities/new');
    await leader.locator('select[data-test=f-team]').selectOption({ label: '书梦艺术团 · 代书胡同社区' });
    await leader.locator('[data-test=f-title] input').fill('书梦艺术团排练');
    await leader.locator('[data-test=f-venue] input').fill('社区文化活动中心');
    await leader.locator('[data-test=f-repeat]').click();
    await leader.locator('[data-test=weekday-1]').click();
    await leader.locator('[data-test=weekday-4]').click();
    await leader.locator('[data-test=f-from] input').fill(monday);
    await leader.locator('[data-test=f-until] input').fill(until);
    await leader.locator('[data-test=f-start] input').fill('14:30');
    await leader.locator('[data-test=f-end] input').fill('16:30');
    const cap = leader.locator('[data-test=f-capacity] input');
    await cap.fill('30');
    await cap.press('Tab');
    await shot(leader, 'desktop-new-series');
    await leader.locator('[data-test=publish-activity]').click();
    await leader.waitForURL((u) => /^\/activities\/\d+$/.test(u.pathname) && Number(u.pathname.split('/').pop()) !== activityId);
    const first = (await api(server.url, `/api/v1/activities/${pathOf(leader).split('/').pop()}`, { cookie: leaderApi })).json;
    assert.ok(first.series_id, 'part of a series');
    const series = (await api(server.url, `/api/v1/activity-series/${first.series_id}`, { cookie: leaderApi })).json;
    assert.deepEqual(series.series.weekdays, [1, 4]);
    assert.equal(series.items.length, 6);
    assert.equal(first.starts_at, `${monday}T14:30:00+08:00`);

    // The second rehearsal on moves to 15:00-17:00.
    const second = series.items[1];
    await leader.goto(server.url + `/activities/${second.id}/edit`);
    await leader.locator('[data-test=f-scope]').waitFor();
    await leader.locator('[data-test=f-start] input').fill('15:00');
    await leader.locator('[data-test=f-end] input').fill('17:00');
    await leader.locator('[data-test=f-scope] [role=radio]', { hasText: zh.form.scopeFollowing }).click();
    await shot(leader, 'desktop-edit-series');
    await leader.locator('[data-test=save-activity]').click();
    await leader.waitForURL((u) => u.pathname === `/activities/${second.id}`);
    const after_ = (await api(server.url, `/api/v1/activity-series/${first.series_id}`, { cookie: leaderApi })).json.items;
    assert.deepEqual(
      after_.map((x) => beijing(new Date(x.starts_at)).time),
      ['14:30', '15:00', '15:00', '15:00', '15:00', '15:00'],
    );
  });

  test('the leader checks people in by hand (with a reason), at the kiosk, rejects a record, cancels an activity', async () => {
    await leader.setViewportSize(PHONE);
    const base = end.getTime() + 20 * 60_000; // the main activity is over; this one starts soon
    const mk = async (title, from, to) => {
      const r = await api(server.url, '/api/v1/activities', {
        method: 'POST',
        cookie: leaderApi,
        body: { team_id: team, title, capacity: 5, status: 'published', starts_at: iso(new Date(from)), ends_at: iso(new Date(to)) },
      });
      assert.equal(r.status, 201, r.text);
      return r.json.id;
    };
    const b = await mk('楼院清扫', base, base + 3600_000);
    for (const p of [liPerson, wangPerson]) {
      const r = await api(server.url, `/api/v1/activities/${b}/signups`, { method: 'POST', cookie: leaderApi, body: { person_id: p } });
      assert.equal(r.json.status, 'confirmed', r.text);
    }

    // By hand: the reason is required.
    await leader.goto(server.url + `/activities/${b}/attendance`);
    await leader.locator(`[data-test=mark-${wangPerson}]`).click();
    await leader.locator('.van-dialog__confirm').click();
    await leader.getByText(zh.attendance.reasonRequired).waitFor();
    await leader.locator('[data-test=mark-reason] textarea').fill('手机没电，无法扫码');
    await leader.locator('.van-dialog__confirm').click();
    await leader.locator('[data-test=count-in]', { hasText: '1' }).waitFor();

    // The kiosk: a tap and a yes.
    await leader.goto(server.url + `/activities/${b}/kiosk`);
    await leader.locator(`[data-test=kiosk-${liPerson}]`).click();
    await leader.locator('.van-dialog__confirm').click();
    await leader.locator('[data-test=count-in]', { hasText: '2' }).waitFor();
    assert.ok(await noSideScroll(leader));
    await shot(leader, 'phone-kiosk');
    const att = (await api(server.url, `/api/v1/activities/${b}/attendance`, { cookie: leaderApi })).json.items;
    assert.deepEqual(att.map((x) => [x.person_id, x.state]).sort(), [[liPerson, 'in'], [wangPerson, 'in']].sort());

    // After the end the leader checks 李秀兰 out by hand; the record she gets is rejected.
    await setClock(server, admin, iso(new Date(base + 3600_000 + 5 * 60_000)));
    await leader.goto(server.url + `/activities/${b}/attendance`);
    await leader.locator(`[data-test=mark-${liPerson}]`).click();
    await leader.locator('[data-test=mark-reason] textarea').fill('忘记扫码签退');
    await leader.locator('.van-dialog__confirm').click();
    await leader.locator('[data-test=count-out]', { hasText: '1' }).waitFor();
    await leader.goto(server.url + `/activities/${b}/records`);
    await leader.locator('[data-test^=reject-]').click();
    await leader.locator('.van-dialog__confirm').click();
    await leader.getByText(zh.common.reasonRequired).waitFor();
    await leader.locator('[data-test=reason-input] textarea').fill('当天未实际参加清扫');
    await leader.locator('.van-dialog__confirm').click();
    await leader.locator('[data-test=records-list] [data-test=record-status]', { hasText: zh.record.status.rejected }).waitFor();
    const rec = (await api(server.url, `/api/v1/records?activity_id=${b}`, { cookie: leaderApi })).json.items;
    assert.deepEqual(rec.map((r) => [r.person_id, r.status, r.reason]), [[liPerson, 'rejected', '当天未实际参加清扫']]);

    // Cancelling needs a reason too, and then says so on the page.
    const c = await mk('端午包粽子', base + 2 * 86400_000, base + 2 * 86400_000 + 7200_000);
    await leader.goto(server.url + `/activities/${c}`);
    await leader.locator('[data-test=cancel-activity]').click();
    await leader.locator('.van-dialog__confirm').click();
    await leader.getByText(zh.leader.reasonRequired).waitFor();
    await leader.locator('[data-test=cancel-reason] textarea').fill('场地临时维修，改期另行通知');
    await leader.locator('.van-dialog__confirm').click();
    await leader.locator('[data-test=activity-status]', { hasText: zh.activity.status.cancelled }).waitFor();
    await leader.getByText('场地临时维修，改期另行通知').first().waitFor();
    await shot(leader, 'phone-cancelled');
  });

  test('no script errors in the pages', () => {
    // 401s while signed out and the refusals the story provokes are expected, not script errors.
    const real = consoleErrors.filter((e) => !/status of 4\d\d|401|Unauthorized/i.test(e));
    assert.deepEqual(real, []);
  });
});
