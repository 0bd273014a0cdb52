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
  constructor({ status = 0, code = '', title = '', detail = '', type = '', errors = [], retryAfter = null, body = null } = {}) {
    super(detail || title || `HTTP ${status}`);
    this.name = 'ApiError';
    this.status = status; // HTTP status, 0 when the server could not be reached
    this.code = code; // stable machine code, e.g. "invalid_credentials"
    this.title = title; // short human message in the UI language
    this.detail = detail; // longer human message, may be empty
    this.type = type;
    this.errors = Array.isArray(errors) ? errors : []; // [{field, code, message}]
    this.retryAfter = retryAfter; // seconds from a Retry-After header, or null
    this.body = body; // the whole problem object (some carry more: candidates, report ...)
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

async function readBody(res, as) {
  const text = await res.text();
  if (as === 'text' && res.ok) return text;
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
 * request(method, path, {body, query, headers, signal, authRedirect, as})
 * path is relative to /api/v1 ("/me") unless it starts with "/api/".
 * authRedirect: false keeps a 401 from triggering the unauthorized handler (login, the guard).
 * as: 'text' resolves with the body as text (an SVG, say); errors are still problem+json.
 */
export async function request(method, path, options = {}) {
  const { body, query, headers = {}, signal, authRedirect = true, as = 'json' } = options;
  const url = withQuery(path.startsWith('/api/') ? path : API_BASE + path, query);
  const init = {
    method,
    credentials: 'same-origin',
    headers: {
      Accept: as === 'text' ? '*/*' : 'application/json, application/problem+json',
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

  const data = await readBody(res, as);
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
    body: data && typeof data === 'object' ? data : null,
  });
  if (res.status === 401 && authRedirect && unauthorizedHandler) unauthorizedHandler(error);
  throw error;
}

function problemError(status, data, retryAfter) {
  const problem = data && typeof data === 'object' ? data : {};
  return new ApiError({
    status,
    code: problem.code || '',
    title: problem.title || '',
    detail: problem.detail || '',
    type: problem.type || '',
    errors: problem.errors || [],
    retryAfter,
    body: data && typeof data === 'object' ? data : null,
  });
}

/**
 * Sends a file as the request body (not a form), reporting upload progress:
 * upload(path, file, {query, onProgress(fraction 0..1), signal}). XMLHttpRequest, because
 * fetch cannot report how much of a body has gone. Resolves/rejects like request().
 */
export function upload(path, file, { query, onProgress, signal } = {}) {
  const url = withQuery(path.startsWith('/api/') ? path : API_BASE + path, query);
  return new Promise((resolve, reject) => {
    const xhr = new XMLHttpRequest();
    xhr.open('POST', url);
    xhr.withCredentials = true;
    xhr.setRequestHeader('Accept', 'application/json, application/problem+json');
    xhr.setRequestHeader('Accept-Language', currentLanguage());
    const type = file.type || (/\.xlsx$/i.test(file.name || '') ? XLSX_TYPE : 'text/csv');
    xhr.setRequestHeader('Content-Type', type);
    xhr.upload.onprogress = (e) => {
      if (onProgress && e.lengthComputable) onProgress(e.total ? e.loaded / e.total : 1);
    };
    xhr.onload = () => {
      let data = null;
      if (xhr.responseText && /json/.test(xhr.getResponseHeader('content-type') || '')) {
        try {
          data = JSON.parse(xhr.responseText);
        } catch {
          data = null;
        }
      }
      if (xhr.status >= 200 && xhr.status < 300) return resolve(data);
      const err = problemError(xhr.status, data, parseRetryAfter(xhr.getResponseHeader('retry-after')));
      if (xhr.status === 401 && unauthorizedHandler) unauthorizedHandler(err);
      reject(err);
    };
    xhr.onerror = () => reject(new ApiError({ status: 0, code: 'network' }));
    xhr.onabort = () => reject(new DOMException('aborted', 'AbortError'));
    if (signal) signal.addEventListener('abort', () => xhr.abort(), { once: true });
    xhr.send(file);
  });
}
const XLSX_TYPE = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

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

// Org units (the tree of city, districts, streets, communities and venues).
export const orgApi = {
  list: (query) => api.get('/org-units', { query }),
  get: (id) => api.get(`/org-units/${id}`),
  children: (id, query) => api.get(`/org-units/${id}/children`, { query }),
  subtreeFlat: (id, maxDepth) => api.get(`/org-units/${id}/subtree`, { query: { format: 'flat', max_depth: maxDepth } }),
  create: (body) => api.post('/org-units', body),
  update: (id, body) => api.patch(`/org-units/${id}`, body),
  remove: (id) => api.del(`/org-units/${id}`),
};

// Party branches (党支部 / 党总支 / 党委), their members and team assignment proposals.
export const branchApi = {
  list: (query) => api.get('/party-branches', { query }),
  get: (id) => api.get(`/party-branches/${id}`),
  create: (body) => api.post('/party-branches', body),
  update: (id, body) => api.patch(`/party-branches/${id}`, body),
  remove: (id) => api.del(`/party-branches/${id}`),
  members: (id, query) => api.get(`/party-branches/${id}/members`, { query }),
  proposals: (id) => api.post(`/party-branches/${id}/assignment-proposals`, {}),
  acceptProposals: (id, body) => api.post(`/party-branches/${id}/assignment-proposals/accept`, body),
};

export const categoryApi = {
  list: (query) => api.get('/service-categories', { query }),
};

// Volunteer teams, their members and their size over time.
export const teamApi = {
  list: (query) => api.get('/teams', { query }),
  get: (id) => api.get(`/teams/${id}`),
  create: (body) => api.post('/teams', body),
  update: (id, body) => api.patch(`/teams/${id}`, body),
  remove: (id) => api.del(`/teams/${id}`),
  members: (id, query) => api.get(`/teams/${id}/members`, { query }),
  addMember: (id, body) => api.post(`/teams/${id}/members`, body),
  updateMember: (id, memberId, body) => api.patch(`/teams/${id}/members/${memberId}`, body),
  size: (id, query) => api.get(`/teams/${id}/size`, { query }),
};

// People. The list answers 404 on a server without the people module; peopleApi.available()
// asks once and remembers, so pickers can fall back to typing a person's number.
let peopleAvailable = null;
export const peopleApi = {
  list: (query) => api.get('/people', { query }),
  get: (id) => api.get(`/people/${id}`),
  create: (body) => api.post('/people', body),
  update: (id, body) => api.patch(`/people/${id}`, body),
  revealId: (id, reason) => api.post(`/people/${id}/reveal-id`, { reason }),
  registerVolunteer: (id, body) => api.post(`/people/${id}/volunteer`, body),
  setPartyMembership: (id, body) => api.put(`/people/${id}/party-membership`, body),
  partyMemberships: (id) => api.get(`/people/${id}/party-memberships`),
  /** Import a CSV or .xlsx file into a community: {community, dry_run, skip_invalid}. */
  importFile: (file, query, opts = {}) => upload('/imports/people', file, { query, ...opts }),
  async available() {
    if (peopleAvailable !== null) return peopleAvailable;
    try {
      await api.get('/people', { query: { limit: 1 } });
      peopleAvailable = true;
    } catch (err) {
      if (err.status === 404 || err.status === 405) peopleAvailable = false;
      else return false; // not allowed or not reachable now: ask again next time
    }
    return peopleAvailable;
  },
};

// Activities, sign-ups, attendance (volunteers and the leaders who run them).
const id = (v) => encodeURIComponent(String(v));
export const activitiesApi = {
  list: (query, opts) => api.get('/activities', { ...opts, query }),
  get: (activityId) => api.get(`/activities/${id(activityId)}`),
  create: (body) => api.post('/activities', body),
  update: (activityId, body, scope) => api.patch(`/activities/${id(activityId)}`, body, { query: { scope } }),
  cancel: (activityId, reason, scope) => api.post(`/activities/${id(activityId)}/cancel`, { reason }, { query: { scope } }),
  finish: (activityId, body) => api.post(`/activities/${id(activityId)}/finish`, body || {}),
  series: (seriesId) => api.get(`/activity-series/${id(seriesId)}`),
  signups: (activityId, query) => api.get(`/activities/${id(activityId)}/signups`, { query }),
  signUp: (activityId, body, idempotencyKey) =>
    api.post(`/activities/${id(activityId)}/signups`, body || {}, {
      headers: idempotencyKey ? { 'Idempotency-Key': idempotencyKey } : {},
    }),
  cancelSignup: (activityId, signupId) => api.del(`/activities/${id(activityId)}/signups/${id(signupId)}`),
  mySignups: (query) => api.get('/me/signups', { query }),
  checkinCode: (activityId) => api.get(`/activities/${id(activityId)}/checkin-code`, { query: { format: 'json' } }),
  checkinCodeSvg: (activityId) => api.get(`/activities/${id(activityId)}/checkin-code`, { as: 'text' }),
  checkin: (activityId, token) => api.post(`/activities/${id(activityId)}/checkin`, { token }),
  attendance: (activityId) => api.get(`/activities/${id(activityId)}/attendance`),
  mark: (activityId, body) => api.post(`/activities/${id(activityId)}/attendance`, body),
  confirmRecords: (activityId, includeFlagged) =>
    api.post(`/activities/${id(activityId)}/records/confirm`, { include_flagged: !!includeFlagged }),
};

// Service records, their history and corrections; the volunteer's Art. 19 file.
export const recordsApi = {
  list: (query) => api.get('/records', { query }),
  get: (recordId) => api.get(`/records/${id(recordId)}`),
  confirm: (recordId) => api.post(`/records/${id(recordId)}/confirm`, {}),
  reject: (recordId, reason) => api.post(`/records/${id(recordId)}/reject`, { reason }),
  history: (recordId) => api.get(`/records/${id(recordId)}/history`),
  corrections: (recordId) => api.get(`/records/${id(recordId)}/corrections`),
  fileCorrection: (recordId, body) => api.post(`/records/${id(recordId)}/corrections`, body),
  decideCorrection: (recordId, correctionId, decision, reason) =>
    api.post(`/records/${id(recordId)}/corrections/${id(correctionId)}/decision`, reason ? { decision, reason } : { decision }),
  personFile: (personId, kind) => api.get(`/people/${id(personId)}/${kind}`),
  star: (personId) => api.get(`/people/${id(personId)}/star`),
};

// What the activity screens need from the registry: places, categories, teams.
export const lookupApi = {
  orgUnits: (query) => api.get('/org-units', { query: { limit: 200, ...query } }),
  categories: (query) => api.get('/service-categories', { query: { limit: 200, ...query } }),
  teams: (query) => api.get('/teams', { query: { limit: 200, ...query } }),
  teamMembers: (teamId) => api.get(`/teams/${id(teamId)}/members`),
};

// Residents' requests for help (点单 · 派单 · 接单 · 评单): one POST per transition.
export const helpApi = {
  list: (query) => api.get('/help-requests', { query }),
  get: (requestId) => api.get(`/help-requests/${id(requestId)}`),
  create: (body) => api.post('/help-requests', body),
  events: (requestId) => api.get(`/help-requests/${id(requestId)}/events`),
  suggestions: (requestId, query) => api.get(`/help-requests/${id(requestId)}/suggestions`, { query }),
  stats: (query) => api.get('/help-requests/stats', { query }),
  /** dispatch(id, {person_id} | {team_id}, note) */
  dispatch: (requestId, to, note) => api.post(`/help-requests/${id(requestId)}/dispatch`, note ? { ...to, note } : to),
  open: (requestId, note) => api.post(`/help-requests/${id(requestId)}/open`, note ? { note } : {}),
  accept: (requestId) => api.post(`/help-requests/${id(requestId)}/accept`, {}),
  decline: (requestId, reason) => api.post(`/help-requests/${id(requestId)}/decline`, { reason }),
  start: (requestId) => api.post(`/help-requests/${id(requestId)}/start`, {}),
  /** done(id, {time: [{person_id, minutes, people_served}], outcome}) */
  done: (requestId, body) => api.post(`/help-requests/${id(requestId)}/done`, body),
  cancel: (requestId, reason) => api.post(`/help-requests/${id(requestId)}/cancel`, reason ? { reason } : {}),
  close: (requestId, reason) => api.post(`/help-requests/${id(requestId)}/close`, { reason }),
  rate: (requestId, stars, comment) => api.post(`/help-requests/${id(requestId)}/rate`, comment ? { stars, comment } : { stars }),
};

// The in-app inbox (消息) of the signed-in account.
export const inboxApi = {
  list: (query) => api.get('/inbox', { query }),
  unreadCount: () => api.get('/inbox/unread-count'),
  read: (noteId) => api.post(`/inbox/${id(noteId)}/read`, {}),
  readAll: () => api.post('/inbox/read-all', {}),
};

// Two records of one person made one: everything of the loser moves to the survivor.
export const mergeApi = {
  merge: (survivorId, loserId, keepSurvivorVolunteerNo) =>
    api.post('/people/merge', {
      survivor_id: survivorId,
      loser_id: loserId,
      ...(keepSurvivorVolunteerNo ? { keep_survivor_volunteer_no: true } : {}),
    }),
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
    const error = problemError(res.status, await readBody(res), parseRetryAfter(res.headers.get('retry-after')));
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
