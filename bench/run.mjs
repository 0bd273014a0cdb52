// bench/run.mjs: the scenarios of `make bench` (issue "Benchmarks"), each beside its ceiling
// measured in the same run on the same machine. Prints one table, writes the figures as JSON
// under bench/results/ (not committed) and rewrites the generated part of docs/performance.md.
//
// Environment: REXIN_BIN (default build/bench/rexin), BENCH_SCALE (city), BENCH_SEED (1),
// BENCH_DURATION seconds per measurement (10), BENCH_CACHE (~/.cache/rexin-bench),
// BENCH_DOC=0 to leave docs/performance.md alone, BENCH_ONLY=read,login,writes,reports,import
// to run some scenarios only (the table then shows the others as not run; the doc is left
// alone), BENCH_GENERATE_ONLY=1 to fill the data cache and stop.
//
// Time: the data is generated for a fixed day (BENCH_TODAY, --today of rexin demo) and the
// server runs with the test clock (REXIN_TEST_CLOCK=1) set to 09:10 Beijing time that day,
// so cached data stays valid however old it is: the day's volunteer service days are under
// way (check-ins), the next four weeks are open for sign-up, three years lie behind.
//
// Scenarios are entries of SCENARIOS below: a scenario that needs a feature not on this
// branch yet says so with `pending` and is reported as such. When the feature lands, replace
// `pending` with a `run`.
import { spawn, spawnSync, execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const BIN = process.env.REXIN_BIN || path.join(ROOT, 'build/bench/rexin');
const TOOLS = path.dirname(BIN);
const SCALE = process.env.BENCH_SCALE || 'city';
const SEED = process.env.BENCH_SEED || '1';
const DURATION = Number(process.env.BENCH_DURATION || 10);
const CACHE = process.env.BENCH_CACHE || path.join(os.homedir(), '.cache/rexin-bench');
const TODAY = process.env.BENCH_TODAY || '2026-12-01';
const CLOCK = `${TODAY}T09:10:00+08:00`;
const TOKENS = { community: 30, district: 3000, city: 30000 }; // 30 per community
const ONLY = process.env.BENCH_ONLY ? new Set(process.env.BENCH_ONLY.split(',')) : null;
const want = (k) => !ONLY || ONLY.has(k);
const CONNS = 64;
const THREADS = 2;
const ADMIN_PW = 'admin-bench-pw-1';
const LEAD_PW = 'lead-bench-pw-1';
const LUA = path.join(ROOT, 'bench/wrk/report.lua');

// The read scenario: the list of open activities in a street (20 items), as a street admin
// would open it. (Before activities landed this was GET /api/v1/me, labelled as a stand-in.)
const READ = {
  path: (d) => `/api/v1/activities?org_unit=${d.streetId}&status=published&has_places=true&limit=20`,
  label: 'GET /api/v1/activities?org_unit=STREET&status=published&has_places=true&limit=20',
};

// ------------------------------------------------------------------ helpers

const log = (...a) => console.error('bench:', ...a);
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
const sh = (cmd, args, opts = {}) => execFileSync(cmd, args, { encoding: 'utf8', ...opts }).trim();

function machine() {
  const cpuinfo = fs.readFileSync('/proc/cpuinfo', 'utf8');
  const model = (cpuinfo.match(/^model name\s*:\s*(.*)$/m) || [])[1] || os.cpus()[0]?.model || 'unknown';
  const memKb = Number((fs.readFileSync('/proc/meminfo', 'utf8').match(/^MemTotal:\s*(\d+)/m) || [])[1] || 0);
  let commit = 'unknown', dirty = false;
  try {
    commit = sh('git', ['-C', ROOT, 'rev-parse', '--short', 'HEAD']);
    dirty = sh('git', ['-C', ROOT, 'status', '--porcelain', '--untracked-files=no']) !== '';
  } catch {}
  return {
    cpu: model, cores: os.cpus().length, memory_gib: +(memKb / 1048576).toFixed(1),
    kernel: os.release(), date: new Date().toISOString(), commit: commit + (dirty ? '-dirty' : ''),
    sqlite: sh('sqlite3', ['--version']).split(' ')[0],
    wrk: sh('sh', ['-c', 'wrk --version 2>&1 | head -1']).split(' ')[1] || 'unknown',
    nginx: sh('sh', ['-c', 'nginx -v 2>&1']).replace(/^nginx version: /, ''),
  };
}

function rss(pid) {
  try {
    const s = fs.readFileSync(`/proc/${pid}/status`, 'utf8');
    const kb = (k) => Number((s.match(new RegExp(`^${k}:\\s*(\\d+)`, 'm')) || [])[1] || 0);
    return { rss: kb('VmRSS'), hwm: kb('VmHWM') };
  } catch {
    return { rss: 0, hwm: 0 };
  }
}

// CPU time (user + system) the pids have used, in seconds.
const HZ = Number(sh('getconf', ['CLK_TCK'])) || 100;
function cpuSeconds(pids) {
  let t = 0;
  for (const p of pids) {
    try {
      const f = fs.readFileSync(`/proc/${p}/stat`, 'utf8').split(') ')[1].split(' ');
      t += Number(f[11]) + Number(f[12]); // utime, stime (fields 14 and 15)
    } catch {}
  }
  return t / HZ;
}

// Peak resident memory of pids while fn runs: VmHWM reset first (clear_refs 5), VmRSS polled
// every 50 ms as well (nginx: the sum over master and workers).
async function peakRss(pids, fn) {
  for (const p of pids) try { fs.writeFileSync(`/proc/${p}/clear_refs`, '5'); } catch {}
  let peak = 0;
  const poll = () => { peak = Math.max(peak, pids.reduce((a, p) => a + rss(p).rss, 0)); };
  poll();
  const timer = setInterval(poll, 50);
  const cpu0 = cpuSeconds(pids);
  try {
    const out = await fn();
    clearInterval(timer);
    poll();
    const hwm = pids.reduce((a, p) => a + rss(p).hwm, 0);
    return { out, peak_rss_mib: +(Math.max(peak, hwm) / 1024).toFixed(1), cpu_s: cpuSeconds(pids) - cpu0 };
  } finally {
    clearInterval(timer);
  }
}

function wrk(url, { conns = CONNS, threads = THREADS, seconds = DURATION, method, body, headers = {}, script = LUA, env: extra = {} } = {}) {
  const env = { ...process.env, BENCH_METHOD: method || '', BENCH_BODY: body || '',
    BENCH_HEADERS: Object.entries(headers).map(([k, v]) => `${k}: ${v}`).join('\n'), BENCH_THREADS: String(Math.min(threads, conns)), ...extra };
  const args = [`-t${Math.min(threads, conns)}`, `-c${conns}`, `-d${seconds}s`, '--latency', '--timeout', '10s', '-s', script, url];
  return new Promise((resolve, reject) => {
    const p = spawn('wrk', args, { env });
    let out = '';
    p.stdout.on('data', (d) => (out += d));
    p.stderr.on('data', (d) => (out += d));
    p.on('close', (code) => {
      const m = out.match(/BENCH_JSON (\{.*\})/);
      if (code !== 0 || !m) return reject(new Error(`wrk failed (${code}): ${out}`));
      const j = JSON.parse(m[1]);
      const secs = j.duration_us / 1e6;
      resolve({
        rps: +(j.requests / secs).toFixed(0), requests: j.requests, p50_ms: j.p50_us / 1000, p90_ms: j.p90_us / 1000,
        p99_ms: j.p99_us / 1000, max_ms: j.lat_max_us / 1000, non2xx: j.errors_status,
        errors: j.errors_connect + j.errors_read + j.errors_write + j.errors_timeout,
        bytes_per_response: j.requests ? Math.round(j.bytes / j.requests) : 0, conns, threads, seconds,
      });
    });
  });
}

async function http(base, p, { method = 'GET', body, cookie, headers = {} } = {}) {
  const h = { Origin: base, ...headers };
  if (body !== undefined) h['Content-Type'] = 'application/json';
  if (cookie) h.Cookie = cookie;
  const res = await fetch(base + p, { method, headers: h, body: body === undefined ? undefined : JSON.stringify(body) });
  return { status: res.status, headers: res.headers, text: await res.text() };
}

function freePort() {
  return new Promise((resolve) => {
    import('node:net').then(({ createServer }) => {
      const s = createServer();
      s.listen(0, '127.0.0.1', () => { const { port } = s.address(); s.close(() => resolve(port)); });
    });
  });
}

// ------------------------------------------------------------------ data (cached)

// The generator's own version (DEMO_GEN_VERSION in src/store/demo_gen.c, bumped whenever the
// same seed would give different data).
function genVersion() {
  const src = fs.readFileSync(path.join(ROOT, 'src/store/demo_gen.c'), 'utf8');
  return (src.match(/#define DEMO_GEN_VERSION (\d+)/) || [])[1] || '0';
}

// The generated data of a scale lives in the cache, keyed by seed, the generator's version and
// the day it was generated for; each run works on a copy. The cache remembers the migrations
// it was made with (migrations.txt): when later ones were added it is migrated forward in
// place; when one of its own changed name or number it is made again.
function migrationNames() {
  return fs.readdirSync(path.join(ROOT, 'src/store/migrations')).filter((f) => /^\d{4}_.*\.sql$/.test(f)).sort();
}

function ensureCache() {
  const key = `${SCALE}-seed${SEED}-gen${genVersion()}-today${TODAY}`;
  const cached = path.join(CACHE, key);
  const names = migrationNames();
  const listFile = path.join(cached, 'migrations.txt');
  if (fs.existsSync(path.join(cached, 'rexin.db'))) {
    const had = fs.existsSync(listFile) ? fs.readFileSync(listFile, 'utf8').split('\n').filter(Boolean) : [];
    if (had.length && had.every((n, i) => names[i] === n)) {
      if (had.length < names.length) {
        log(`migrating the cached ${SCALE} data from ${had.length} to ${names.length} migrations`);
        execFileSync(BIN, ['migrate', '--data', cached, '--log-level', 'warn'], { stdio: ['ignore', 2, 'inherit'] });
        fs.writeFileSync(listFile, names.join('\n') + '\n');
      }
      log(`using cached ${SCALE} data ${cached}`);
      return { cached, key, generated: null };
    }
    log(`the cached ${SCALE} data was made with other migrations; making it again`);
    fs.rmSync(cached, { recursive: true, force: true });
  }
  fs.mkdirSync(CACHE, { recursive: true });
  const part = cached + '.partial';
  fs.rmSync(part, { recursive: true, force: true });
  log(`generating ${SCALE} scale (seed ${SEED}, today ${TODAY}) into ${cached}; cached for later runs`);
  const t0 = Date.now();
  execFileSync(BIN, ['demo', '--scale', SCALE, '--seed', SEED, '--today', TODAY, '--tokens', String(TOKENS[SCALE]),
    '--data', part, '--log-level', 'warn'], {
    env: { ...process.env, REXIN_ADMIN_PASSWORD: ADMIN_PW, REXIN_PASSWORD: 'demo-user-pw-1' }, stdio: ['ignore', 2, 'inherit'],
  });
  fs.writeFileSync(path.join(part, 'migrations.txt'), names.join('\n') + '\n');
  fs.renameSync(part, cached);
  return { cached, key, generated: { seconds: (Date.now() - t0) / 1000 } };
}

function dataDir(tmp) {
  const { cached, key, generated } = ensureCache();
  const dir = path.join(tmp, 'data');
  const t0 = Date.now();
  sh('cp', ['-r', '--reflink=auto', cached, dir]);
  sh('sync'); // the copy's dirty pages must not be written back during the measurements
  const dbBytes = fs.statSync(path.join(dir, 'rexin.db')).size;
  log(`copied ${(dbBytes / 2 ** 20).toFixed(0)} MiB of data in ${((Date.now() - t0) / 1000).toFixed(1)} s`);
  const db = path.join(dir, 'rexin.db');
  const streetId = Number(sql(db, "SELECT o.id FROM org_units o WHERE o.kind = 'street' AND o.code IS NOT NULL" +
    " AND EXISTS (SELECT 1 FROM activities a JOIN org_units c ON c.id = a.org_unit_id WHERE c.parent_id = o.id) ORDER BY o.id LIMIT 1"));
  return { dir, db, key, generated, streetId, db_mib: +(dbBytes / 2 ** 20).toFixed(0), copy_s: (Date.now() - t0) / 1000 };
}

const sql = (db, q) => sh('sqlite3', ['-readonly', db, q], { maxBuffer: 1 << 28 });

// Sign-up pairs: every demo token's volunteer with every published activity of their own
// community, shuffled with a fixed seed (no pair twice, no overlapping activities).
function signupPairs(data, file) {
  const byCommunity = new Map();
  const tomorrow = Math.floor(new Date(`${TODAY}T00:00:00+08:00`).getTime() / 1000) + 86400;
  for (const line of sql(data.db, `SELECT org_unit_id, id FROM activities WHERE status = 'published' AND starts_at >= ${tomorrow} ORDER BY id`).split('\n')) {
    const [c, a] = line.split('|');
    if (!byCommunity.has(c)) byCommunity.set(c, []);
    byCommunity.get(c).push(a);
  }
  const pairs = [];
  for (const line of fs.readFileSync(path.join(data.dir, 'demo-tokens.txt'), 'utf8').split('\n')) {
    const [tok, , c] = line.split(' ');
    for (const a of byCommunity.get(c) || []) pairs.push(`${tok} ${a}`);
  }
  shuffle(pairs);
  const kept = pairs.slice(0, 400000); // far more than a run sends
  fs.writeFileSync(file, kept.join('\n') + '\n');
  return kept.length;
}

function shuffle(a) {
  let x = 12345;
  for (let i = a.length - 1; i > 0; i--) {
    x = (x * 1103515245 + 12345) % 2147483648;
    const j = x % (i + 1);
    [a[i], a[j]] = [a[j], a[i]];
  }
}

// Check-ins: every token holder scans the QR code of their community's volunteer service day,
// which is under way at the test clock's time. The codes come from the API as the leader's
// screen gets them (valid for 30 to 60 seconds, so fetched right before the run).
async function checkinTriples(data, base, file) {
  const login = await http(base, '/api/v1/session', { method: 'POST', body: { login: 'bench_lead', password: LEAD_PW } });
  if (login.status !== 200) throw new Error(`bench_lead login: ${login.status} ${login.text}`);
  const cookie = login.headers.get('set-cookie').split(';')[0];
  const events = new Map(sql(data.db, "SELECT org_unit_id, id FROM activities WHERE title = '社区志愿服务日' AND status = 'published'")
    .split('\n').filter(Boolean).map((l) => l.split('|')));
  const codes = new Map();
  for (const [c, a] of events) {
    const r = await http(base, `/api/v1/activities/${a}/checkin-code?format=json`, { cookie });
    if (r.status !== 200) throw new Error(`checkin-code ${a}: ${r.status} ${r.text}`);
    codes.set(c, JSON.parse(r.text).token);
  }
  const triples = [];
  for (const line of fs.readFileSync(path.join(data.dir, 'demo-tokens.txt'), 'utf8').split('\n')) {
    const [tok, , c] = line.split(' ');
    if (events.has(c)) triples.push(`${tok} ${events.get(c)} ${codes.get(c)}`);
  }
  shuffle(triples);
  fs.writeFileSync(file, triples.join('\n') + '\n');
  return triples.length;
}

// ------------------------------------------------------------------ servers

async function startRexin(dataDir) {
  const port = await freePort();
  const proc = spawn(BIN, ['serve', '--listen', `127.0.0.1:${port}`, '--data', dataDir, '--log-level', 'warn'], {
    env: { ...process.env, REXIN_ADMIN_PASSWORD: ADMIN_PW, REXIN_TEST_CLOCK: '1' }, stdio: ['ignore', 'pipe', 'pipe'],
  });
  let errText = '';
  proc.stderr.on('data', (d) => { errText = (errText + d).slice(-4000); });
  const url = await new Promise((resolve, reject) => {
    let out = '';
    const t = setTimeout(() => reject(new Error(`rexin did not start: ${errText}`)), 60000);
    proc.stdout.on('data', (d) => {
      out += d;
      const m = out.match(/listening on (http:\/\/[^\s]+)/);
      if (m) { clearTimeout(t); resolve(m[1].replace(/\/$/, '')); }
    });
    proc.on('exit', (c) => reject(new Error(`rexin exited (${c}): ${errText}`)));
  });
  return { url, proc, pid: proc.pid, stop: () => new Promise((r) => { proc.once('exit', r); proc.kill('SIGTERM'); }) };
}

async function startNginx(tmp, body) {
  const dir = path.join(tmp, 'nginx');
  fs.mkdirSync(path.join(dir, 'www'), { recursive: true });
  fs.writeFileSync(path.join(dir, 'www/body.json'), body);
  for (const d of [tmp, dir, path.join(dir, 'www')]) fs.chmodSync(d, 0o755);
  fs.chmodSync(path.join(dir, 'www/body.json'), 0o644);
  const port = await freePort();
  // Same machine, same wrk settings; keep-alive never closes a benchmark connection.
  fs.writeFileSync(path.join(dir, 'nginx.conf'), `
worker_processes auto;
daemon off;
pid ${dir}/nginx.pid;
error_log ${dir}/error.log warn;
events { worker_connections 4096; }
http {
  access_log off;
  keepalive_requests 100000000;
  keepalive_timeout 120s;
  client_body_temp_path ${dir}/tmp_body;
  proxy_temp_path ${dir}/tmp_proxy;
  fastcgi_temp_path ${dir}/tmp_fastcgi;
  uwsgi_temp_path ${dir}/tmp_uwsgi;
  scgi_temp_path ${dir}/tmp_scgi;
  server {
    listen 127.0.0.1:${port};
    root ${dir}/www;
    location / { default_type application/json; }
  }
}
`);
  const proc = spawn('nginx', ['-p', dir, '-c', path.join(dir, 'nginx.conf'), '-e', path.join(dir, 'error.log')], { stdio: 'ignore' });
  const url = `http://127.0.0.1:${port}`;
  for (let i = 0; i < 100; i++) {
    try { if ((await fetch(url + '/body.json')).ok) break; } catch {}
    await sleep(50);
  }
  await sleep(200);
  const kids = sh('sh', ['-c', `cat /proc/${proc.pid}/task/*/children 2>/dev/null || true`]).split(/\s+/).filter(Boolean).map(Number);
  return { url, pids: [proc.pid, ...kids], stop: () => new Promise((r) => { proc.once('exit', r); proc.kill('SIGQUIT'); }) };
}

function metric(text, name) {
  const out = {};
  for (const line of text.split('\n')) {
    const m = line.match(new RegExp(`^${name}(?:\\{([^}]*)\\})? (\\S+)$`));
    if (m) out[m[1] || ''] = Number(m[2]);
  }
  return out;
}

async function commitBatches(base) {
  const t = (await http(base, '/metrics')).text;
  const b = metric(t, 'rexin_db_commit_batch_size_bucket');
  const sum = metric(t, 'rexin_db_commit_batch_size_sum')[''] || 0;
  const count = metric(t, 'rexin_db_commit_batch_size_count')[''] || 0;
  return { buckets: b, jobs: sum, commits: count };
}

async function cacheCounts(base) {
  const m = metric((await http(base, '/metrics')).text, 'rexin_answer_cache_total');
  return { hits: m['result="hit"'] || 0, misses: m['result="miss"'] || 0 };
}

function diffBatches(a, b) {
  const buckets = {};
  for (const k of Object.keys(b.buckets)) buckets[k] = b.buckets[k] - (a.buckets[k] || 0);
  const commits = b.commits - a.commits, jobs = b.jobs - a.jobs;
  return { commits, jobs, mean: commits ? +(jobs / commits).toFixed(2) : 0, buckets };
}

// ------------------------------------------------------------------ the run

// Logs the admin in; the first login also sets the test clock (a session made before the
// clock moved may count as expired after it).
async function adminCookie(base, setClock) {
  const login = async () => {
    const r = await http(base, '/api/v1/session', { method: 'POST', body: { login: 'admin', password: ADMIN_PW } });
    if (r.status !== 200) throw new Error(`admin login: ${r.status} ${r.text}`);
    return r.headers.get('set-cookie').split(';')[0];
  };
  let cookie = await login();
  if (setClock) {
    const r = await http(base, '/api/v1/test/clock', { method: 'PUT', body: { now: CLOCK }, cookie });
    if (r.status !== 200) throw new Error(`test clock: ${r.status} ${r.text}`);
    cookie = await login();
  }
  return cookie;
}

const daysBefore = (date, n) => new Date(Date.parse(`${date}T00:00:00Z`) - n * 86400000).toISOString().slice(0, 10);

async function main() {
  if (process.env.BENCH_GENERATE_ONLY === '1') { // fill the cache, nothing else
    const { cached, generated } = ensureCache();
    log(`${cached}${generated ? ` generated in ${generated.seconds.toFixed(0)} s` : ' was there'}`);
    return;
  }
  for (const f of [BIN, path.join(TOOLS, 'sqlite_ceiling'), path.join(TOOLS, 'argon2_ceiling')])
    if (!fs.existsSync(f)) throw new Error(`${f} is missing: run make bench`);
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'rexin-bench-'));
  const res = { machine: { ...machine(), loadavg_at_start: os.loadavg().map((x) => +x.toFixed(2)) }, settings: { connections: CONNS, wrk_threads: THREADS, seconds: DURATION, scale: SCALE, seed: SEED, today: TODAY, clock: CLOCK, log_level: 'warn', only: ONLY ? [...ONLY] : null }, scenarios: {}, ceilings: {} };
  log(`machine: ${res.machine.cpu}, ${res.machine.cores} cores, ${res.machine.memory_gib} GiB, kernel ${res.machine.kernel}`);
  const t00 = Date.now();
  let rexin, nginx;
  try {
    const data = dataDir(tmp);
    res.data = { scale: SCALE, seed: SEED, cache_key: data.key, db_mib: data.db_mib, generated: data.generated, copy_s: data.copy_s, streetId: data.streetId };

    // Ceilings that need no server.
    if (want('writes')) {
      log('ceiling: raw SQLite inserts');
      res.ceilings.sqlite = JSON.parse(sh(path.join(TOOLS, 'sqlite_ceiling'), [tmp, '2']));
    }
    if (want('login')) {
      log('ceiling: argon2id verifications');
      res.ceilings.argon2 = JSON.parse(sh(path.join(TOOLS, 'argon2_ceiling'), ['3']));
    }

    // An account that may show every activity's check-in code (a team leader over the city),
    // for scenario 2; the admin keeps its one grant.
    if (want('writes')) {
      const city = sql(data.db, "SELECT id FROM org_units WHERE kind = 'city' ORDER BY id LIMIT 1");
      const cli = (args) => execFileSync(BIN, [...args, '--data', data.dir, '--log-level', 'warn'],
        { env: { ...process.env, REXIN_PASSWORD: LEAD_PW }, stdio: ['ignore', 'ignore', 'inherit'] });
      cli(['user', 'add', 'bench_lead']);
      cli(['user', 'grant', 'bench_lead', 'team_leader', city]);
    }
    const t0 = Date.now();
    rexin = await startRexin(data.dir);
    res.data.server_start_s = (Date.now() - t0) / 1000;
    const base = rexin.url;
    const cookie = await adminCookie(base, true);
    const readPath = READ.path(data);
    const sample = await http(base, readPath, { cookie });
    if (sample.status !== 200) throw new Error(`read sample: ${sample.status} ${sample.text}`);
    const readOpts = { headers: { Cookie: cookie } };
    let items = null;
    try { items = JSON.parse(sample.text).items?.length ?? null; } catch {}
    log(`read: ${readPath} answers ${Buffer.byteLength(sample.text)} bytes${items === null ? '' : `, ${items} items`}`);

    if (want('read') || want('login')) {
      // Ceiling: nginx serving the read body as a static file, same wrk settings.
      nginx = await startNginx(tmp, sample.text);
      await wrk(nginx.url + '/body.json', { seconds: 2 });
      log('ceiling: nginx static file');
      const ng = await peakRss(nginx.pids, () => wrk(nginx.url + '/body.json'));
      res.ceilings.nginx = { ...ng.out, peak_rss_mib: ng.peak_rss_mib, body_bytes: Buffer.byteLength(sample.text),
        cpu_us_per_request: +(ng.cpu_s * 1e6 / ng.out.requests).toFixed(1) };
      await nginx.stop();
      nginx = null;

      // 1 + 6: read, logged in, keep-alive, 64 connections; server memory under it.
      await wrk(base + readPath, { ...readOpts, seconds: 2 });
      log(`scenario 1: ${READ.label}`);
      const s1 = await peakRss([rexin.pid], () => wrk(base + readPath, readOpts));
      res.scenarios.read = { label: READ.label, path: readPath, items, body_bytes: Buffer.byteLength(sample.text), ...s1.out, peak_rss_mib: s1.peak_rss_mib,
        cpu_us_per_request: +(s1.cpu_s * 1e6 / s1.out.requests).toFixed(1),
        of_nginx: +(s1.out.rps / res.ceilings.nginx.rps).toFixed(3) };
      res.scenarios.read.answer_cache = await cacheCounts(base);

      // 1 again with "Cache-Control: no-cache": every request runs the handler and looks its
      // session and grants up, as every read does while writes keep committing (a commit makes
      // the server forget what it kept; src/http/cache.h).
      const coldOpts = { headers: { Cookie: cookie, 'Cache-Control': 'no-cache' } };
      await wrk(base + readPath, { ...coldOpts, seconds: 2 });
      log(`scenario 1 (no-cache): ${READ.label}`);
      const s1c = await peakRss([rexin.pid], () => wrk(base + readPath, coldOpts));
      res.scenarios.read_cold = { label: `${READ.label}, Cache-Control: no-cache`, ...s1c.out, peak_rss_mib: s1c.peak_rss_mib,
        cpu_us_per_request: +(s1c.cpu_s * 1e6 / s1c.out.requests).toFixed(1),
        of_nginx: +(s1c.out.rps / res.ceilings.nginx.rps).toFixed(3) };
      res.scenarios.memory = { label: `server RSS under the read loads (${SCALE} scale)`,
        peak_rss_mib: Math.max(res.scenarios.read.peak_rss_mib, s1c.peak_rss_mib),
        idle_rss_mib: +(rss(rexin.pid).rss / 1024).toFixed(1) };
    }

    // 5: argon2id logins on 2 cores, alone and while the read load runs.
    let batchesLogin = null;
    if (want('login') && res.scenarios.read) {
      const loginReq = { method: 'POST', body: JSON.stringify({ login: 'admin', password: ADMIN_PW }),
        headers: { 'Content-Type': 'application/json', Origin: base } };
      log('scenario 5: logins alone');
      const before = await commitBatches(base);
      const la = await peakRss([rexin.pid], () => wrk(base + '/api/v1/session', { ...loginReq, conns: 8 }));
      batchesLogin = diffBatches(before, await commitBatches(base));
      log('scenario 5: logins while the read load runs');
      const both = await peakRss([rexin.pid], () => Promise.all([
        wrk(base + '/api/v1/session', { ...loginReq, conns: 8, threads: 1 }),
        wrk(base + readPath, readOpts),
      ]));
      const [lr, rr] = both.out;
      res.scenarios.login = {
        label: 'POST /api/v1/session (argon2id) while scenario 1 runs', logins_alone: la.out, logins_alone_peak_rss_mib: la.peak_rss_mib, logins_under_read: lr,
        read_under_logins: rr, peak_rss_mib: both.peak_rss_mib,
        read_p99_ratio: +(rr.p99_ms / res.scenarios.read.p99_ms).toFixed(2),
        of_argon2: +(lr.rps / res.ceilings.argon2.verifies_per_s).toFixed(3),
        commit_batches: batchesLogin,
      };
    }

    // 3: reports over three years at every level of the tree, as the city admin; a few
    // connections (a dashboard's), so that the latency is the report's, not a queue's.
    if (want('reports')) {
      const from = daysBefore(TODAY, 3 * 365), to = daysBefore(TODAY, 1);
      const community = sql(data.db, "SELECT id, parent_id FROM org_units WHERE kind = 'community' AND code IS NOT NULL AND EXISTS" +
        " (SELECT 1 FROM service_records r WHERE r.org_unit_id = org_units.id) ORDER BY id LIMIT 1").split('|').map(Number);
      const district = Number(sql(data.db, `SELECT district_id FROM org_units WHERE id = ${community[0]}`));
      const city = Number(sql(data.db, "SELECT id FROM org_units WHERE kind = 'city' ORDER BY id LIMIT 1"));
      const levels = [['community', community[0]], ['street', community[1]], ['district', district], ['city', city]];
      res.scenarios.reports = { label: `GET /api/v1/reports/summary?org_unit=X&from=${from}&to=${to} (3 years)`, from, to, levels: {} };
      for (const [level, id] of levels) {
        const p = `/api/v1/reports/summary?org_unit=${id}&from=${from}&to=${to}`;
        // Every answer worked out afresh (no-cache): a dashboard asked again before any
        // commit would be answered from the answer cache, which says nothing of the report.
        const noCache = { 'Cache-Control': 'no-cache' };
        const t1 = process.hrtime.bigint();
        const one = await http(base, p, { cookie, headers: noCache });
        const firstMs = Number(process.hrtime.bigint() - t1) / 1e6;
        if (one.status !== 200) throw new Error(`report ${level}: ${one.status} ${one.text.slice(0, 300)}`);
        const total = JSON.parse(one.text).total;
        log(`scenario 3: ${level} ${id}: ${total.person_times} person-times, first answer in ${firstMs.toFixed(0)} ms`);
        let r;
        if (firstMs > 1000) {
          // too slow for a load: two more answers one after another, their server CPU time too
          const times = [firstMs];
          const cpu0 = cpuSeconds([rexin.pid]);
          for (let i = 0; i < 2; i++) {
            const t2 = process.hrtime.bigint();
            await http(base, p, { cookie, headers: noCache });
            times.push(Number(process.hrtime.bigint() - t2) / 1e6);
          }
          const cpu = cpuSeconds([rexin.pid]) - cpu0;
          times.sort((x, y) => x - y);
          r = { rps: +(1000 / times[1]).toFixed(2), requests: 3, p50_ms: times[1], p99_ms: times[2], conns: 1, sequential: true,
            cpu_us_per_request: +(cpu * 1e6 / 2).toFixed(0) };
        } else {
          const repOpts = { headers: { Cookie: cookie, ...noCache } };
          await wrk(base + p, { ...repOpts, conns: 4, threads: 1, seconds: 1 });
          const w = await peakRss([rexin.pid], () => wrk(base + p, { ...repOpts, conns: 4, threads: 1, seconds: Math.max(3, DURATION / 2) }));
          r = { ...w.out, cpu_us_per_request: +(w.cpu_s * 1e6 / w.out.requests).toFixed(0), peak_rss_mib: w.peak_rss_mib };
          if (res.scenarios.memory) res.scenarios.memory.peak_rss_mib = Math.max(res.scenarios.memory.peak_rss_mib, w.peak_rss_mib);
        }
        res.scenarios.reports.levels[level] = { org_unit: id, ...r, first_ms: +firstMs.toFixed(1), person_times: total.person_times, hours: total.hours,
          volunteers: total.volunteers, sessions: total.sessions, body_bytes: Buffer.byteLength(one.text) };
      }
      // The figures must be what the records say (the rollups are the triggers' sums): the
      // community's person-times, minutes and volunteers counted straight from the records.
      const [pt, mins, vols] = sql(data.db, `SELECT count(*), sum(minutes), count(DISTINCT person_id) FROM service_records` +
        ` WHERE org_unit_id = ${community[0]} AND status = 'confirmed' AND service_date BETWEEN '${from}' AND '${to}'`).split('|').map(Number);
      const c = res.scenarios.reports.levels.community;
      res.scenarios.reports.check = { records: pt, minutes: mins, volunteers: vols,
        ok: pt === c.person_times && vols === c.volunteers && Math.abs(mins / 60 - c.hours) < 0.01 };
    }

    // 2: durable writes: volunteers sign themselves up (bearer tokens from rexin demo) for the
    // coming weeks' activities of their community, and the day's volunteers check in by QR at
    // their community's service day, alternately, from 64 connections, synchronous=FULL; then
    // no activity may hold more places than it has.
    if (want('writes')) {
      const pairsFile = path.join(tmp, 'pairs.txt'), checkFile = path.join(tmp, 'checkins.txt');
      const npairs = signupPairs(data, pairsFile);
      const ncheck = await checkinTriples(data, base, checkFile);
      log(`scenario 2: sign-ups (${npairs} distinct volunteer/activity pairs) and check-ins (${ncheck})`);
      const before = await commitBatches(base);
      const wtid = threadId(rexin.pid, 'rexin-writer'), ctid = threadId(rexin.pid, 'rexin-ckpt');
      const wcpu0 = wtid ? cpuSeconds([`${rexin.pid}/task/${wtid}`]) : 0;
      const ccpu0 = ctid ? cpuSeconds([`${rexin.pid}/task/${ctid}`]) : 0;
      const s2 = await peakRss([rexin.pid], () => wrk(base, { script: path.join(ROOT, 'bench/wrk/writes.lua'),
        env: { BENCH_PAIRS: pairsFile, BENCH_CHECKINS: checkFile } }));
      const wcpu = wtid ? cpuSeconds([`${rexin.pid}/task/${wtid}`]) - wcpu0 : 0;
      const ccpu = ctid ? cpuSeconds([`${rexin.pid}/task/${ctid}`]) - ccpu0 : 0;
      const batches = diffBatches(before, await commitBatches(base));
      // Every write of the run went to an activity of today or later (the coming weeks' and
      // today's service days): those are checked, not three years of history (a city's 3
      // million activities would take minutes).
      const clock = Math.floor(Date.parse(CLOCK) / 1000);
      const dayStart = Math.floor(Date.parse(`${TODAY}T00:00:00+08:00`) / 1000);
      const current = `SELECT id FROM activities WHERE starts_at >= ${dayStart}`;
      const overbooked = Number(sql(data.db, `SELECT count(*) FROM activities a WHERE a.starts_at >= ${dayStart} AND (a.places_taken > a.capacity OR a.capacity <` +
        " (SELECT count(*) FROM signups s WHERE s.activity_id = a.id AND s.status IN ('confirmed','attended','no_show')))"));
      const checkedIn = Number(sql(data.db, `SELECT count(*) FROM attendance WHERE activity_id IN (${current}) AND checkin_at >= ${clock - 60}`));
      const signedUp = Number(sql(data.db, `SELECT count(*) FROM signups WHERE activity_id IN (${current}) AND created_at >= ${clock - 60}`));
      // what counts is what was written: a repeated scan (409) is an answer, not a write
      const ok = s2.out.requests - s2.out.non2xx;
      res.scenarios.writes = {
        label: 'POST …/signups and POST …/checkin (QR), alternately, bearer tokens, 64 connections', ...s2.out, peak_rss_mib: s2.peak_rss_mib,
        requests_per_s: s2.out.rps, rps: s2.out.requests ? Math.round(s2.out.rps * ok / s2.out.requests) : 0,
        distinct_pairs: npairs, checkin_tokens: ncheck, signed_up: signedUp, checked_in: checkedIn, overbooked_activities: overbooked,
        commit_batches: batches, writer_cpu_us_per_job: batches.jobs ? +(wcpu * 1e6 / batches.jobs).toFixed(1) : null,
        checkpointer_cpu_us_per_job: batches.jobs ? +(ccpu * 1e6 / batches.jobs).toFixed(1) : null,
        server_cpu_us_per_request: s2.out.requests ? +(s2.cpu_s * 1e6 / s2.out.requests).toFixed(1) : null,
        of_sqlite_batch64: +(s2.out.rps / res.ceilings.sqlite.rows_per_s['64']).toFixed(3),
      };
    }
    await rexin.stop();
    rexin = null;

    // 4: import 100,000 people from a CSV through the CLI into one of the communities (the
    // server stopped; the same database).
    if (want('import')) {
      const csv = path.join(CACHE, 'people-100000-seed7.csv');
      if (!fs.existsSync(csv))
        sh('node', [path.join(ROOT, 'tests/tools/gen_people_csv.mjs'), '--rows', '100000', '--seed', '7', '--out', csv]);
      const code = sql(data.db, "SELECT code FROM org_units WHERE kind = 'community' AND code IS NOT NULL ORDER BY id DESC LIMIT 1");
      log(`scenario 4: import ${csv} into community ${code}`);
      const t1 = Date.now();
      const run = spawnSync(BIN, ['import', 'people', csv, '--community', code, '--skip-invalid', '--data', data.dir, '--log-level', 'warn'],
        { encoding: 'utf8', maxBuffer: 1 << 30, env: { ...process.env, LANG: 'C' } });
      const seconds = (Date.now() - t1) / 1000;
      const m = (run.stderr || '').match(/(\d+) rows: (\d+) created, (\d+) updated, (\d+) unchanged, (\d+) rejected/);
      if (run.status !== 0 || !m) throw new Error(`import failed (${run.status}): ${(run.stderr || '').slice(-2000)}`);
      const counts = { rows: +m[1], created: +m[2], updated: +m[3], unchanged: +m[4], rejected: +m[5] };
      res.scenarios.import = { label: 'rexin import people (CSV, 100,000 rows) into a community', seconds, rows: 100000,
        rows_per_s: +(100000 / seconds).toFixed(0), counts, csv_mib: +(fs.statSync(csv).size / 2 ** 20).toFixed(1) };
    }
  } finally {
    if (nginx) await nginx.stop();
    if (rexin) await rexin.stop();
    fs.rmSync(tmp, { recursive: true, force: true });
  }
  res.total_s = (Date.now() - t00) / 1000;
  report(res);
}

// A thread of the server by name (src/store/sqlite.c names the writer rexin-writer and the
// checkpointer rexin-ckpt), for its CPU time per job.
function threadId(pid, name) {
  try {
    for (const t of fs.readdirSync(`/proc/${pid}/task`))
      if (fs.readFileSync(`/proc/${pid}/task/${t}/comm`, 'utf8').trim() === name) return t;
  } catch {}
  return null;
}

// ------------------------------------------------------------------ output

const TARGETS = {
  read: (s) => ({ text: '≥ 20,000/s and ≥ 40% of nginx', ok: s.rps >= 20000 && s.of_nginx >= 0.4 }),
  login: (s) => ({ text: 'read p99 ≤ 2× alone', ok: s.read_p99_ratio <= 2 }),
  memory: (s) => ({ text: '< 200 MiB (city scale)', ok: s.peak_rss_mib < 200 }),
  writes: (s) => ({ text: '≥ 5,000/s, p99 < 50 ms, no overbooking', ok: s.rps >= 5000 && s.p99_ms < 50 && s.overbooked_activities === 0 }),
  report_community: (s) => ({ text: 'p99 < 5 ms', ok: s.p99_ms < 5 }),
  report_city: (s) => ({ text: 'p99 < 50 ms', ok: s.p99_ms < 50 }),
  import: (s) => ({ text: '< 20 s', ok: s.seconds < 20 }),
};

function rows(res) {
  const s = res.scenarios, c = res.ceilings, f = (x, d = 0) => (x === undefined || x === null ? '' : Number(x).toLocaleString('en-US', { maximumFractionDigits: d, minimumFractionDigits: d }));
  const st = (k, v) => (TARGETS[k](v).ok ? 'met' : 'NOT met');
  const notRun = (n, label) => [n, label, 'not run', '', '', '', '', '', '', ''];
  const out = [];
  if (s.read) out.push(['1 read', s.read.label, f(s.read.rps) + '/s', f(s.read.p50_ms, 2), f(s.read.p99_ms, 2), f(s.read.peak_rss_mib, 1),
    `nginx ${f(c.nginx.rps)}/s, p99 ${f(c.nginx.p99_ms, 2)} ms`, `${f(s.read.of_nginx * 100, 1)}%`, TARGETS.read(s.read).text, st('read', s.read)]);
  else out.push(notRun('1 read', READ.label));
  if (s.read_cold) out.push(['1 read', 'the same with Cache-Control: no-cache (handler and session look-up every time)', f(s.read_cold.rps) + '/s', f(s.read_cold.p50_ms, 2),
    f(s.read_cold.p99_ms, 2), f(s.read_cold.peak_rss_mib, 1), '', `${f(s.read_cold.of_nginx * 100, 1)}%`, TARGETS.read(s.read_cold).text, st('read', s.read_cold)]);
  const w = s.writes;
  if (w) out.push(['2 writes', w.label, f(w.rps) + '/s', f(w.p50_ms, 2), f(w.p99_ms, 2), f(w.peak_rss_mib, 1),
    `SQLite ${f(c.sqlite.rows_per_s['64'])}/s (batch 64), ${f(c.sqlite.rows_per_s['1'])}/s (batch 1)`, `${f(w.of_sqlite_batch64 * 100, 1)}%`,
    TARGETS.writes(w).text, st('writes', w) + `; ${w.overbooked_activities} overbooked, ${w.non2xx} non-2xx`]);
  else out.push(notRun('2 writes', 'sign-ups and QR check-ins'));
  const r = s.reports;
  if (r) for (const level of ['community', 'street', 'district', 'city']) {
    const v = r.levels[level];
    const t = level === 'community' ? 'report_community' : level === 'city' ? 'report_city' : null;
    out.push(['3 reports', `summary of a ${level} over 3 years (${f(v.person_times)} person-times), ${v.sequential ? '1 conn, 3 answers' : '4 conns'}`,
      f(v.rps, v.rps < 10 ? 2 : 0) + '/s', f(v.p50_ms, 2), f(v.p99_ms, 2), '',
      `server CPU ${f(v.cpu_us_per_request / 1000, 1)} ms/answer`, '', t ? TARGETS[t](v).text : '', t ? st(t, v) + (SCALE === 'city' ? '' : ' (not city scale)') : '']);
  }
  else out.push(notRun('3 reports', 'summary of a community, street, district, city'));
  const i = s.import;
  if (i) out.push(['4 import', `${i.label}: ${f(i.counts.created)} created, ${f(i.counts.updated)} updated, ${f(i.counts.rejected)} rejected`,
    `${f(i.rows_per_s)} rows/s`, '', '', '', '', '', TARGETS.import(i).text, `${st('import', i)} (${f(i.seconds, 1)} s)`]);
  else out.push(notRun('4 import', 'import 100,000 people from CSV'));
  const l = s.login;
  if (l) {
    out.push(['5 login', 'POST /api/v1/session (argon2id), 8 conns, alone', f(l.logins_alone.rps, 1) + '/s', f(l.logins_alone.p50_ms, 1), f(l.logins_alone.p99_ms, 1), f(l.logins_alone_peak_rss_mib, 1),
      `argon2id ${f(c.argon2.verifies_per_s, 1)}/s (${c.argon2.threads} threads)`, `${f(l.logins_alone.rps / c.argon2.verifies_per_s * 100, 1)}%`, '', '']);
    out.push(['5 login', 'the same while scenario 1 runs', f(l.logins_under_read.rps, 1) + '/s', f(l.logins_under_read.p50_ms, 1), f(l.logins_under_read.p99_ms, 1), f(l.peak_rss_mib, 1),
      '', `${f(l.of_argon2 * 100, 1)}%`, '', '']);
    out.push(['5 read', 'scenario 1 while logins run', f(l.read_under_logins.rps) + '/s', f(l.read_under_logins.p50_ms, 2), f(l.read_under_logins.p99_ms, 2), '',
      `p99 alone ${f(s.read.p99_ms, 2)} ms`, `${f(l.read_p99_ratio, 2)}×`, TARGETS.login(l).text, st('login', l)]);
  } else out.push(notRun('5 login', 'argon2id logins while scenario 1 runs'));
  if (s.memory) out.push(['6 memory', s.memory.label, '', '', '', f(s.memory.peak_rss_mib, 1), `nginx ${f(c.nginx.peak_rss_mib, 1)} MiB`, '', TARGETS.memory(s.memory).text,
    SCALE === 'city' ? st('memory', s.memory) : 'not city scale']);
  else out.push(notRun('6 memory', 'server RSS under the read load'));
  return out;
}

function table(header, body) {
  const all = [header, ...body];
  const width = header.map((_, i) => Math.max(...all.map((r) => String(r[i] ?? '').length)));
  const line = (r) => '| ' + r.map((c, i) => String(c ?? '').padEnd(width[i])).join(' | ') + ' |';
  return [line(header), '|' + width.map((w) => '-'.repeat(w + 2)).join('|') + '|', ...body.map(line)].join('\n');
}

const HEADER = ['scenario', 'what', 'throughput', 'p50 ms', 'p99 ms', 'peak RSS MiB', 'ceiling (same run)', 'of ceiling', 'target', 'status'];

// The lines under the table: what the figures rest on.
function notes(res) {
  const s = res.scenarios, c = res.ceilings, out = [];
  if (s.read) out.push(`Server CPU per request of the read (user + system, steadier than requests/s on a shared machine): ` +
    `rexin ${s.read.cpu_us_per_request} µs (${s.read_cold ? `${s.read_cold.cpu_us_per_request} µs with no-cache` : 'no-cache not run'}), nginx ${c.nginx.cpu_us_per_request} µs; ` +
    `answer cache during the read: ${s.read.answer_cache.hits.toLocaleString('en-US')} hits, ${s.read.answer_cache.misses.toLocaleString('en-US')} misses; ` +
    `at that cost two cores serve at most ${Math.round(2e6 / s.read.cpu_us_per_request).toLocaleString('en-US')} reads/s with nothing else running. ` +
    `Read scenario: street ${res.data.streetId}, ${s.read.items} items, ${s.read.body_bytes} bytes per answer (nginx serves the same bytes).`);
  if (s.writes) {
    const w = s.writes, b = w.commit_batches;
    out.push(`Writes: ${w.signed_up.toLocaleString('en-US')} sign-ups and ${w.checked_in.toLocaleString('en-US')} check-ins were written ` +
      `(${w.distinct_pairs.toLocaleString('en-US')} sign-up pairs and ${w.checkin_tokens.toLocaleString('en-US')} check-in holders available; a repeated scan answers 409), ` +
      `${w.overbooked_activities} activities over capacity afterwards. Group commit: ${b.jobs.toLocaleString('en-US')} write jobs in ${b.commits.toLocaleString('en-US')} commits ` +
      `(mean ${b.mean} per commit); CPU per job: writer thread ${w.writer_cpu_us_per_job} µs, checkpoint thread ${w.checkpointer_cpu_us_per_job} µs, ` +
      `the whole server ${w.server_cpu_us_per_request} µs per request. ` +
      `Raw SQLite ceiling (WAL, synchronous=FULL, sign-up row + audit row): ` +
      Object.entries(c.sqlite.rows_per_s).map(([k, v]) => `${Number(v).toLocaleString('en-US')}/s in batches of ${k}`).join(', ') + '.');
  }
  if (s.reports) {
    const k = s.reports.check;
    out.push(`Reports: ${s.reports.from} to ${s.reports.to}, every answer worked out afresh (Cache-Control: no-cache); the community's figures from the rollups equal its records counted directly ` +
      `(${k.records.toLocaleString('en-US')} records, ${k.volunteers} volunteers, ${(k.minutes / 60).toFixed(2)} hours): ${k.ok ? 'yes' : 'NO'}.`);
  }
  if (s.import) out.push(`Import: ${s.import.csv_mib} MiB CSV (tests/tools/gen_people_csv.mjs --rows 100000 --seed 7), ` +
    `\`rexin import people FILE --community CODE --skip-invalid\` with the server stopped, ${s.import.seconds.toFixed(1)} s end to end.`);
  out.push(`Whole run: ${Math.round(res.total_s)} s (data copy ${res.data.copy_s.toFixed(0)} s). Load average at the start: ${res.machine.loadavg_at_start.join(', ')}.`);
  return out;
}

function report(res) {
  const body = rows(res);
  const text = table(HEADER, body);
  console.log(`\nrexin bench — ${res.machine.date} — commit ${res.machine.commit}`);
  console.log(`${res.machine.cpu}, ${res.machine.cores} cores, ${res.machine.memory_gib} GiB, Linux ${res.machine.kernel}`);
  console.log(`data: ${res.data.scale} scale, seed ${res.data.seed}, ${res.data.db_mib} MiB; wrk ${CONNS} connections, ${THREADS} threads, ${DURATION} s, keep-alive\n`);
  console.log(text + '\n');
  for (const n of notes(res)) console.log(n + '\n');

  const dir = path.join(ROOT, 'bench/results');
  fs.mkdirSync(dir, { recursive: true });
  const stamp = res.machine.date.replace(/[:.]/g, '-');
  fs.writeFileSync(path.join(dir, `${stamp}-${res.machine.commit}.json`), JSON.stringify(res, null, 2) + '\n');
  fs.writeFileSync(path.join(dir, 'latest.json'), JSON.stringify(res, null, 2) + '\n');
  log(`wrote bench/results/${stamp}-${res.machine.commit}.json`);
  if (process.env.BENCH_DOC !== '0' && !ONLY) writeDoc(res, text);
}

// docs/performance.md: the part between the markers is rewritten by every run; what is
// outside them (profiles, findings, changes) is written by people and kept.
function writeDoc(res, text) {
  const file = path.join(ROOT, 'docs/performance.md');
  const begin = '<!-- bench:begin (written by make bench; edit outside these markers) -->';
  const end = '<!-- bench:end -->';
  const m = res.machine;
  const gen = res.data.generated ? `, generated in ${res.data.generated.seconds.toFixed(0)} s this run` : ' (from the cache)';
  const block = [begin, '',
    `Latest run: ${m.date.slice(0, 10)}, commit \`${m.commit}\`.`, '',
    `Machine: ${m.cpu}, ${m.cores} cores, ${m.memory_gib} GiB memory, Linux ${m.kernel}; SQLite ${m.sqlite}, wrk ${m.wrk}, ${m.nginx}.`, '',
    `Data: \`rexin demo --scale ${res.data.scale} --seed ${res.data.seed} --today ${TODAY}\`, ${res.data.db_mib.toLocaleString('en-US')} MiB database${gen}; ` +
    `server clock at ${CLOCK} (test clock). ` +
    `Load: wrk, ${CONNS} connections, ${THREADS} threads, ${DURATION} s per measurement after a 2 s warm-up, keep-alive, loopback; server at --log-level warn.`, '',
    text, '',
    ...notes(res).flatMap((n) => [n, '']),
    end].join('\n');
  let doc = fs.existsSync(file) ? fs.readFileSync(file, 'utf8') : '# Performance\n\n' + begin + '\n' + end + '\n';
  const i = doc.indexOf(begin), j = doc.indexOf(end);
  doc = i >= 0 && j > i ? doc.slice(0, i) + block + doc.slice(j + end.length) : doc + '\n' + block + '\n';
  fs.writeFileSync(file, doc);
  log('rewrote the summary in docs/performance.md');
}

main().catch((e) => { console.error('bench: ' + (e.stack || e)); process.exit(1); });
