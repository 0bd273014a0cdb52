#!/usr/bin/env node
// A stand-in for `rexin serve` that speaks the session part of the API contract, for
// working on the web UI (and its browser test) without the C server:
//
//   REXIN_BIN=tests/lib/mock-rexin.mjs node --test tests/e2e/
//   node tests/lib/mock-rexin.mjs serve --listen 127.0.0.1:8080   # then npm run dev:web
//
// It serves web/dist with the history-mode fallback, and in memory:
//   POST /api/v1/session {"login","password"}  -> 200 {user} + Set-Cookie rexin_session
//   DELETE /api/v1/session -> 204;  GET /api/v1/me -> 200 or 401;  GET /healthz -> 200
// Errors are application/problem+json in the language of Accept-Language; writes need
// Content-Type: application/json (415) and a matching Origin (403); five failed sign-ins
// in a row answer 429 with Retry-After. It is not the product: the real server is the
// reference, and the tests must pass against it.
import http from 'node:http';
import fs from 'node:fs';
import path from 'node:path';
import crypto from 'node:crypto';
import { fileURLToPath } from 'node:url';

const repo = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

function parseArgs(argv) {
  const opts = { listen: '127.0.0.1:8080', web: path.join(repo, 'web/dist'), data: null };
  const [cmd, ...rest] = argv;
  if (cmd !== 'serve') {
    console.error('usage: mock-rexin.mjs serve [--listen HOST:PORT] [--data DIR] [--web DIR]');
    process.exit(2);
  }
  for (let i = 0; i < rest.length; i++) {
    const a = rest[i];
    if (a === '--listen') opts.listen = rest[++i];
    else if (a === '--data') opts.data = rest[++i];
    else if (a === '--web') opts.web = rest[++i];
  }
  return opts;
}

const opts = parseArgs(process.argv.slice(2));
const adminPassword = process.env.REXIN_ADMIN_PASSWORD || 'admin';

const USERS = [
  {
    id: 1,
    username: 'admin',
    phone: '13800000000',
    password: adminPassword,
    display_name: '系统管理员',
    person_id: 1,
    roles: [{ role: 'city_admin', org_unit_id: 1, org_unit_name: '郑州市' }],
  },
  {
    id: 2,
    username: 'zhoushuzhi',
    phone: '13900000001',
    password: 'volunteer-pw-1',
    display_name: '周淑枝',
    person_id: 2,
    roles: [
      { role: 'team_leader', org_unit_id: 41, org_unit_name: '荣华社区 · 党员老妈妈服务队' },
      { role: 'volunteer', org_unit_id: 40, org_unit_name: '荣华社区' },
    ],
  },
];

const sessions = new Map(); // token -> user id
const failures = new Map(); // login -> {count, until}

const TEXT = {
  'zh-CN': {
    invalid_credentials: '用户名或密码错误',
    validation: '请求参数有误',
    required: '必填',
    unauthenticated: '请先登录',
    too_many: '尝试次数过多，请稍后重试',
    unsupported: '请求内容类型必须为 application/json',
    bad_origin: '请求来源不被允许',
    not_found: '接口不存在',
    bad_json: '请求体不是合法的 JSON',
  },
  en: {
    invalid_credentials: 'Incorrect username or password',
    validation: 'Invalid request',
    required: 'Required',
    unauthenticated: 'Please sign in',
    too_many: 'Too many attempts, try again later',
    unsupported: 'Content-Type must be application/json',
    bad_origin: 'Origin not allowed',
    not_found: 'No such endpoint',
    bad_json: 'Request body is not valid JSON',
  },
};

function lang(req) {
  return /^\s*en\b/i.test(req.headers['accept-language'] || '') ? 'en' : 'zh-CN';
}

function send(res, status, body, headers = {}) {
  const data = body === undefined ? '' : JSON.stringify(body);
  res.writeHead(status, {
    'Content-Type': 'application/json; charset=utf-8',
    'Cache-Control': 'no-store',
    ...headers,
  });
  res.end(data);
}

function problem(req, res, status, code, key, errors = [], headers = {}) {
  const title = TEXT[lang(req)][key] || key;
  send(res, status, { type: 'about:blank', title, status, detail: '', code, errors }, {
    ...headers,
    'Content-Type': 'application/problem+json; charset=utf-8',
  });
}

function cookieToken(req) {
  const m = /(?:^|;\s*)rexin_session=([^;]+)/.exec(req.headers.cookie || '');
  return m ? m[1] : null;
}

function currentUser(req) {
  const tok = cookieToken(req);
  const id = tok && sessions.get(tok);
  return id ? USERS.find((u) => u.id === id) : null;
}

function readJson(req) {
  return new Promise((resolve, reject) => {
    const chunks = [];
    let size = 0;
    req.on('data', (c) => {
      size += c.length;
      if (size > 65536) reject(new Error('too big'));
      else chunks.push(c);
    });
    req.on('end', () => {
      try {
        resolve(JSON.parse(Buffer.concat(chunks).toString('utf8') || 'null'));
      } catch (e) {
        reject(e);
      }
    });
    req.on('error', reject);
  });
}

function writeGuard(req, res) {
  const type = req.headers['content-type'] || '';
  if (req.method !== 'DELETE' && !/^application\/json\b/i.test(type)) {
    problem(req, res, 415, 'unsupported_media_type', 'unsupported');
    return false;
  }
  const origin = req.headers.origin;
  if (origin && origin !== `http://${req.headers.host}`) {
    problem(req, res, 403, 'bad_origin', 'bad_origin');
    return false;
  }
  return true;
}

async function api(req, res, url) {
  const p = url.pathname;
  if (p === '/api/v1/session' && req.method === 'POST') {
    if (!writeGuard(req, res)) return;
    let body;
    try {
      body = await readJson(req);
    } catch {
      return problem(req, res, 400, 'bad_json', 'bad_json');
    }
    const loginName = typeof body?.login === 'string' ? body.login.trim() : '';
    const password = typeof body?.password === 'string' ? body.password : '';
    const errs = [];
    const req_ = TEXT[lang(req)].required;
    if (!loginName) errs.push({ field: 'login', code: 'required', message: req_ });
    if (!password) errs.push({ field: 'password', code: 'required', message: req_ });
    if (errs.length) return problem(req, res, 400, 'validation_failed', 'validation', errs);

    const f = failures.get(loginName) || { count: 0, until: 0 };
    if (f.until > Date.now()) {
      const wait = Math.ceil((f.until - Date.now()) / 1000);
      return problem(req, res, 429, 'too_many_attempts', 'too_many', [], { 'Retry-After': String(wait) });
    }
    const user = USERS.find((u) => u.username === loginName || u.phone === loginName);
    if (!user || user.password !== password) {
      f.count += 1;
      if (f.count >= 5) {
        f.count = 0;
        f.until = Date.now() + 60_000;
      }
      failures.set(loginName, f);
      return problem(req, res, 401, 'invalid_credentials', 'invalid_credentials');
    }
    failures.delete(loginName);
    const token = crypto.randomBytes(24).toString('base64url');
    sessions.set(token, user.id);
    return send(
      res,
      200,
      { user: { id: user.id, username: user.username, display_name: user.display_name } },
      { 'Set-Cookie': `rexin_session=${token}; Path=/; HttpOnly; SameSite=Lax` },
    );
  }
  if (p === '/api/v1/session' && req.method === 'DELETE') {
    if (!writeGuard(req, res)) return;
    const tok = cookieToken(req);
    if (!tok || !sessions.has(tok)) return problem(req, res, 401, 'unauthenticated', 'unauthenticated');
    sessions.delete(tok);
    res.writeHead(204, { 'Set-Cookie': 'rexin_session=; Path=/; HttpOnly; SameSite=Lax; Max-Age=0' });
    return res.end();
  }
  if (p === '/api/v1/me' && req.method === 'GET') {
    const user = currentUser(req);
    if (!user) return problem(req, res, 401, 'unauthenticated', 'unauthenticated');
    const { id, username, display_name, person_id, roles } = user;
    return send(res, 200, { id, username, display_name, person_id, roles });
  }
  return problem(req, res, 404, 'not_found', 'not_found');
}

const MIME = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.json': 'application/json',
  '.woff2': 'font/woff2',
};

function serveStatic(req, res, url) {
  const root = path.resolve(opts.web);
  let rel = decodeURIComponent(url.pathname);
  let file = path.resolve(root, '.' + rel);
  if (!file.startsWith(root)) file = path.join(root, 'index.html');
  let stat = fs.existsSync(file) ? fs.statSync(file) : null;
  if (!stat || stat.isDirectory()) {
    // History-mode fallback: unknown non-API paths get the app shell, but a missing
    // asset (a path with a file extension) is a plain 404.
    if (path.extname(rel) && rel !== '/') {
      res.writeHead(404, { 'Content-Type': 'text/plain' });
      return res.end('not found');
    }
    file = path.join(root, 'index.html');
    if (!fs.existsSync(file)) {
      res.writeHead(503, { 'Content-Type': 'text/plain' });
      return res.end('web/dist is not built: npm run build:web');
    }
  }
  const ext = path.extname(file);
  res.writeHead(200, {
    'Content-Type': MIME[ext] || 'application/octet-stream',
    'Cache-Control': rel.startsWith('/assets/') ? 'public, max-age=31536000, immutable' : 'no-cache',
  });
  fs.createReadStream(file).pipe(res);
}

const server = http.createServer((req, res) => {
  const url = new URL(req.url, 'http://x');
  if (url.pathname === '/healthz') return send(res, 200, { status: 'ok' });
  if (url.pathname.startsWith('/api/')) {
    return api(req, res, url).catch((e) => {
      console.error(e);
      if (!res.headersSent) send(res, 500, { title: 'internal error', status: 500 });
    });
  }
  if (req.method !== 'GET' && req.method !== 'HEAD') {
    res.writeHead(405);
    return res.end();
  }
  return serveStatic(req, res, url);
});

const [host, port] = opts.listen.split(/:(?=\d+$)/);
server.listen(Number(port), host, () => {
  const addr = server.address();
  console.log(`rexin (mock) listening on http://${addr.address}:${addr.port}`);
});

function shutdown() {
  server.close(() => process.exit(0));
  server.closeAllConnections?.();
  setTimeout(() => process.exit(0), 1000).unref();
}
process.on('SIGTERM', shutdown);
process.on('SIGINT', shutdown);
