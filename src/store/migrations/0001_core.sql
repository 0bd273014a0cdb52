-- 0001_core: organisation tree, minimal people, accounts, sessions, tokens, audit.
-- Times are unix seconds (INTEGER). Each migration runs in one transaction.

CREATE TABLE org_units (
  id          INTEGER PRIMARY KEY,
  parent_id   INTEGER REFERENCES org_units(id),
  kind        TEXT NOT NULL CHECK (kind IN ('city','district','street','community','venue')),
  name        TEXT NOT NULL CHECK (length(name) BETWEEN 1 AND 100),
  code        TEXT UNIQUE CHECK (code IS NULL OR (length(code) = 12 AND code NOT GLOB '*[^0-9]*')),
  path        TEXT NOT NULL,          -- '/1/5/9/': ancestors and self, for subtree queries
  district_id INTEGER,                -- the district this node is in (distribution key), NULL above
  created_at  INTEGER NOT NULL,
  updated_at  INTEGER NOT NULL
);
CREATE INDEX org_units_parent ON org_units(parent_id);
CREATE INDEX org_units_path ON org_units(path);

CREATE TABLE people (
  id          INTEGER PRIMARY KEY,
  org_unit_id INTEGER REFERENCES org_units(id),   -- home community
  name        TEXT NOT NULL CHECK (length(name) BETWEEN 1 AND 64),
  created_at  INTEGER NOT NULL,
  updated_at  INTEGER NOT NULL
);
CREATE INDEX people_org ON people(org_unit_id);

CREATE TABLE users (
  id            INTEGER PRIMARY KEY,
  username      TEXT NOT NULL UNIQUE CHECK (length(username) BETWEEN 2 AND 64),
  phone         TEXT UNIQUE,
  display_name  TEXT NOT NULL,
  person_id     INTEGER REFERENCES people(id),
  password_hash TEXT NOT NULL,
  disabled      INTEGER NOT NULL DEFAULT 0,
  created_at    INTEGER NOT NULL,
  updated_at    INTEGER NOT NULL
);

CREATE TABLE role_grants (
  id          INTEGER PRIMARY KEY,
  user_id     INTEGER NOT NULL REFERENCES users(id),
  role        TEXT NOT NULL CHECK (role IN ('resident','volunteer','team_leader','social_worker',
                'community_admin','street_admin','district_admin','city_admin','auditor')),
  org_unit_id INTEGER NOT NULL REFERENCES org_units(id),
  created_at  INTEGER NOT NULL,
  UNIQUE (user_id, role, org_unit_id)
);

CREATE TABLE sessions (
  id          INTEGER PRIMARY KEY,
  token_hash  TEXT NOT NULL UNIQUE,
  user_id     INTEGER NOT NULL REFERENCES users(id),
  created_at  INTEGER NOT NULL,
  last_seen   INTEGER NOT NULL,
  expires_at  INTEGER NOT NULL,      -- absolute expiry
  ip          TEXT,
  user_agent  TEXT
);
CREATE INDEX sessions_user ON sessions(user_id);

CREATE TABLE api_tokens (
  id          INTEGER PRIMARY KEY,
  token_hash  TEXT NOT NULL UNIQUE,
  user_id     INTEGER NOT NULL REFERENCES users(id),
  name        TEXT NOT NULL,
  created_at  INTEGER NOT NULL,
  revoked_at  INTEGER
);

CREATE TABLE login_attempts (
  id     INTEGER PRIMARY KEY,
  login  TEXT NOT NULL,
  ip     TEXT NOT NULL,
  at     INTEGER NOT NULL,
  ok     INTEGER NOT NULL
);
CREATE INDEX login_attempts_login ON login_attempts(login, at);
CREATE INDEX login_attempts_ip ON login_attempts(ip, at);

CREATE TABLE idempotency_keys (
  user_id    INTEGER NOT NULL,
  key        TEXT NOT NULL,
  method     TEXT NOT NULL,
  path       TEXT NOT NULL,
  status     INTEGER NOT NULL,
  location   TEXT,
  body       TEXT NOT NULL,
  created_at INTEGER NOT NULL,
  PRIMARY KEY (user_id, key)
);

CREATE TABLE audit_log (
  id         INTEGER PRIMARY KEY,
  at         INTEGER NOT NULL,
  user_id    INTEGER,
  ip         TEXT,
  action     TEXT NOT NULL,        -- e.g. 'create', 'update', 'delete', 'login', 'reveal_id'
  entity     TEXT NOT NULL,        -- e.g. 'session', 'person', 'org_unit'
  entity_id  INTEGER,
  detail     TEXT                  -- JSON: what changed
);
CREATE INDEX audit_entity ON audit_log(entity, entity_id);
CREATE TRIGGER audit_no_update BEFORE UPDATE ON audit_log
  BEGIN SELECT RAISE(ABORT, 'audit_log_append_only'); END;
CREATE TRIGGER audit_no_delete BEFORE DELETE ON audit_log
  BEGIN SELECT RAISE(ABORT, 'audit_log_append_only'); END;
