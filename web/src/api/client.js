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
