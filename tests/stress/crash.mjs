// crash.mjs: kill -9 under write load, many times; nothing acknowledged may be lost or doubled.
//
//   CRASH_ROUNDS=3 node --test tests/stress/crash.mjs      (make test)
//   CRASH_ROUNDS=50 node --test tests/stress/crash.mjs     (make stress)
//
// One data directory for the whole run. Each round starts the real server (REXIN_BIN) on it,
// runs a write load from several concurrent clients, and SIGKILLs the server at a random
// moment (CRASH_MIN_MS..CRASH_MAX_MS after the load starts). Every write the server answered
// with success is recorded as acknowledged. Then the server is started again on the same
// directory and the test checks:
//   - every acknowledged write of every round so far is there, exactly as acknowledged;
//   - nothing is there twice (and writes cut off by the kill, retried with the same
//     Idempotency-Key after the restart as a phone would, act once);
//   - the invariants hold (sign-ups: never more confirmed than capacity, and nobody waits
//     while a place is free; confirmed records: the rollups equal their sums, per person and
//     per team, so no hours are lost or doubled);
//   - `PRAGMA integrity_check` says ok.
//
// Write kinds live in KINDS below (log-in, sign-up, record entry, record confirmation). To
// add one (check-in, correction, ...), append an object with:
//   name      label in the report
//   weight    relative frequency in the load
//   setup(ctx)          once, after the first start: create what the kind needs (may be absent)
//   write(ctx, send)    one write; `send(path, opts)` is api() against the current server.
//                       Return {ack: <record>} when the server acknowledged it, or null when
//                       there was nothing to do; throw on any other answer (a failure while
//                       the server lives fails the test). A request cut off by the kill
//                       throws from send: set the error's `record` (and rethrow) to have it
//                       retried by afterRestart, its outcome being unknown.
//   afterRestart(ctx, cut)  optional: retry the cut-off writes (same Idempotency-Key);
//                       return the records now acknowledged.
//   verify(ctx, acked)  after each restart, with every record acknowledged so far; returns a
//                       list of problems (strings), empty when all is well.
// ctx has srv (current server), admin/staff cookies, org, the fixtures' helpers (F), a
// per-kind state object (ctx.state[name]) and the number of writes tried (ctx.attempts[name]).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import crypto from 'node:crypto';
import fs from 'node:fs/promises';
import * as F from '../lib/activity_fixtures.mjs';
import { startServer } from '../lib/server.mjs';

const ROUNDS = Number(process.env.CRASH_ROUNDS || 3);
const MIN_MS = Number(process.env.CRASH_MIN_MS || 150);
const MAX_MS = Number(process.env.CRASH_MAX_MS || 1200);
const CLIENTS = Number(process.env.CRASH_CLIENTS || 8);
const LOGIN_USER = 'crash_login';

const sql = (ctx, q) => F.rows(ctx.srv, q);
const shuffle = (a) => {
  for (let i = a.length - 1; i > 0; i--) {
    const j = crypto.randomInt(i + 1);
    [a[i], a[j]] = [a[j], a[i]];
  }
  return a;
};

const KINDS = [
  {
    // A log-in writes a session row, a login_attempts row and an audit row in one step.
    name: 'login',
    weight: 1,
    async write(ctx, send) {
      const r = await send('/api/v1/session', { method: 'POST', body: { login: LOGIN_USER, password: F.TEST_PASSWORD } });
      if (r.status !== 200) throw new Error(`login answered ${r.status}: ${r.text}`);
      return { ack: { cookie: r.cookie } };
    },
    async verify(ctx, acked) {
      const problems = [];
      for (const a of acked) {
        const me = await F.api(ctx.srv.url, '/api/v1/me', { cookie: a.cookie });
        if (me.status !== 200 || me.json.username !== LOGIN_USER)
          problems.push(`acknowledged session lost: GET /me answered ${me.status}`);
      }
      const [{ n }] = await sql(
        ctx,
        `SELECT count(*) AS n FROM sessions s JOIN users u ON u.id = s.user_id WHERE u.username = '${LOGIN_USER}'`,
      );
      const tried = ctx.attempts.login;
      if (n < acked.length || n > tried) problems.push(`${n} sessions for ${acked.length} acknowledged, ${tried} tried`);
      return problems;
    },
  },
  {
    // A sign-up checks capacity and writes the sign-up, the activity's counters and an audit
    // row in one step; each (activity, person) pair is tried once, with an Idempotency-Key.
    name: 'signup',
    weight: 4,
    async setup(ctx) {
      const st = ctx.state.signup;
      const people = await F.makeVolunteers(ctx.srv, { org: ctx.org, n: 150, prefix: 'crash' });
      const category = await F.categoryId(ctx.srv, 'cleaning');
      const team = await F.makeTeam(ctx.srv, ctx.admin, { org: ctx.org, name: '抗崩溃服务队', category });
      st.activities = [];
      const day = 86400_000;
      const base = Date.now() + 60 * day;
      for (let i = 0; i < 12; i++) {
        const start = new Date(base + i * day); // one a day: no overlaps between them
        const end = new Date(start.getTime() + 2 * 3600_000);
        const a = await F.makeActivity(ctx.srv, ctx.staff, {
          team_id: team,
          title: `崩溃测试 ${i}`,
          capacity: 8 + i,
          starts_at: start.toISOString().replace(/\.\d+Z$/, 'Z'),
          ends_at: end.toISOString().replace(/\.\d+Z$/, 'Z'),
        });
        st.activities.push({ id: a.id, capacity: a.capacity });
      }
      st.pairs = shuffle(st.activities.flatMap((a) => people.map((p) => [a.id, p])));
      st.tried = new Set();
    },
    async write(ctx, send) {
      const st = ctx.state.signup;
      const pair = st.pairs.pop();
      if (!pair) return null;
      const [activity, person] = pair;
      st.tried.add(`${activity}/${person}`);
      const key = crypto.randomUUID();
      const rec = { activity, person, key };
      let r;
      try {
        r = await send(`/api/v1/activities/${activity}/signups`, {
          method: 'POST',
          cookie: ctx.staff,
          body: { person_id: person },
          headers: { 'Idempotency-Key': key },
        });
      } catch (e) {
        e.record = rec;
        throw e;
      }
      if (r.status !== 201) throw new Error(`sign-up answered ${r.status}: ${r.text}`);
      return { ack: { ...rec, id: r.json.id, status: r.json.status } };
    },
    async afterRestart(ctx, cut) {
      const now = [];
      for (const rec of cut) {
        const r = await F.api(ctx.srv.url, `/api/v1/activities/${rec.activity}/signups`, {
          method: 'POST',
          cookie: ctx.staff,
          body: { person_id: rec.person },
          headers: { 'Idempotency-Key': rec.key },
        });
        // a replay of the first answer or the first answer now: both 201, never a second row
        if (r.status !== 201) throw new Error(`retried sign-up answered ${r.status}: ${r.text}`);
        now.push({ ...rec, id: r.json.id, status: r.json.status });
      }
      return now;
    },
    async verify(ctx, acked) {
      const st = ctx.state.signup;
      const problems = [];
      const ids = st.activities.map((a) => a.id).join(',');
      const rows = await sql(ctx, `SELECT id, activity_id, person_id, status FROM signups WHERE activity_id IN (${ids})`);
      const byPair = new Map();
      for (const row of rows) {
        const k = `${row.activity_id}/${row.person_id}`;
        if (byPair.has(k)) problems.push(`sign-up ${k} is there twice`);
        byPair.set(k, row);
        if (!st.tried.has(k)) problems.push(`sign-up ${k} was never asked for`);
      }
      for (const a of acked) {
        const row = byPair.get(`${a.activity}/${a.person}`);
        if (!row) problems.push(`acknowledged sign-up ${a.id} (${a.activity}/${a.person}) lost`);
        else if (row.id !== a.id || row.status !== a.status)
          problems.push(`sign-up ${a.id} acknowledged as ${a.status}, found ${row.id} ${row.status}`);
      }
      for (const act of st.activities) {
        const mine = rows.filter((r) => r.activity_id === act.id);
        const confirmed = mine.filter((r) => r.status === 'confirmed').length;
        const waiting = mine.filter((r) => r.status === 'waitlisted').length;
        if (confirmed > act.capacity) problems.push(`activity ${act.id}: ${confirmed} confirmed > capacity ${act.capacity}`);
        if (waiting > 0 && confirmed < act.capacity)
          problems.push(`activity ${act.id}: ${waiting} waiting while ${act.capacity - confirmed} places are free`);
        const api = await F.api(ctx.srv.url, `/api/v1/activities/${act.id}`, { cookie: ctx.staff });
        if (api.json?.places_taken !== confirmed)
          problems.push(`activity ${act.id}: places_taken ${api.json?.places_taken}, ${confirmed} confirmed rows`);
      }
      return problems;
    },
  },
  {
    // A team entry creates a pending service record (and its first version, and an audit
    // row); each (person, day) is entered once, with an Idempotency-Key.
    name: 'record',
    weight: 2,
    async setup(ctx) {
      const st = ctx.state.record;
      const people = await F.makeVolunteers(ctx.srv, { org: ctx.org, n: 30, prefix: 'crashrec' });
      const category = await F.categoryId(ctx.srv, 'cleaning');
      st.team = await F.makeTeam(ctx.srv, ctx.admin, {
        org: ctx.org,
        name: '记录服务队',
        category,
        members: people.map((p) => ({ person: p })),
      });
      const days = Array.from({ length: 120 }, (_, i) => new Date(Date.now() - (i + 2) * 86400_000).toISOString().slice(0, 10));
      st.people = people;
      st.pairs = shuffle(people.flatMap((p) => days.map((d) => [p, d])));
      st.tried = new Set();
      st.unconfirmed = []; // acknowledged records the confirm kind may take
    },
    async write(ctx, send) {
      const st = ctx.state.record;
      const pair = st.pairs.pop();
      if (!pair) return null;
      const [person, day] = pair;
      st.tried.add(`${person}/${day}`);
      const rec = { person, day, minutes: 30 + (person % 7) * 10, key: crypto.randomUUID() };
      let r;
      try {
        r = await send('/api/v1/records', {
          method: 'POST',
          cookie: ctx.staff,
          body: { person_id: person, team_id: st.team, service_date: day, minutes: rec.minutes },
          headers: { 'Idempotency-Key': rec.key },
        });
      } catch (e) {
        e.record = rec;
        throw e;
      }
      if (r.status !== 201) throw new Error(`record answered ${r.status}: ${r.text}`);
      const ack = { ...rec, id: r.json.id };
      st.unconfirmed.push(ack);
      return { ack };
    },
    async afterRestart(ctx, cut) {
      const now = [];
      for (const rec of cut) {
        const r = await F.api(ctx.srv.url, '/api/v1/records', {
          method: 'POST',
          cookie: ctx.staff,
          body: { person_id: rec.person, team_id: ctx.state.record.team, service_date: rec.day, minutes: rec.minutes },
          headers: { 'Idempotency-Key': rec.key },
        });
        if (r.status !== 201) throw new Error(`retried record answered ${r.status}: ${r.text}`);
        const ack = { ...rec, id: r.json.id };
        ctx.state.record.unconfirmed.push(ack);
        now.push(ack);
      }
      return now;
    },
    async verify(ctx, acked) {
      const st = ctx.state.record;
      const problems = [];
      const rows = await sql(ctx, `SELECT id, person_id, service_date, minutes, status FROM service_records WHERE team_id = ${st.team}`);
      const byPair = new Map();
      for (const row of rows) {
        const k = `${row.person_id}/${row.service_date}`;
        if (byPair.has(k)) problems.push(`record ${k} is there twice`);
        byPair.set(k, row);
        if (!st.tried.has(k)) problems.push(`record ${k} was never asked for`);
      }
      for (const a of acked) {
        const row = byPair.get(`${a.person}/${a.day}`);
        if (!row) problems.push(`acknowledged record ${a.id} lost`);
        else if (row.id !== a.id || row.minutes !== a.minutes) problems.push(`record ${a.id} differs: ${JSON.stringify(row)}`);
      }
      return problems;
    },
  },
  {
    // Confirming a record locks it and adds it to the rollups (daily, monthly, per person)
    // in the same step; each acknowledged record is confirmed at most once.
    name: 'confirm',
    weight: 2,
    async write(ctx, send) {
      const rec = ctx.state.record.unconfirmed.shift();
      if (!rec) return null;
      const key = crypto.randomUUID();
      let r;
      try {
        r = await send(`/api/v1/records/${rec.id}/confirm`, { method: 'POST', cookie: ctx.staff, headers: { 'Idempotency-Key': key } });
      } catch (e) {
        e.record = { ...rec, key };
        throw e;
      }
      if (r.status !== 200 || r.json.status !== 'confirmed') throw new Error(`confirm answered ${r.status}: ${r.text}`);
      return { ack: rec };
    },
    async afterRestart(ctx, cut) {
      for (const rec of cut) {
        const r = await F.api(ctx.srv.url, `/api/v1/records/${rec.id}/confirm`, {
          method: 'POST',
          cookie: ctx.staff,
          headers: { 'Idempotency-Key': rec.key },
        });
        if (r.status !== 200) throw new Error(`retried confirm answered ${r.status}: ${r.text}`);
      }
      return cut;
    },
    async verify(ctx, acked) {
      const st = ctx.state.record;
      const problems = [];
      const rows = await sql(ctx, `SELECT id, status FROM service_records WHERE team_id = ${st.team}`);
      const status = new Map(rows.map((r) => [r.id, r.status]));
      for (const a of acked) if (status.get(a.id) !== 'confirmed') problems.push(`confirmation of record ${a.id} lost (${status.get(a.id)})`);
      // no lost or doubled hours: the rollups equal the confirmed records, per person and per team
      const ids = st.people.join(',');
      const mism = await sql(
        ctx,
        `SELECT s.person_id, s.n, s.m, p.person_times AS pn, p.minutes AS pm FROM
           (SELECT person_id, count(*) AS n, sum(minutes) AS m FROM service_records
             WHERE person_id IN (${ids}) AND status = 'confirmed' GROUP BY person_id) s
           LEFT JOIN rollup_person p ON p.person_id = s.person_id
         WHERE p.person_id IS NULL OR p.person_times <> s.n OR p.minutes <> s.m`,
      );
      for (const m of mism) problems.push(`rollup_person of ${m.person_id}: ${m.pn} times/${m.pm} min, records say ${m.n}/${m.m}`);
      const [t] = await sql(
        ctx,
        `SELECT (SELECT coalesce(sum(minutes), 0) FROM service_records WHERE team_id = ${st.team} AND status = 'confirmed') AS rec,
                (SELECT coalesce(sum(minutes), 0) FROM rollup_daily WHERE team_id = ${st.team}) AS daily,
                (SELECT coalesce(sum(minutes), 0) FROM rollup_monthly WHERE team_id = ${st.team}) AS monthly`,
      );
      if (t.rec !== t.daily || t.rec !== t.monthly) problems.push(`team minutes: records ${t.rec}, daily ${t.daily}, monthly ${t.monthly}`);
      return problems;
    },
  },
];

async function integrity(ctx) {
  const r = await sql(ctx, 'PRAGMA integrity_check');
  return r.map((x) => x.integrity_check).join('; ');
}

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

test(`kill -9 under write load, ${ROUNDS} rounds: every acknowledged write survives, none doubles`, { timeout: 60_000 + ROUNDS * 30_000 }, async () => {
  const ctx = { state: {}, attempts: {}, F };
  for (const k of KINDS) {
    ctx.state[k.name] = {};
    ctx.attempts[k.name] = 0;
  }
  ctx.attempts.login = 1; // F.makeUser logs the account in once
  ctx.srv = await F.startActivityServer();
  const dataDir = ctx.srv.dataDir;
  const serverArgs = ['--session-idle', '1000000000', '--session-max', '1000000000'];
  const acked = Object.fromEntries(KINDS.map((k) => [k.name, []]));
  const stats = { rounds: 0, acked: 0, cut: 0, retried: 0 };
  try {
    ctx.admin = await F.login(ctx.srv.url);
    ctx.org = await F.orgId(ctx.srv, '荣华社区');
    ctx.staff = await F.makeUser(ctx.srv, 'crash_staff', { grants: [['community_admin', ctx.org]] });
    await F.makeUser(ctx.srv, LOGIN_USER);
    for (const k of KINDS) if (k.setup) await k.setup(ctx);
    const total = KINDS.reduce((s, k) => s + k.weight, 0);
    const pick = () => {
      let x = crypto.randomInt(total);
      for (const k of KINDS) if ((x -= k.weight) < 0) return k;
      return KINDS[0];
    };

    for (let round = 1; round <= ROUNDS; round++) {
      const srv = ctx.srv;
      let dead = false;
      const cut = Object.fromEntries(KINDS.map((k) => [k.name, []]));
      const send = (p, o) => {
        if (dead) throw new Error('server is dead');
        return F.api(srv.url, p, o);
      };
      const client = async () => {
        while (!dead) {
          const k = pick();
          ctx.attempts[k.name]++;
          try {
            const r = await k.write(ctx, send);
            if (r?.ack) acked[k.name].push(r.ack);
            else if (!r) await sleep(5);
          } catch (e) {
            if (!dead) throw e; // a refusal or error while the server was alive is a failure
            stats.cut++;
            if (e.record) cut[k.name].push(e.record);
          }
        }
      };
      const clients = Array.from({ length: CLIENTS }, client);
      const killAfter = MIN_MS + crypto.randomInt(MAX_MS - MIN_MS + 1);
      await Promise.race([sleep(killAfter), Promise.all(clients)]);
      dead = true;
      srv.proc.kill('SIGKILL');
      await srv.exited;
      const results = await Promise.allSettled(clients);
      const failed = results.find((x) => x.status === 'rejected');
      if (failed) throw failed.reason;
      if (/Sanitizer|runtime error:/.test(srv.stderr())) throw new Error('sanitizer report:\n' + srv.stderr());

      ctx.srv = await startServer({ dataDir, env: { REXIN_TEST_CLOCK: '1' }, args: serverArgs });
      for (const k of KINDS) {
        if (k.afterRestart && cut[k.name].length) {
          const now = await k.afterRestart(ctx, cut[k.name]);
          stats.retried += now.length;
          acked[k.name].push(...now);
        }
      }
      const problems = [];
      for (const k of KINDS) for (const p of await k.verify(ctx, acked[k.name])) problems.push(`${k.name}: ${p}`);
      const ic = await integrity(ctx);
      if (ic !== 'ok') problems.push(`integrity_check: ${ic}`);
      assert.deepEqual(problems, [], `round ${round} (killed after ${killAfter} ms)`);
      stats.rounds = round;
      stats.acked = KINDS.reduce((s, k) => s + acked[k.name].length, 0);
    }
    const per = KINDS.map((k) => `${k.name} ${acked[k.name].length}`).join(', ');
    console.log(
      `crash: ${stats.rounds} kill rounds survived; ${stats.acked} acknowledged writes (${per}) all present, ` +
        `none doubled; ${stats.cut} requests cut off by kills, ${stats.retried} of them retried with their Idempotency-Key`,
    );
  } finally {
    await ctx.srv.stop({ keepData: true });
    if (/Sanitizer|runtime error:/.test(ctx.srv.stderr())) throw new Error('sanitizer report:\n' + ctx.srv.stderr());
    if (!process.env.REXIN_KEEP_TEST_DATA) await fs.rm(dataDir, { recursive: true, force: true });
  }
});
