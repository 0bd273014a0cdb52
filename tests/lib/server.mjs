// Test helpers shared by the API tests (tests/api) and the browser tests (tests/e2e).
//
//   const srv = await startServer();           // fresh data dir, random port
//   const res = await api(srv.url, '/api/v1/session', { method: 'POST', body: {...} });
//   await srv.stop();
//
// startServer runs `$REXIN_BIN serve --listen 127.0.0.1:0 --data <tmp dir> ...args`
// (REXIN_BIN defaults to <repo>/build/rexin) and resolves once the server prints
// "listening on http://127.0.0.1:PORT". The admin password is REXIN_ADMIN_PASSWORD,
// 'admin-test-pw-1' unless env overrides it.
//
// PostgreSQL: when REXIN_TEST_DB is set (tests/pg/run.sh sets it to a maintenance database
// of a throwaway cluster, e.g. postgresql:///postgres?host=/tmp/x&port=5433&user=rexin),
// every server gets a fresh database created through psql ($REXIN_TEST_PSQL or psql),
// passed with --db and written as `db = URL` into DATA/rexin.conf, so the CLI run with
// `--data DATA` reaches the same database. stop() drops it unless keepData.
import { spawn, execFile, execFileSync } from 'node:child_process';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const REPO_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
export const ADMIN_USER = 'admin';
export const ADMIN_PASSWORD = 'admin-test-pw-1';

const LISTENING = /listening on (http:\/\/[^\s]+)/;
const LOG_CAP = 256 * 1024; // keep at most this much of each output stream

const live = new Set(); // servers still running, killed if the test process exits
process.on('exit', () => {
  for (const proc of live) {
    try {
      proc.kill('SIGKILL');
    } catch {
      /* already gone */
    }
  }
});

let dbCounter = 0;

function psql(url, sql) {
  return new Promise((resolve, reject) => {
    execFile(process.env.REXIN_TEST_PSQL || 'psql', ['-X', '-q', '-At', '-v', 'ON_ERROR_STOP=1', '-d', url, '-c', sql],
      (err, stdout, stderr) => (err ? reject(new Error(`psql: ${stderr || err.message}`)) : resolve(stdout)));
  });
}

/** Runs SQL on the REXIN_TEST_DB maintenance database (or another database URL). */
export function testPsql(sql, url = process.env.REXIN_TEST_DB) {
  return psql(url, sql);
}

/**
 * Runs SQL text (several statements allowed) straight against a running server's database,
 * for test set-up: sqlite3 on DATA/rexin.db, or psql when the server runs on PostgreSQL.
 * Returns what the last statements printed (rows as `a|b` lines), trimmed. Write portable
 * SQL (RETURNING id, not last_insert_rowid()).
 */
export function serverSql(srv, text) {
  const [bin, args] = srv.dbUrl
    ? [process.env.REXIN_TEST_PSQL || 'psql', ['-X', '-q', '-At', '-v', 'ON_ERROR_STOP=1', '-d', srv.dbUrl]]
    : ['sqlite3', ['-batch', '-bail', '-cmd', '.timeout 10000', path.join(srv.dataDir, 'rexin.db')]];
  return execFileSync(bin, args, { input: text, encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 }).trim();
}

/** REXIN_TEST_DB with its database name replaced. */
export function testDbUrl(name) {
  const m = /^(postgres(?:ql)?:\/\/[^/?]*\/)([^?]*)(.*)$/.exec(process.env.REXIN_TEST_DB || '');
  if (!m) throw new Error(`REXIN_TEST_DB is not a postgresql:// URL: ${process.env.REXIN_TEST_DB}`);
  return m[1] + name + m[3];
}

/** Creates a database on the REXIN_TEST_DB cluster; resolves to {name, url}. */
export async function createTestDb() {
  const name = `rx_${process.pid}_${++dbCounter}_${Math.random().toString(36).slice(2, 8)}`;
  await psql(process.env.REXIN_TEST_DB, `CREATE DATABASE ${name}`);
  return { name, url: testDbUrl(name) };
}

export async function dropTestDb(name) {
  await psql(process.env.REXIN_TEST_DB, `DROP DATABASE IF EXISTS ${name} WITH (FORCE)`).catch(() => {});
}

/** The database named in DATA/rexin.conf, made on first use when REXIN_TEST_DB is set. */
async function databaseFor(dir) {
  const conf = path.join(dir, 'rexin.conf');
  const text = await fs.readFile(conf, 'utf8').catch(() => '');
  const m = /^\s*db\s*=\s*(\S+)\s*$/m.exec(text);
  if (m) return { url: m[1], name: null };
  const db = await createTestDb();
  await fs.writeFile(conf, `${text}${text && !text.endsWith('\n') ? '\n' : ''}db = ${db.url}\n`);
  return db;
}

export function rexinBin() {
  return process.env.REXIN_BIN || path.join(REPO_ROOT, 'build', 'rexin');
}

/**
 * Start a server.
 * options.env      extra environment (merged over process.env and the admin password)
 * options.args     extra arguments after `serve --listen ... --data ...`
 * options.dataDir  use this data directory instead of a fresh one (e.g. to restart on the
 *                  same data after stop({keepData: true}) or a crash)
 * options.timeoutMs how long to wait for the listening line (10 s)
 * options.sqlite   true: stay on SQLite even when REXIN_TEST_DB is set
 * Resolves to {url, port, dataDir, dbUrl, proc, stdout(), stderr(), exited, stop()}
 * (dbUrl: the PostgreSQL database when REXIN_TEST_DB is set, else null).
 */
export async function startServer({ env = {}, args = [], dataDir = null, timeoutMs = 10_000, sqlite = false } = {}) {
  const ownDir = !dataDir;
  const dir = dataDir || (await fs.mkdtemp(path.join(os.tmpdir(), 'rexin-test-')));
  const bin = rexinBin();
  const pg = process.env.REXIN_TEST_DB && !sqlite ? await databaseFor(dir) : null;
  const dbArgs = pg ? ['--db', pg.url] : [];
  const proc = spawn(bin, ['serve', '--listen', '127.0.0.1:0', '--data', dir, ...dbArgs, ...args], {
    env: { ...process.env, REXIN_ADMIN_PASSWORD: ADMIN_PASSWORD, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  live.add(proc);

  let out = '';
  let err = '';
  const keep = (buf, chunk) => {
    const s = buf + chunk;
    return s.length > LOG_CAP ? s.slice(s.length - LOG_CAP) : s;
  };
  const exited = new Promise((resolve) => {
    proc.once('exit', (code, signal) => {
      live.delete(proc);
      // Let the last output drain, then let go of the pipes even if something the
      // server started still holds them.
      setTimeout(() => {
        proc.stdout.destroy();
        proc.stderr.destroy();
      }, 100).unref();
      resolve({ code, signal });
    });
    // A binary that cannot be run at all (ENOENT, EACCES) gets 'error' and no 'exit'.
    proc.once('error', (error) => {
      if (proc.pid === undefined) {
        live.delete(proc);
        resolve({ code: null, signal: null, error });
      }
    });
  });

  const url = await new Promise((resolve, reject) => {
    let settled = false;
    const done = (fn, v) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      fn(v);
    };
    const fail = (why) => {
      const e = new Error(`${bin}: ${why}\n--- stderr ---\n${err}\n--- stdout ---\n${out}`);
      e.stderr = err;
      e.stdout = out;
      done(reject, e);
    };
    const look = () => {
      const m = LISTENING.exec(out) || LISTENING.exec(err);
      if (m) done(resolve, m[1].replace(/\/+$/, ''));
    };
    proc.stdout.setEncoding('utf8');
    proc.stderr.setEncoding('utf8');
    proc.stdout.on('data', (c) => {
      out = keep(out, c);
      look();
    });
    proc.stderr.on('data', (c) => {
      err = keep(err, c);
      look();
    });
    proc.once('error', (e) => fail(`could not start: ${e.message}`));
    exited.then(({ code, signal }) => fail(`exited (code ${code}, signal ${signal}) before listening`));
    const timer = setTimeout(() => fail(`not listening after ${timeoutMs} ms`), timeoutMs);
  }).catch(async (e) => {
    if (proc.pid !== undefined && proc.exitCode === null && proc.signalCode === null) proc.kill('SIGKILL');
    await exited;
    if (ownDir) await fs.rm(dir, { recursive: true, force: true });
    if (pg?.name) await dropTestDb(pg.name);
    throw e;
  });

  let stopping = null;
  /**
   * stop({signal = 'SIGTERM', keepData = false, graceMs = 5000}) sends the signal, waits
   * for the exit (SIGKILL after graceMs) and removes the data dir it made unless keepData.
   * Resolves to {code, signal} of the exit.
   */
  function stop({ signal = 'SIGTERM', keepData = false, graceMs = 5000 } = {}) {
    if (!stopping) {
      stopping = (async () => {
        if (proc.exitCode === null && proc.signalCode === null) {
          proc.kill(signal);
          const killer = setTimeout(() => proc.kill('SIGKILL'), graceMs);
          const r = await exited;
          clearTimeout(killer);
          return r;
        }
        return exited;
      })().then(async (r) => {
        if (ownDir && !keepData && !process.env.REXIN_KEEP_TEST_DATA) {
          await fs.rm(dir, { recursive: true, force: true });
          if (pg?.name) await dropTestDb(pg.name);
        }
        return r;
      });
    }
    return stopping;
  }

  return {
    url,
    port: Number(new URL(url).port),
    dataDir: dir,
    dbUrl: pg ? pg.url : null,
    proc,
    exited,
    stdout: () => out,
    stderr: () => err,
    stop,
  };
}

/**
 * One HTTP request to the server: api(base, path, {method, body, cookie, headers}).
 * A body is sent as JSON with Content-Type application/json and Origin = base, as a
 * browser would. Resolves to {status, headers, json, text, cookie} where json is the
 * parsed body (or null) and cookie is "rexin_session=..." when the answer set it.
 */
export async function api(base, urlPath, { method, body, cookie, headers = {} } = {}) {
  const h = { Accept: 'application/json', ...headers };
  const init = { method: method || (body === undefined ? 'GET' : 'POST'), headers: h, redirect: 'manual' };
  if (body !== undefined) {
    if (!Object.keys(h).some((k) => k.toLowerCase() === 'content-type')) h['Content-Type'] = 'application/json';
    if (!Object.keys(h).some((k) => k.toLowerCase() === 'origin')) h.Origin = base;
    init.body = typeof body === 'string' || body instanceof Uint8Array ? body : JSON.stringify(body);
  }
  if (cookie) h.Cookie = cookie;
  const res = await fetch(base + urlPath, init);
  const text = await res.text();
  let json = null;
  if (text && /json/i.test(res.headers.get('content-type') || '')) {
    try {
      json = JSON.parse(text);
    } catch {
      json = null;
    }
  }
  return { status: res.status, headers: res.headers, json, text, cookie: sessionCookie(res.headers) };
}

/** "rexin_session=<token>" from a response's Set-Cookie headers, or null. */
export function sessionCookie(headers) {
  const all = typeof headers.getSetCookie === 'function' ? headers.getSetCookie() : [headers.get('set-cookie') || ''];
  for (const c of all) {
    const m = /^\s*(rexin_session=[^;]*)/.exec(c || '');
    if (m) return m[1];
  }
  return null;
}

/** Signs in and returns the session cookie; throws unless the answer is 200. */
export async function login(base, loginName = ADMIN_USER, password = ADMIN_PASSWORD) {
  const res = await api(base, '/api/v1/session', { method: 'POST', body: { login: loginName, password } });
  if (res.status !== 200 || !res.cookie) {
    throw new Error(`login as ${loginName} answered ${res.status}: ${res.text}`);
  }
  return res.cookie;
}
