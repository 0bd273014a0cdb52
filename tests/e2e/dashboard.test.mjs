// Browser test of the reports dashboard, star level and certificates (issues "The web UI"
// and "Reports, star levels, certificates and exports"), against a real server with a few
// hundred confirmed records made through the API (tests/lib/dashboard_fixtures.mjs):
//   - the city admin opens 报表 for 郑州市 and sees the API's person-times, charts drawn,
//     drills down to a district, a community and one of its teams and back up, filters by
//     Party members and period, and exports CSV and Excel;
//   - a volunteer sees their star level and asks their community for a certificate (the
//     server's refusal of a bad period stands next to the field);
//   - 陈思, community staff, issues it (the missing person in charge is refused at the field),
//     downloads the PDF and revokes it with a reason.
// Pictures at 360x740 and 1440x900, in English and in the age-friendly mode too, go to
// tests/e2e/screenshots/.
//
//   REXIN_BIN=build/rexin REXIN_WEB_DIR=web/dist node --test tests/e2e/dashboard.test.mjs
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs/promises';
import path from 'node:path';
import { chromium } from 'playwright-core';
import zh from '../../web/src/i18n/zh-CN.js';
import en from '../../web/src/i18n/en.js';
import { ADMIN_PASSWORD, ADMIN_USER, REPO_ROOT, api, login, startServer } from '../lib/server.mjs';
import { seedDashboard } from '../lib/dashboard_fixtures.mjs';

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

const pad = (n) => String(n).padStart(2, '0');
const localDate = (d) => `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}`;
const NOW = new Date();
const YEAR = NOW.getFullYear();
const THIS_YEAR = { from: `${YEAR}-01-01`, to: localDate(NOW) };
const LAST_YEAR = { from: `${YEAR - 1}-01-01`, to: `${YEAR - 1}-12-31` };
const zhNumber = (n) => new Intl.NumberFormat('zh-CN', { maximumFractionDigits: 2 }).format(n);

describe('web UI: reports dashboard, star level, certificates', { timeout: 90_000 }, () => {
  let server;
  let browser;
  let seed;
  let admin; // API cookie
  const ids = {};
  const consoleErrors = [];

  const watch = (page) => {
    page.on('console', (m) => {
      if (m.type() === 'error') consoleErrors.push(m.text());
    });
    page.on('pageerror', (e) => consoleErrors.push(String(e)));
  };
  async function open(viewport, user, password) {
    const context = await browser.newContext({ viewport, deviceScaleFactor: 2, locale: 'zh-CN', acceptDownloads: true });
    context.setDefaultTimeout(10_000);
    const r = await context.request.post(`${server.url}/api/v1/session`, {
      data: { login: user, password },
      headers: { Origin: server.url },
    });
    assert.equal(r.status(), 200, `sign in as ${user}`);
    const page = await context.newPage();
    watch(page);
    return { context, page };
  }
  const shot = (page, name, fullPage = page.viewportSize().width > 600) =>
    page.screenshot({ path: path.join(SHOTS, `${name}.png`), fullPage });
  // No sideways scrolling, and nothing sticking out of the screen's right edge unless it sits
  // in a box of its own that scrolls or clips (a breadcrumb, a row of tabs).
  const noSideScroll = async (page) => {
    const out = await page.evaluate(() => {
      const W = window.innerWidth;
      if (document.documentElement.scrollWidth > W) return [`scrollWidth ${document.documentElement.scrollWidth}`];
      const clipped = (e) => {
        for (let a = e.parentElement; a && a !== document.body; a = a.parentElement) {
          if (getComputedStyle(a).overflowX !== 'visible') return true;
        }
        return false;
      };
      return [...document.querySelectorAll('.layout__content *')]
        .filter((e) => {
          const r = e.getBoundingClientRect();
          return r.width > 0 && r.right > W + 1 && !clipped(e);
        })
        .map((e) => `${e.tagName.toLowerCase()}.${[...e.classList].join('.')}`);
    });
    if (out.length) console.log('sticking out:', out.slice(0, 5));
    return out.length === 0;
  };

  async function summary(params) {
    const q = new URLSearchParams(Object.entries(params).filter(([, v]) => v !== undefined)).toString();
    const r = await api(server.url, `/api/v1/reports/summary?${q}`, { cookie: admin });
    assert.equal(r.status, 200, r.text);
    return r.json.total;
  }
  /** Waits until the figure shows `value` (data-value and the counted-up text). */
  async function figureIs(page, key, value) {
    const el = page.locator(`[data-test=fig-${key}]`);
    await page.waitForFunction(
      ([sel, v, txt]) => {
        const e = document.querySelector(sel);
        return e && e.dataset.value === String(v) && e.querySelector('.count')?.textContent === txt;
      },
      [`[data-test=fig-${key}]`, value === null ? '' : value, value === null ? '—' : zhNumber(value)],
    );
    return el;
  }
  /** How many pixels of a chart's canvas are painted. */
  async function painted(page, chart) {
    await page.locator(`[data-chart=${chart}] canvas`).first().waitFor();
    await page.waitForFunction((sel) => {
      const c = document.querySelector(sel);
      if (!c || !c.width || !c.height) return false;
      const d = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;
      let n = 0;
      for (let i = 3; i < d.length; i += 16) if (d[i]) n++;
      return n > 200;
    }, `[data-chart=${chart}] canvas`);
  }
  const crumbs = (page) => page.locator('[data-test=breadcrumb]').innerText();
  const row = (page, name) => page.locator(`[data-test=drill] [data-name="${name}"]:visible`).first();

  before(async () => {
    await fs.mkdir(SHOTS, { recursive: true });
    const web = process.env.REXIN_WEB_DIR ? ['--web', path.resolve(process.env.REXIN_WEB_DIR)] : [];
    server = await startServer({
      args: ['--session-idle', '1000000000', '--session-max', '1000000000', '--daily-cap-minutes', '1440', ...web],
    });
    const shell = await api(server.url, '/');
    assert.match(shell.text, /<div id="app">/, 'no web UI: run `npm run build:web` and rebuild rexin, or set REXIN_WEB_DIR=web/dist');
    seed = await seedDashboard(server, { today: localDate(NOW) });
    admin = await login(server.url);
    ids.city = seed.city;
    ids.dai = seed.communities['代书胡同社区'];
    const d = await api(server.url, `/api/v1/org-units?q=${encodeURIComponent('管城回族区')}`, { cookie: admin });
    ids.district = d.json.items[0].id;
    browser = await chromium.launch({
      executablePath: process.env.CHROMIUM_PATH || '/usr/bin/chromium',
      args: CHROMIUM_ARGS,
      headless: true,
    });
  });

  after(async () => {
    await browser?.close();
    await server?.stop();
  });

  test('city admin, phone: the dashboard of 郑州市 shows the API figures and draws its charts', async () => {
    const { page, context } = await open(PHONE, ADMIN_USER, ADMIN_PASSWORD);
    try {
      await page.goto(`${server.url}/reports`);
      const city = await summary({ org_unit: ids.city, ...THIS_YEAR });
      assert.ok(city.person_times > 50, `seeded person-times this year: ${city.person_times}`);
      await figureIs(page, 'person_times', city.person_times);
      await figureIs(page, 'hours', city.hours);
      await figureIs(page, 'volunteers', city.volunteers);
      await figureIs(page, 'sessions', city.sessions);
      assert.equal((await crumbs(page)).trim(), '郑州市');
      assert.ok(await noSideScroll(page), 'no horizontal scrolling at 360px');
      await shot(page, 'phone-dashboard-city');
      for (const chart of ['trend', 'party', 'categories', 'growth']) await painted(page, chart);
      await page.locator('[data-chart=trend]').scrollIntoViewIfNeeded();
      await shot(page, 'phone-dashboard-charts');
      await page.locator('[data-test=drill]').scrollIntoViewIfNeeded();
      await shot(page, 'phone-dashboard-drill');

      // drill down: district, community (its rows are teams), a team; the crumbs lead back
      await row(page, '管城回族区').click();
      await page.waitForFunction(() => document.querySelector('[data-test=breadcrumb]')?.innerText.includes('管城回族区'));
      await figureIs(page, 'person_times', (await summary({ org_unit: ids.district, ...THIS_YEAR })).person_times);
      await row(page, '代书胡同社区').click();
      await page.waitForFunction(() => document.querySelector('[data-test=breadcrumb]')?.innerText.includes('代书胡同社区'));
      const dai = await summary({ org_unit: ids.dai, ...THIS_YEAR });
      await figureIs(page, 'person_times', dai.person_times);
      await figureIs(page, 'people_served', dai.people_served);
      assert.match(await crumbs(page), /郑州市[\s\S]*管城回族区[\s\S]*代书胡同社区/);
      await page.getByRole('heading', { name: zh.reports.table.titleTeams }).waitFor();
      await row(page, '书梦艺术团').waitFor();
      for (const chart of ['trend', 'party', 'categories', 'growth']) await painted(page, chart);
      assert.ok(await noSideScroll(page));
      await shot(page, 'phone-dashboard-community');

      const team = (await api(server.url, `/api/v1/teams?org_unit_id=${ids.dai}&q=${encodeURIComponent('书梦艺术团')}`, { cookie: admin })).json.items[0];
      await row(page, '书梦艺术团').click();
      await page.waitForURL((u) => u.searchParams.get('team') === String(team.id));
      const tm = await summary({ org_unit: ids.dai, team: team.id, ...THIS_YEAR });
      await figureIs(page, 'person_times', tm.person_times);
      await figureIs(page, 'sessions', tm.sessions);
      await painted(page, 'growth'); // the team's own size (/teams/{id}/size)

      await page.locator('[data-test=breadcrumb] [data-crumb]', { hasText: '郑州市' }).click();
      await figureIs(page, 'person_times', city.person_times);
      await page.goBack();
      await figureIs(page, 'person_times', tm.person_times);
      await page.goto(`${server.url}/reports`);
      await figureIs(page, 'person_times', city.person_times);

      // filters: Party members only (sessions are not theirs to count), a category, last year
      await page.locator('[data-test=party-only]').click();
      const party = await summary({ org_unit: ids.city, ...THIS_YEAR, party_member: 'true' });
      await figureIs(page, 'person_times', party.person_times);
      await figureIs(page, 'sessions', null);
      assert.ok(party.person_times < city.person_times);
      await page.locator('[data-test=party-only]').click();
      await figureIs(page, 'person_times', city.person_times);

      const cats = (await api(server.url, '/api/v1/service-categories?limit=200', { cookie: admin })).json.items;
      const env = cats.find((c) => c.code === 'environment');
      await page.locator('[data-test=category]').selectOption(String(env.id));
      await figureIs(page, 'person_times', (await summary({ org_unit: ids.city, ...THIS_YEAR, category: env.id })).person_times);
      await page.locator('[data-test=category]').selectOption('');

      await page.locator('[data-period=last_year]').click();
      await figureIs(page, 'person_times', (await summary({ org_unit: ids.city, ...LAST_YEAR })).person_times);
      await page.locator('[data-period=custom]').click();
      await page.locator('input[name=from]').fill(`${YEAR - 2}-03-01`);
      await page.locator('input[name=to]').fill(`${YEAR - 1}-02-28`);
      await page.locator('[data-test=apply-period]').click();
      await figureIs(page, 'person_times', (await summary({ org_unit: ids.city, from: `${YEAR - 2}-03-01`, to: `${YEAR - 1}-02-28` })).person_times);
      await page.locator('[data-period=this_year]').click();
      await figureIs(page, 'person_times', city.person_times);

      // exports: the same report, as a file
      const csvDownload = page.waitForEvent('download');
      await page.locator('[data-test=export-csv]').click();
      const csv = await fs.readFile(await (await csvDownload).path());
      assert.deepEqual([...csv.subarray(0, 3)], [0xef, 0xbb, 0xbf], 'CSV starts with the UTF-8 BOM');
      const text = csv.subarray(3).toString('utf8');
      for (const want of ['管城回族区', '金水区', '合计']) assert.ok(text.includes(want), `CSV has ${want}:\n${text}`);
      assert.match((await csvDownload).suggestedFilename(), /郑州市.*\.csv$/);
      const xlsxDownload = page.waitForEvent('download');
      await page.locator('[data-test=export-xlsx]').click();
      const xlsx = await fs.readFile(await (await xlsxDownload).path());
      assert.equal(xlsx.subarray(0, 2).toString('latin1'), 'PK', 'xlsx is a zip');

      // the age-friendly mode keeps the phone layout within the screen
      await page.evaluate(() => localStorage.setItem('rexin.elder', '1'));
      await page.reload();
      await figureIs(page, 'person_times', city.person_times);
      assert.ok(await noSideScroll(page), 'no horizontal scrolling in the age-friendly mode');
      await shot(page, 'phone-dashboard-elder');
    } finally {
      await context.close();
    }
  });

  test('city admin, desktop: dashboard, drill-down table, rankings; English', async () => {
    const { page, context } = await open(DESKTOP, ADMIN_USER, ADMIN_PASSWORD);
    try {
      await page.goto(`${server.url}/reports`);
      const city = await summary({ org_unit: ids.city, ...THIS_YEAR });
      await figureIs(page, 'person_times', city.person_times);
      for (const chart of ['trend', 'party', 'categories', 'growth']) await painted(page, chart);
      const rank = await api(server.url, `/api/v1/reports/rankings?org_unit=${ids.city}&from=${THIS_YEAR.from}&to=${THIS_YEAR.to}&by=hours&limit=10`, { cookie: admin });
      const first = page.locator('[data-rank=volunteers] .rank__item').first();
      await first.locator('.rank__name', { hasText: rank.json.items[0].name }).waitFor();
      assert.ok((await first.innerText()).includes(rank.json.items[0].volunteer_no));
      await page.locator('[data-rank=reached] .rank__item').first().waitFor(); // model volunteers passed 100 h
      await page.waitForTimeout(300); // let the count-up and charts settle for the picture
      await shot(page, 'desktop-dashboard-city');

      await row(page, '管城回族区').click();
      await row(page, '代书胡同社区').click();
      const dai = await summary({ org_unit: ids.dai, ...THIS_YEAR });
      await figureIs(page, 'person_times', dai.person_times);
      await page.locator(`[data-test=drill] tbody [data-name="书梦艺术团"]`).waitFor();
      for (const chart of ['trend', 'party', 'categories', 'growth']) await painted(page, chart);
      await page.waitForTimeout(300);
      await shot(page, 'desktop-dashboard-community');

      await page.evaluate(() => localStorage.setItem('rexin.lang', 'en'));
      await page.reload();
      await page.getByRole('heading', { name: en.reports.title }).waitFor();
      await page.getByRole('heading', { name: en.reports.table.titleTeams }).waitFor();
      await figureIs(page, 'person_times', dai.person_times); // English groups digits the same way
      await page.waitForTimeout(300);
      await shot(page, 'desktop-dashboard-en');
    } finally {
      await context.close();
    }
  });

  test('volunteer: star level, and a certificate asked from the community', async () => {
    const { page, context } = await open(PHONE, seed.volunteer.username, seed.volunteer.password);
    try {
      const me = (await api(server.url, '/api/v1/me', { cookie: await login(server.url, seed.volunteer.username, seed.volunteer.password) })).json;
      const star = (await api(server.url, `/api/v1/people/${me.person_id}/star`, { cookie: admin })).json;
      assert.ok(star.level >= 1, `the model volunteer has a star (${star.hours} h)`);
      await page.goto(`${server.url}/my-star`);
      await page.locator(`[data-test=star-card][data-level="${star.level}"]`).waitFor();
      assert.equal(await page.locator('[data-test=star-hours]').getAttribute('data-value'), String(star.hours));
      assert.equal(await page.locator('[data-test=hours-to-next]').getAttribute('data-value'), String(star.hours_to_next));
      assert.equal(await page.locator('[role=progressbar]').getAttribute('aria-valuenow'), String(Math.round((100 * (star.hours - star.thresholds_hours[star.level - 1])) / (star.next_level_hours - star.thresholds_hours[star.level - 1]))));
      assert.ok(await noSideScroll(page));
      await shot(page, 'phone-star');

      await page.locator('[data-test=star-certificates]').click();
      await page.waitForURL((u) => u.pathname === '/certificates/new');
      await page.locator(`[data-issuer="o${ids.dai}"]`).click();
      // a period that ends before it starts: the server says so, next to the start date
      await page.locator('input[name=from]').fill(`${YEAR}-06-01`);
      await page.locator('input[name=to]').fill(`${YEAR}-01-31`);
      await page.locator('[data-test=cert-submit]').click();
      await page.locator('.req__field', { has: page.locator('input[name=from]') }).getByText('开始日期晚于结束日期').waitFor();
      assert.ok(await noSideScroll(page));
      await shot(page, 'phone-certificate-request-error');
      await page.locator('input[name=from]').fill(THIS_YEAR.from);
      await page.locator('input[name=to]').fill(THIS_YEAR.to);
      await page.locator('[data-test=itemised]').click();
      await page.locator('input[name=note]').fill('评优');
      await page.locator('[data-test=cert-submit]').click();
      await page.waitForURL((u) => /^\/certificates\/\d+$/.test(u.pathname));
      ids.cert = new URL(page.url()).pathname.split('/').pop();
      await page.locator('[data-test=cert-paper][data-status=requested]').waitFor();
      await shot(page, 'phone-certificate-requested');
      await page.goto(`${server.url}/certificates`);
      await page.locator(`[data-cert="${ids.cert}"][data-status=requested]`).waitFor();
      assert.ok(await noSideScroll(page));
      await shot(page, 'phone-certificates');
    } finally {
      await context.close();
    }
  });

  test('community staff: issue (refused without a person in charge), PDF, revoke with a reason', async () => {
    const { page, context } = await open(DESKTOP, seed.chensi.username, seed.chensi.password);
    try {
      await page.goto(`${server.url}/certificates?status=requested`);
      await page.locator(`[data-cert="${ids.cert}"]`).click();
      await page.waitForURL((u) => u.pathname === `/certificates/${ids.cert}`);
      await page.locator('[data-test=issue-form]').waitFor();
      await page.locator('[data-test=issue-submit]').click();
      await page.locator('.van-field', { has: page.locator('input[name=person_in_charge]') }).locator('.van-field__error-message', { hasText: '必填' }).waitFor();
      await page.locator('input[name=person_in_charge]').fill('陈思');
      await page.locator('input[name=handler]').fill('李培会');
      await page.locator('[data-test=issue-submit]').click();
      await page.locator('[data-test=cert-paper][data-status=issued]').waitFor();
      const cert = (await api(server.url, `/api/v1/certificates/${ids.cert}`, { cookie: await login(server.url, seed.chensi.username, seed.chensi.password) })).json;
      assert.equal(cert.status, 'issued');
      assert.match(cert.number, new RegExp(`^ZZ-O${ids.dai}-${YEAR}-\\d{6}$`));
      assert.ok((await page.locator('[data-test=cert-number]').innerText()).includes(cert.number));
      assert.ok((await page.locator('[data-test=cert-paper]').innerText()).includes('负责人：陈思'));
      await page.waitForTimeout(200);
      await shot(page, 'desktop-certificate-issued');

      const pdfDownload = page.waitForEvent('download');
      await page.locator('[data-test=cert-pdf]').click();
      const pdf = await fs.readFile(await (await pdfDownload).path());
      assert.equal(pdf.subarray(0, 5).toString('latin1'), '%PDF-');
      assert.match((await pdfDownload).suggestedFilename(), /\.pdf$/);
      assert.equal(await page.locator('[data-test=cert-verify]').getAttribute('href'), cert.verify_url);

      await page.locator('[data-test=revoke-open]').click();
      await page.locator('[data-test=revoke-submit]').click();
      await page.locator('[data-test=revoke-form]').getByText(zh.certificates.revoke.required).waitFor();
      await page.locator('textarea[name=reason]').fill('时长有误，重新出具');
      await page.locator('[data-test=revoke-submit]').click();
      await page.locator('[data-test=cert-paper][data-status=revoked]').waitFor();
      await page.locator('[data-test=revoke-reason]', { hasText: '时长有误，重新出具' }).waitFor();
      await shot(page, 'desktop-certificate-revoked');
    } finally {
      await context.close();
    }
  });

  test('no script errors in the pages', () => {
    const real = consoleErrors.filter((e) => !/status of 4\d\d/i.test(e));
    assert.deepEqual(real, []);
  });
});
