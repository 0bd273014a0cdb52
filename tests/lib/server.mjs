// server.mjs: start a real rexin on a free port with a fresh data dir, and call its API.
// startServer({env, args}) -> {url, dataDir, proc, stop()}; api(base, path, opts) ->
// {status, headers, json, text}. REXIN_BIN picks the binary (default build/rexin).
import { spawn, execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';

const repo = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
export const BIN = process.env.REXIN_BIN || join(repo, 'build', 'rexin');
export const ADMIN_PASSWORD = 'admin-test-pw-1';

export async function startServer({ env = {}, args = [] } = {}) {
  const dataDir = mkdtempSync(join(tmpdir(), 'rexin-test-'));
  const proc = spawn(BIN, ['serve', '--listen', '127.0.0.1:0', '--data', dataDir, ...args], {
    env: { ...process.env, REXIN_ADMIN_PASSWORD: ADMIN_PASSWORD, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  let err = '';
  proc.stderr.on('data', (d) => { err += d; });
  const url = await new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`rexin did not start:\n${out}\n${err}`)), 15000);
    proc.stdout.on('data', (d) => {
      out += d;
      const m = out.match(/listening on (http:\/\/[^\s]+)/);
      if (m) { clearTimeout(timer); resolve(m[1].replace(/\/$/, '')); }
    });
    proc.on('exit', (code) => { clearTimeout(timer); reject(new Error(`rexin exited ${code}:\n${out}\n${err}`)); });
  });
  const stop = async () => {
    if (proc.exitCode === null) {
      const done = new Promise((r) => proc.on('exit', r));
      proc.kill('SIGTERM');
      await done;
    }
    // Sanitizer findings (leaks are reported at exit) fail the run loudly.
    if (/Sanitizer|runtime error:/.test(err)) {
      process.stderr.write(err);
      process.exitCode = 1;
    }
    rmSync(dataDir, { recursive: true, force: true });
  };
  return { url, dataDir, proc, stop, stderr: () => err };
}

export async function api(base, path, { method = 'GET', body, cookie, headers = {} } = {}) {
  const h = { Origin: base, ...headers };
  if (cookie) h.Cookie = cookie;
  let payload;
  if (body !== undefined) {
    h['Content-Type'] = 'application/json';
    payload = typeof body === 'string' ? body : JSON.stringify(body);
  }
  const res = await fetch(base + path, { method, headers: h, body: payload });
  const text = await res.text();
  let json;
  try { json = text ? JSON.parse(text) : undefined; } catch { json = undefined; }
  return { status: res.status, headers: res.headers, json, text };
}

export async function login(base, user = 'admin', password = ADMIN_PASSWORD) {
  const r = await api(base, '/api/v1/session', { method: 'POST', body: { login: user, password } });
  if (r.status !== 200) throw new Error(`login ${user}: ${r.status} ${r.text}`);
  const m = (r.headers.get('set-cookie') || '').match(/(?:__Host-)?rexin_session=[^;]+/);
  return m[0];
}

// Runs the rexin CLI against the server's data dir.
export function cli(dataDir, args, env = {}) {
  return execFileSync(BIN, [...args, '--data', dataDir], { env: { ...process.env, ...env }, encoding: 'utf8' });
}

// Creates an account with one role over an org unit (id, code or name) and logs it in.
export async function userWithRole(srv, name, role, org, password = 'pw-' + name + '-123') {
  cli(srv.dataDir, ['user', 'add', name], { REXIN_PASSWORD: password });
  cli(srv.dataDir, ['user', 'grant', name, role, String(org)]);
  return login(srv.url, name, password);
}
