// bench/run.mjs: the scenarios of `make bench` (issue "Benchmarks"), each beside its ceiling
// measured in the same run on the same machine. Prints one table, writes the figures as JSON
// under bench/results/ (not committed) and rewrites the generated part of docs/performance.md.
//
// Environment: REXIN_BIN (default build/bench/rexin), BENCH_SCALE (city), BENCH_SEED (1),
// BENCH_DURATION seconds per measurement (10), BENCH_CACHE (~/.cache/rexin-bench),
// BENCH_DOC=0 to leave docs/performance.md alone.
//
// Scenarios are entries of SCENARIOS below: a scenario that needs a feature not on this
// branch yet says so with `pending` and is reported as such. When the feature lands, replace
// `pending` with a `run`.
import { spawn, execFileSync } from 'node:child_process';
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
const CONNS = 64;
const THREADS = 2;
const ADMIN_PW = 'admin-bench-pw-1';
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

function schemaVersion() {
  return Math.max(...fs.readdirSync(path.join(ROOT, 'src/store/migrations'))
    .map((f) => parseInt(f, 10)).filter((n) => n > 0));
}

// The generated data of a scale lives in the cache, keyed by schema version, seed and the
// generator's source (a changed generator makes different data); each run works on a copy.
function dataDir(tmp) {
  const gen = createHash('sha256').update(fs.readFileSync(path.join(ROOT, 'src/store/demo_gen.c'))).digest('hex').slice(0, 10);
  const key = `${SCALE}-seed${SEED}-schema${schemaVersion()}-gen${gen}`;
  const cached = path.join(CACHE, key);
  let generated = null;
  if (!fs.existsSync(path.join(cached, 'rexin.db'))) {
    fs.mkdirSync(CACHE, { recursive: true });
    const part = cached + '.partial';
    fs.rmSync(part, { recursive: true, force: true });
    log(`generating ${SCALE} scale (seed ${SEED}) into ${cached}; cached for later runs`);
    const t0 = Date.now();
    execFileSync(BIN, ['demo', '--scale', SCALE, '--seed', SEED, '--tokens', SCALE === 'community' ? '300' : '1000', '--data', part, '--log-level', 'warn'], {
      env: { ...process.env, REXIN_ADMIN_PASSWORD: ADMIN_PW, REXIN_PASSWORD: 'demo-user-pw-1' }, stdio: ['ignore', 2, 'inherit'],
    });
    generated = { seconds: (Date.now() - t0) / 1000 };
    fs.renameSync(part, cached);
  } else {
    log(`using cached ${SCALE} data ${cached}`);
  }
  const dir = path.join(tmp, 'data');
  const t0 = Date.now();
  sh('cp', ['-r', '--reflink=auto', cached, dir]);
  sh('sync'); // the copy's dirty pages must not be written back during the measurements
  const dbBytes = fs.statSync(path.join(dir, 'rexin.db')).size;
  log(`copied ${(dbBytes / 2 ** 20).toFixed(0)} MiB of data in ${((Date.now() - t0) / 1000).toFixed(1)} s`);
  const db = path.join(dir, 'rexin.db');
  const streetId = Number(sql(db, "SELECT o.id FROM org_units o WHERE o.kind = 'street' AND o.code IS NOT NULL" +
    " AND EXISTS (SELECT 1 FROM activities a JOIN org_units c ON c.id = a.org_unit_id WHERE c.parent_id = o.id) ORDER BY o.id LIMIT 1"));
  return { dir, db, key, generated, streetId, db_mib: +(dbBytes / 2 ** 20).toFixed(0) };
}

const sql = (db, q) => sh('sqlite3', ['-readonly', db, q], { maxBuffer: 1 << 28 });

// Sign-up pairs: every demo token's volunteer with every published activity of their own
// community, shuffled with a fixed seed (no pair twice, no overlapping activities).
function signupPairs(data, file) {
  const byCommunity = new Map();
  for (const line of sql(data.db, "SELECT org_unit_id, id FROM activities WHERE status = 'published' ORDER BY id").split('\n')) {
    const [c, a] = line.split('|');
    if (!byCommunity.has(c)) byCommunity.set(c, []);
    byCommunity.get(c).push(a);
  }
  const pairs = [];
  for (const line of fs.readFileSync(path.join(data.dir, 'demo-tokens.txt'), 'utf8').split('\n')) {
    const [tok, , c] = line.split(' ');
    for (const a of byCommunity.get(c) || []) pairs.push(`${tok} ${a}`);
  }
  let x = 12345;
  for (let i = pairs.length - 1; i > 0; i--) {
    x = (x * 1103515245 + 12345) % 2147483648;
    const j = x % (i + 1);
    [pairs[i], pairs[j]] = [pairs[j], pairs[i]];
  }
  fs.writeFileSync(file, pairs.join('\n') + '\n');
  return pairs.length;
}

// ------------------------------------------------------------------ servers

async function startRexin(dataDir) {
  const port = await freePort();
  const proc = spawn(BIN, ['serve', '--listen', `127.0.0.1:${port}`, '--data', dataDir, '--log-level', 'warn'], {
    env: { ...process.env, REXIN_ADMIN_PASSWORD: ADMIN_PW }, stdio: ['ignore', 'pipe', 'pipe'],
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

function diffBatches(a, b) {
  const buckets = {};
  for (const k of Object.keys(b.buckets)) buckets[k] = b.buckets[k] - (a.buckets[k] || 0);
  const commits = b.commits - a.commits, jobs = b.jobs - a.jobs;
  return { commits, jobs, mean: commits ? +(jobs / commits).toFixed(2) : 0, buckets };
}

// ------------------------------------------------------------------ the run

async function main() {
  for (const f of [BIN, path.join(TOOLS, 'sqlite_ceiling'), path.join(TOOLS, 'argon2_ceiling')])
    if (!fs.existsSync(f)) throw new Error(`${f} is missing: run make bench`);
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'rexin-bench-'));
  const res = { machine: { ...machine(), loadavg_at_start: os.loadavg().map((x) => +x.toFixed(2)) }, settings: { connections: CONNS, wrk_threads: THREADS, seconds: DURATION, scale: SCALE, seed: SEED, log_level: 'warn' }, scenarios: {}, ceilings: {} };
  log(`machine: ${res.machine.cpu}, ${res.machine.cores} cores, ${res.machine.memory_gib} GiB, kernel ${res.machine.kernel}`);
  let rexin, nginx;
  try {
    const data = dataDir(tmp);
    res.data = { scale: SCALE, seed: SEED, cache_key: data.key, db_mib: data.db_mib, generated: data.generated, streetId: data.streetId };

    // Ceilings that need no server.
    log('ceiling: raw SQLite inserts');
    res.ceilings.sqlite = JSON.parse(sh(path.join(TOOLS, 'sqlite_ceiling'), [tmp, '2']));
    log('ceiling: argon2id verifications');
    res.ceilings.argon2 = JSON.parse(sh(path.join(TOOLS, 'argon2_ceiling'), ['3']));

    const t0 = Date.now();
    rexin = await startRexin(data.dir);
    res.data.server_start_s = (Date.now() - t0) / 1000;
    const base = rexin.url;
    const login = await http(base, '/api/v1/session', { method: 'POST', body: { login: 'admin', password: ADMIN_PW } });
    if (login.status !== 200) throw new Error(`admin login: ${login.status} ${login.text}`);
    const cookie = login.headers.get('set-cookie').split(';')[0];
    const readPath = READ.path(data);
    const sample = await http(base, readPath, { cookie });
    if (sample.status !== 200) throw new Error(`read sample: ${sample.status} ${sample.text}`);
    const readOpts = { headers: { Cookie: cookie } };
    let items = null;
    try { items = JSON.parse(sample.text).items?.length ?? null; } catch {}
    log(`read: ${readPath} answers ${Buffer.byteLength(sample.text)} bytes${items === null ? '' : `, ${items} items`}`);

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

    // 5: argon2id logins on 2 cores, alone and while the read load runs.
    const loginReq = { method: 'POST', body: JSON.stringify({ login: 'admin', password: ADMIN_PW }),
      headers: { 'Content-Type': 'application/json', Origin: base } };
    log('scenario 5: logins alone');
    let before = await commitBatches(base);
    const la = await peakRss([rexin.pid], () => wrk(base + '/api/v1/session', { ...loginReq, conns: 8 }));
    const batchesLogin = diffBatches(before, await commitBatches(base));
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
    };

    // 2: durable writes: volunteers sign themselves up (bearer tokens from rexin demo) for
    // activities of their community, 64 connections, synchronous=FULL; then no activity may
    // hold more places than it has. QR check-ins wait for a check-in load (tokens per activity).
    const pairsFile = path.join(tmp, 'pairs.txt');
    const npairs = signupPairs(data, pairsFile);
    log(`scenario 2: sign-ups (${npairs} distinct volunteer/activity pairs)`);
    before = await commitBatches(base);
    const s2 = await peakRss([rexin.pid], () => wrk(base, { script: path.join(ROOT, 'bench/wrk/signup.lua'), env: { BENCH_PAIRS: pairsFile } }));
    const batchesSignup = diffBatches(before, await commitBatches(base));
    const overbooked = Number(sql(data.db, 'SELECT count(*) FROM activities a WHERE a.places_taken > a.capacity OR a.capacity <' +
      " (SELECT count(*) FROM signups s WHERE s.activity_id = a.id AND s.status IN ('confirmed','attended','no_show'))"));
    const statuses = Object.fromEntries(sql(data.db, 'SELECT status, count(*) FROM signups GROUP BY status').split('\n').filter(Boolean).map((l) => l.split('|')).map(([k, v]) => [k, Number(v)]));
    res.scenarios.writes = {
      label: 'POST /api/v1/activities/{id}/signups (bearer tokens), 64 connections', ...s2.out, peak_rss_mib: s2.peak_rss_mib,
      distinct_pairs: npairs, overbooked_activities: overbooked, signups_by_status: statuses,
      commit_batches: batchesSignup, commit_batches_under_logins: batchesLogin,
      of_sqlite_batch64: +(s2.out.rps / res.ceilings.sqlite.rows_per_s['64']).toFixed(3),
      pending: undefined, not_yet: 'QR check-ins under load',
    };
    res.scenarios.reports = { label: 'summary for a community, street, district, city (city scale, 3 years)', pending: 'needs generated service records (3 years: EXTENSION in src/store/demo_gen.c); the reports API is on main' };
    res.scenarios.import = { label: 'import 100,000 people from CSV', pending: 'rexin import people is on main; the bench still needs a 100,000-row CSV of the demo population' };
    res.scenarios.memory = { label: `server RSS under the read load (${SCALE} scale)`, peak_rss_mib: res.scenarios.read.peak_rss_mib,
      idle_rss_mib: +(rss(rexin.pid).rss / 1024).toFixed(1) };
  } finally {
    if (nginx) await nginx.stop();
    if (rexin) await rexin.stop();
    fs.rmSync(tmp, { recursive: true, force: true });
  }
  report(res);
}

// ------------------------------------------------------------------ output

const TARGETS = {
  read: (s, r) => ({ text: '≥ 20,000/s and ≥ 40% of nginx', ok: s.rps >= 20000 && s.of_nginx >= 0.4 }),
  login: (s) => ({ text: 'read p99 ≤ 2× alone', ok: s.read_p99_ratio <= 2 }),
  memory: (s) => ({ text: '< 200 MiB (city scale)', ok: s.peak_rss_mib < 200 }),
  writes: (s) => ({ text: '≥ 5,000/s, p99 < 50 ms, no overbooking', ok: s.rps >= 5000 && s.p99_ms < 50 && s.overbooked_activities === 0 }),
  reports: () => ({ text: 'p99 < 5 ms community, < 50 ms city' }),
  import: () => ({ text: '< 20 s' }),
};

function rows(res) {
  const s = res.scenarios, c = res.ceilings, f = (x, d = 0) => (x === undefined ? '' : Number(x).toLocaleString('en-US', { maximumFractionDigits: d, minimumFractionDigits: d }));
  const status = (k) => { const t = TARGETS[k](s[k], res); return s[k].pending ? 'pending' : t.ok ? 'met' : 'NOT met'; };
  const out = [];
  out.push(['1 read', s.read.label, f(s.read.rps) + '/s', f(s.read.p50_ms, 2), f(s.read.p99_ms, 2), f(s.read.peak_rss_mib, 1),
    `nginx ${f(c.nginx.rps)}/s, p99 ${f(c.nginx.p99_ms, 2)} ms`, `${f(s.read.of_nginx * 100, 1)}%`, TARGETS.read(s.read).text, status('read')]);
  const w = s.writes;
  out.push(['2 writes', w.label, f(w.rps) + '/s', f(w.p50_ms, 2), f(w.p99_ms, 2), f(w.peak_rss_mib, 1),
    `SQLite ${f(c.sqlite.rows_per_s['64'])}/s (batch 64), ${f(c.sqlite.rows_per_s['1'])}/s (batch 1)`, `${f(w.of_sqlite_batch64 * 100, 1)}%`,
    TARGETS.writes(w).text, status('writes') + `; ${w.overbooked_activities} overbooked, ${w.non2xx} non-2xx`]);
  out.push(['3 reports', s.reports.label, 'pending', '', '', '', '', '', TARGETS.reports().text, status('reports')]);
  out.push(['4 import', s.import.label, 'pending', '', '', '', '', '', TARGETS.import().text, status('import')]);
  const l = s.login;
  out.push(['5 login', 'POST /api/v1/session (argon2id), 8 conns, alone', f(l.logins_alone.rps, 1) + '/s', f(l.logins_alone.p50_ms, 1), f(l.logins_alone.p99_ms, 1), f(l.logins_alone_peak_rss_mib, 1),
    `argon2id ${f(c.argon2.verifies_per_s, 1)}/s (${c.argon2.threads} threads)`, `${f(l.logins_alone.rps / c.argon2.verifies_per_s * 100, 1)}%`, '', '']);
  out.push(['5 login', 'the same while scenario 1 runs', f(l.logins_under_read.rps, 1) + '/s', f(l.logins_under_read.p50_ms, 1), f(l.logins_under_read.p99_ms, 1), f(l.peak_rss_mib, 1),
    '', `${f(l.of_argon2 * 100, 1)}%`, '', '']);
  out.push(['5 read', 'scenario 1 while logins run', f(l.read_under_logins.rps) + '/s', f(l.read_under_logins.p50_ms, 2), f(l.read_under_logins.p99_ms, 2), '',
    `p99 alone ${f(s.read.p99_ms, 2)} ms`, `${f(l.read_p99_ratio, 2)}×`, TARGETS.login(l).text, status('login')]);
  out.push(['6 memory', s.memory.label, '', '', '', f(s.memory.peak_rss_mib, 1), `nginx ${f(c.nginx.peak_rss_mib, 1)} MiB`, '', TARGETS.memory(s.memory).text,
    SCALE === 'city' ? status('memory') : 'not city scale']);
  return out;
}

function table(header, body) {
  const all = [header, ...body];
  const width = header.map((_, i) => Math.max(...all.map((r) => String(r[i] ?? '').length)));
  const line = (r) => '| ' + r.map((c, i) => String(c ?? '').padEnd(width[i])).join(' | ') + ' |';
  return [line(header), '|' + width.map((w) => '-'.repeat(w + 2)).join('|') + '|', ...body.map(line)].join('\n');
}

const HEADER = ['scenario', 'what', 'throughput', 'p50 ms', 'p99 ms', 'peak RSS MiB', 'ceiling (same run)', 'of ceiling', 'target', 'status'];

function report(res) {
  const body = rows(res);
  const text = table(HEADER, body);
  console.log(`\nrexin bench — ${res.machine.date} — commit ${res.machine.commit}`);
  console.log(`${res.machine.cpu}, ${res.machine.cores} cores, ${res.machine.memory_gib} GiB, Linux ${res.machine.kernel}`);
  console.log(`data: ${res.data.scale} scale, seed ${res.data.seed}, ${res.data.db_mib} MiB; wrk ${CONNS} connections, ${THREADS} threads, ${DURATION} s, keep-alive\n`);
  console.log(text + '\n');
  const b = res.scenarios.writes.commit_batches;
  console.log(`server CPU per request (user + system): rexin ${res.scenarios.read.cpu_us_per_request} µs, nginx ${res.ceilings.nginx.cpu_us_per_request} µs`);
  console.log(`group commit under the sign-up load: ${b.jobs} write jobs in ${b.commits} commits (mean ${b.mean} per commit); sign-ups by status ${JSON.stringify(res.scenarios.writes.signups_by_status)}`);

  const dir = path.join(ROOT, 'bench/results');
  fs.mkdirSync(dir, { recursive: true });
  const stamp = res.machine.date.replace(/[:.]/g, '-');
  fs.writeFileSync(path.join(dir, `${stamp}-${res.machine.commit}.json`), JSON.stringify(res, null, 2) + '\n');
  fs.writeFileSync(path.join(dir, 'latest.json'), JSON.stringify(res, null, 2) + '\n');
  log(`wrote bench/results/${stamp}-${res.machine.commit}.json`);
  if (process.env.BENCH_DOC !== '0') writeDoc(res, text);
}

// docs/performance.md: the part between the markers is rewritten by every run; what is
// outside them (profiles, findings, changes) is written by people and kept.
function writeDoc(res, text) {
  const file = path.join(ROOT, 'docs/performance.md');
  const begin = '<!-- bench:begin (written by make bench; edit outside these markers) -->';
  const end = '<!-- bench:end -->';
  const m = res.machine, s = res.scenarios, b = s.writes.commit_batches;
  const gen = res.data.generated ? `, generated in ${res.data.generated.seconds.toFixed(0)} s this run` : ' (from the cache)';
  const block = [begin, '',
    `Latest run: ${m.date.slice(0, 10)}, commit \`${m.commit}\`.`, '',
    `Machine: ${m.cpu}, ${m.cores} cores, ${m.memory_gib} GiB memory, Linux ${m.kernel}; SQLite ${m.sqlite}, wrk ${m.wrk}, ${m.nginx}.`, '',
    `Data: \`rexin demo --scale ${res.data.scale} --seed ${res.data.seed}\`, ${res.data.db_mib} MiB database${gen}. ` +
    `Load: wrk, ${CONNS} connections, ${THREADS} threads, ${DURATION} s per measurement after a 2 s warm-up, keep-alive, loopback; server at --log-level warn.`, '',
    text, '',
    `Server CPU per request of the read (user + system, steadier than requests/s on a shared machine): ` +
    `rexin ${s.read.cpu_us_per_request} µs, nginx ${res.ceilings.nginx.cpu_us_per_request} µs. ` +
    `Load average at the start: ${m.loadavg_at_start.join(', ')}.`, '',
    `Read scenario: street ${res.data.streetId}, ${s.read.items} items, ${s.read.body_bytes} bytes per answer (nginx serves the same bytes). ` +
    `Sign-ups: ${s.writes.distinct_pairs} distinct volunteer/activity pairs, by status afterwards ${JSON.stringify(s.writes.signups_by_status)}, ` +
    `${s.writes.overbooked_activities} activities over capacity.`, '',
    `Group commit under the sign-up load: ${b.jobs} write jobs in ${b.commits} commits (mean ${b.mean} per commit). ` +
    `Raw SQLite ceiling (WAL, synchronous=FULL, sign-up row + audit row): ` +
    Object.entries(res.ceilings.sqlite.rows_per_s).map(([k, v]) => `${Number(v).toLocaleString('en-US')}/s in batches of ${k}`).join(', ') + '.', '',
    end].join('\n');
  let doc = fs.existsSync(file) ? fs.readFileSync(file, 'utf8') : '# Performance\n\n' + begin + '\n' + end + '\n';
  const i = doc.indexOf(begin), j = doc.indexOf(end);
  doc = i >= 0 && j > i ? doc.slice(0, i) + block + doc.slice(j + end.length) : doc + '\n' + block + '\n';
  fs.writeFileSync(file, doc);
  log('rewrote the summary in docs/performance.md');
}

main().catch((e) => { console.error('bench: ' + (e.stack || e)); process.exit(1); });
