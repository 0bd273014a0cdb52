// The one way the UI talks to the rexin API (/api/v1, same origin, session cookie).
//
// Every call resolves with the parsed JSON body (or null for 204) or rejects with an
// ApiError. Errors from the server are application/problem+json:
//   {type, title, status, detail, code, errors: [{field, code, message}]}
// and ApiError carries those fields so a form can put each message next to its field
// (see fieldErrors). title and messages are already in the language sent in
// Accept-Language, which follows the UI language.

import { currentLanguage } from '@/i18n';

export const API_BASE = '/api/v1';

export class ApiError extends Error {
  constructor({ status = 0, code = '', title = '', detail = '', type = '', errors = [], retryAfter = null } = {}) {
    super(detail || title || `HTTP ${status}`);
    this.name = 'ApiError';
    this.status = status; // HTTP status, 0 when the server could not be reached
    this.code = code; // stable machine code, e.g. "invalid_credentials"
    this.title = title; // short human message in the UI language
    this.detail = detail; // longer human message, may be empty
    this.type = type;
    this.errors = Array.isArray(errors) ? errors : []; // [{field, code, message}]
    this.retryAfter = retryAfter; // seconds from a Retry-After header, or null
  }

  /** The first message for each field, as {field: message}, for van-field :error-message. */
  fieldErrors() {
    const out = {};
    for (const e of this.errors) {
      if (e && e.field && !(e.field in out)) out[e.field] = e.message || e.code || '';
    }
    return out;
  }

  /** Whether some error names a field other than those given (so it has no place in the form). */
  hasFieldOutside(fields) {
    return this.errors.some((e) => e && e.field && !fields.includes(e.field));
  }
}

// Called on a 401 from any request that does not opt out (the router sends people to
// the login screen). Set once at start-up by the router.
let unauthorizedHandler = null;
export function onUnauthorized(fn) {
  unauthorizedHandler = fn;
}

function parseRetryAfter(value) {
  if (!value) return null;
  const s = value.trim();
  if (/^\d+$/.test(s)) return Number(s);
  const when = Date.parse(s);
  if (Number.isNaN(when)) return null;
  return Math.max(0, Math.ceil((when - Date.now()) / 1000));
}

function withQuery(path, query) {
  if (!query) return path;
  const params = new URLSearchParams();
  for (const [k, v] of Object.entries(query)) {
    if (v === undefined || v === null || v === '') continue;
    params.append(k, String(v));
  }
  const qs = params.toString();
  return qs ? `${path}${path.includes('?') ? '&' : '?'}${qs}` : path;
}

async function readBody(res) {
  const text = await res.text();
  if (!text) return null;
  const type = res.headers.get('content-type') || '';
  if (type.includes('json')) {
    try {
      return JSON.parse(text);
    } catch {
      return null;
    }
  }
  return null;
}

/**
 * request(method, path, {body, query, headers, signal, authRedirect})
 * path is relative to /api/v1 ("/me") unless it starts with "/api/".
 * authRedirect: false keeps a 401 from triggering the unauthorized handler (login, the guard).
 */
export async function request(method, path, options = {}) {
  const { body, query, headers = {}, signal, authRedirect = true } = options;
  const url = withQuery(path.startsWith('/api/') ? path : API_BASE + path, query);
  const init = {
    method,
    credentials: 'same-origin',
    headers: {
      Accept: 'application/json, application/problem+json',
      'Accept-Language': currentLanguage(),
      ...headers,
    },
    signal,
  };
  if (body !== undefined) {
    init.headers['Content-Type'] = 'application/json';
    init.body = JSON.stringify(body);
  }

  let res;
  try {
    res = await fetch(url, init);
  } catch (err) {
    if (err && err.name === 'AbortError') throw err;
    throw new ApiError({ status: 0, code: 'network', title: '' });
  }

  const data = await readBody(res);
  if (res.ok) return data;

  const problem = data && typeof data === 'object' ? data : {};
  const error = new ApiError({
    status: res.status,
    code: problem.code || '',
    title: problem.title || '',
    detail: problem.detail || '',
    type: problem.type || '',
    errors: problem.errors || [],
    retryAfter: parseRetryAfter(res.headers.get('retry-after')),
  });
  if (res.status === 401 && authRedirect && unauthorizedHandler) unauthorizedHandler(error);
  throw error;
}

export const api = {
  get: (path, opts) => request('GET', path, opts),
  post: (path, body, opts = {}) => request('POST', path, { ...opts, body: body ?? {} }),
  put: (path, body, opts = {}) => request('PUT', path, { ...opts, body: body ?? {} }),
  patch: (path, body, opts = {}) => request('PATCH', path, { ...opts, body: body ?? {} }),
  del: (path, opts) => request('DELETE', path, opts),
};

// Endpoints, one function each, so screens never build URLs themselves.
export const sessionApi = {
  login: (login, password) => api.post('/session', { login, password }, { authRedirect: false }),
  logout: () => api.del('/session', { authRedirect: false }),
  me: () => api.get('/me', { authRedirect: false }),
};

// ---------------------------------------------------------------- reports, certificates

const enc = (v) => encodeURIComponent(String(v));

function filenameOf(res) {
  const cd = res.headers.get('content-disposition') || '';
  const m = /filename\*=UTF-8''([^;]+)|filename="?([^";]+)"?/i.exec(cd);
  if (!m) return '';
  try {
    return decodeURIComponent(m[1] || m[2]);
  } catch {
    return m[1] || m[2];
  }
}

/**
 * download(path, {query, onProgress, signal}): fetches a file (an export, a PDF) with the
 * session cookie, reading it in chunks so the caller can show progress (onProgress(bytes,
 * total|null); a streamed CSV has no total). Resolves with {blob, filename, type};
 * rejects with an ApiError built from the problem+json the server sent instead.
 */
export async function download(path, { query, onProgress, signal } = {}) {
  const url = withQuery(path.startsWith('/api/') ? path : API_BASE + path, query);
  let res;
  try {
    res = await fetch(url, {
      credentials: 'same-origin',
      headers: { Accept: '*/*', 'Accept-Language': currentLanguage() },
      signal,
    });
  } catch (err) {
    if (err && err.name === 'AbortError') throw err;
    throw new ApiError({ status: 0, code: 'network' });
  }
  if (!res.ok) {
    const problem = (await readBody(res)) || {};
    const error = new ApiError({
      status: res.status,
      code: problem.code || '',
      title: problem.title || '',
      detail: problem.detail || '',
      type: problem.type || '',
      errors: problem.errors || [],
      retryAfter: parseRetryAfter(res.headers.get('retry-after')),
    });
    if (res.status === 401 && unauthorizedHandler) unauthorizedHandler(error);
    throw error;
  }
  const type = res.headers.get('content-type') || 'application/octet-stream';
  const total = Number(res.headers.get('content-length')) || null;
  const chunks = [];
  let got = 0;
  if (res.body && res.body.getReader) {
    const reader = res.body.getReader();
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      chunks.push(value);
      got += value.byteLength;
      if (onProgress) onProgress(got, total);
    }
  } else {
    const buf = await res.arrayBuffer();
    chunks.push(new Uint8Array(buf));
    got = buf.byteLength;
    if (onProgress) onProgress(got, total);
  }
  return { blob: new Blob(chunks, { type }), filename: filenameOf(res), type };
}

// Figures of a node (DESIGN.md §3): summary (with group_by=child), time series, rankings.
// `query` carries org_unit, from, to and the filters (category, team, party_member).
export const reportsApi = {
  summary: (query, opts) => api.get('/reports/summary', { ...opts, query }),
  timeseries: (query, opts) => api.get('/reports/timeseries', { ...opts, query }),
  rankings: (query, opts) => api.get('/reports/rankings', { ...opts, query }),
  starReached: (query, opts) => api.get('/star-levels/reached', { ...opts, query }),
  exportSummary: (query, format, opts = {}) => download('/reports/summary', { ...opts, query: { ...query, format } }),
};

// What the dashboard needs from the registry: a node, its categories, a team's size.
export const registryApi = {
  orgUnit: (orgId) => api.get(`/org-units/${enc(orgId)}`),
  team: (teamId) => api.get(`/teams/${enc(teamId)}`),
  teamSize: (teamId, query) => api.get(`/teams/${enc(teamId)}/size`, { query }),
  categories: (query) => api.get('/service-categories', { query: { limit: 200, ...query } }),
  myRecords: (query) => api.get('/records', { query: { limit: 200, ...query } }),
};

// Star levels and 志愿服务记录证明.
export const starApi = {
  get: (personId) => api.get(`/people/${enc(personId)}/star`),
};

export const certificatesApi = {
  list: (query) => api.get('/certificates', { query }),
  get: (certId) => api.get(`/certificates/${enc(certId)}`),
  request: (body) => api.post('/certificates', body),
  issue: (certId, body) => api.post(`/certificates/${enc(certId)}/issue`, body),
  revoke: (certId, reason) => api.post(`/certificates/${enc(certId)}/revoke`, { reason }),
  pdf: (certId, opts = {}) => download(`/certificates/${enc(certId)}.pdf`, opts),
};
