// The web client is checked against the OpenAPI document (STYLE.md rule 13): every call in
// web/src/api/client.js — api.get/post/put/patch/del, download (GET) and upload (POST) with a
// quoted or template-literal path — names a path and method that src/api/openapi.json
// documents, and every query parameter the call spells out literally is one the operation
// takes. No server: the client's source and the document are read as files.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { REPO_ROOT } from '../lib/server.mjs';

const CLIENT = path.join(REPO_ROOT, 'web/src/api/client.js');
const DOC = JSON.parse(fs.readFileSync(path.join(REPO_ROOT, 'src/api/openapi.json'), 'utf8'));
const API_BASE = '/api/v1';
const METHOD = { get: 'GET', post: 'POST', put: 'PUT', patch: 'PATCH', del: 'DELETE', download: 'GET', upload: 'POST' };

/** The calls in the client: [{method, template, query: [names], line}]. A `${…}` in a template
 * literal becomes `{}`; paths not under /api/ get the /api/v1 prefix, as request() does. */
export function clientCalls(source) {
  const out = [];
  const re = /\b(?:api\.(get|post|put|patch|del)|(download|upload))\(\s*(['"`])((?:(?!\3)[^\\]|\\.)*)\3/g;
  for (const m of source.matchAll(re)) {
    const fn = m[1] || m[2];
    // `download(path, …)` and `upload(path, …)` inside their own definitions take a variable
    if (!m[4].startsWith('/')) continue;
    let template = m[4].replace(/\$\{[^}]*\}/g, '{}');
    if (!template.startsWith('/api/')) template = API_BASE + template;
    const line = source.slice(0, m.index).split('\n').length;
    // the rest of the call on its line: a literal `query: { a: …, b, ...rest }`
    const rest = source.slice(m.index + m[0].length).split('\n')[0];
    const q = /\bquery:\s*\{([^}]*)\}/.exec(rest);
    const query = q
      ? q[1].split(',').map((s) => s.trim()).filter((s) => s && !s.startsWith('...')).map((s) => s.split(':')[0].trim())
      : [];
    out.push({ method: METHOD[fn], template, query, line });
  }
  return out;
}

/** Whether a client path template matches a documented path: literal segments equal, a `{}`
 * (with any fixed suffix, like `{}.pdf`) matches a `{param}` with the same suffix, or a
 * literal segment (the client's `${kind}` in /people/{id}/${kind}). */
export function matches(template, docPath) {
  const a = template.split('/');
  const b = docPath.split('/');
  if (a.length !== b.length) return false;
  return a.every((seg, i) => {
    const ca = /^\{\}(.*)$/.exec(seg);
    const cb = /^\{[^}]+\}(.*)$/.exec(b[i]);
    if (!ca) return cb ? false : seg === b[i];
    if (cb) return ca[1] === cb[1];
    return ca[1] === '' || b[i].endsWith(ca[1]);
  });
}

function operations(template, method) {
  return Object.entries(DOC.paths)
    .filter(([p, item]) => matches(template, p) && item[method.toLowerCase()])
    .map(([p, item]) => ({ path: p, op: item[method.toLowerCase()] }));
}

function queryNames(op) {
  const names = new Set();
  for (let p of op.parameters || []) {
    if (p.$ref) p = p.$ref.split('/').slice(1).reduce((o, k) => o[k], DOC);
    if (p.in === 'query') names.add(p.name);
  }
  return names;
}

test('the matcher: literal segments, parameters, suffixes', () => {
  assert.ok(matches('/api/v1/teams/{}/members', '/api/v1/teams/{id}/members'));
  assert.ok(matches('/api/v1/certificates/{}.pdf', '/api/v1/certificates/{id}.pdf'));
  assert.ok(!matches('/api/v1/certificates/{}.pdf', '/api/v1/certificates/{id}'));
  assert.ok(!matches('/api/v1/certificates/{}', '/api/v1/certificates/{id}.pdf'));
  assert.ok(matches('/api/v1/people/{}/{}', '/api/v1/people/{id}/training'));
  assert.ok(!matches('/api/v1/teams/{}/membres', '/api/v1/teams/{id}/members'));
  assert.ok(!matches('/api/v1/teams', '/api/v1/teams/{id}'));
  const calls = clientCalls("x = api.get(`/teams/${id(t)}/size`, { query: { from, to: 1, ...q } }); y = download('/api/openapi.json');");
  assert.deepEqual(calls.map((c) => [c.method, c.template, c.query]), [
    ['GET', '/api/v1/teams/{}/size', ['from', 'to']],
    ['GET', '/api/openapi.json', []],
  ]);
});

test('every path, method and literal query parameter the web client uses is in the OpenAPI document', () => {
  const calls = clientCalls(fs.readFileSync(CLIENT, 'utf8'));
  assert.ok(calls.length >= 60, `found ${calls.length} calls in client.js`);
  const missing = [];
  for (const c of calls) {
    const ops = operations(c.template, c.method);
    if (!ops.length) {
      missing.push(`client.js:${c.line} ${c.method} ${c.template}: no such operation`);
      continue;
    }
    for (const name of c.query) {
      if (!ops.some(({ op }) => queryNames(op).has(name))) {
        missing.push(`client.js:${c.line} ${c.method} ${c.template}: query parameter ${name} not documented`);
      }
    }
  }
  assert.deepEqual(missing, []);
});
