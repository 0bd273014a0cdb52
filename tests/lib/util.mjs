// Small helpers for API tests that go below fetch: the rexin CLI, raw sockets, waiting.
import { spawn } from 'node:child_process';
import net from 'node:net';
import { rexinBin } from './server.mjs';

export const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

/** Runs `rexin ...args` and resolves to {code, stdout, stderr}. */
export function rexin(args, { env = {}, input = null, timeoutMs = 20_000 } = {}) {
  return new Promise((resolve, reject) => {
    const p = spawn(rexinBin(), args, {
      env: { ...process.env, ...env },
      stdio: [input === null ? 'ignore' : 'pipe', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    p.stdout.setEncoding('utf8').on('data', (c) => (stdout += c));
    p.stderr.setEncoding('utf8').on('data', (c) => (stderr += c));
    if (input !== null) p.stdin.end(input);
    const timer = setTimeout(() => {
      p.kill('SIGKILL');
      reject(new Error(`rexin ${args.join(' ')}: no exit after ${timeoutMs} ms`));
    }, timeoutMs);
    p.once('error', reject);
    p.once('exit', (code, signal) => {
      clearTimeout(timer);
      resolve({ code, signal, stdout, stderr });
    });
  });
}

/** Creates an account through the CLI (optionally with a phone and roles: [[role, org], ...]). */
export async function addUser(dataDir, name, password, { phone = null, roles = [] } = {}) {
  const args = ['user', 'add', name, '--data', dataDir];
  if (phone) args.push(`--phone=${phone}`);
  const r = await rexin(args, { env: { REXIN_PASSWORD: password } });
  if (r.code !== 0) throw new Error(`user add ${name}: ${r.code} ${r.stderr}`);
  for (const [role, org] of roles) {
    const g = await rexin(['user', 'grant', name, role, org, '--data', dataDir]);
    if (g.code !== 0) throw new Error(`user grant ${name} ${role} ${org}: ${g.code} ${g.stderr}`);
  }
}

/** A connected raw TCP socket to the server at base, with everything it receives. */
export function rawSocket(base) {
  const u = new URL(base);
  return new Promise((resolve, reject) => {
    const s = net.connect({ host: u.hostname, port: Number(u.port) });
    const state = { socket: s, data: '', closed: false, closedAt: 0 };
    s.setEncoding('latin1');
    s.on('data', (c) => (state.data += c));
    s.on('error', () => {});
    s.once('close', () => {
      state.closed = true;
      state.closedAt = Date.now();
    });
    s.once('connect', () => resolve(state));
    s.once('error', reject);
  });
}

/** Splits raw HTTP/1.1 text into complete responses [{status, headers, body}] (Content-Length only). */
export function parseResponses(text) {
  const out = [];
  let rest = text;
  for (;;) {
    const end = rest.indexOf('\r\n\r\n');
    if (end < 0) break;
    const head = rest.slice(0, end).split('\r\n');
    const status = Number(head[0].split(' ')[1]);
    const headers = {};
    for (const line of head.slice(1)) {
      const i = line.indexOf(':');
      headers[line.slice(0, i).trim().toLowerCase()] = line.slice(i + 1).trim();
    }
    if (status === 100) {
      rest = rest.slice(end + 4);
      continue;
    }
    const len = Number(headers['content-length'] || 0);
    if (rest.length < end + 4 + len) break;
    out.push({ status, headers, body: rest.slice(end + 4, end + 4 + len) });
    rest = rest.slice(end + 4 + len);
  }
  return out;
}

/** Waits until cond() is true (polling), or throws after ms. */
export async function waitFor(cond, ms = 5000, what = 'condition') {
  const t0 = Date.now();
  for (;;) {
    if (await cond()) return;
    if (Date.now() - t0 > ms) throw new Error(`timed out waiting for ${what}`);
    await sleep(20);
  }
}
