-- 0006_certificates: service record certificates (志愿服务记录证明) and the rate limit of
-- their public verification (DESIGN.md §2, issue "Reports, star levels, certificates").
--
-- A certificate is asked for (status 'requested') by the volunteer or by staff on their
-- behalf, from the unit that recorded the service (谁记录谁证明): a community, or a team of
-- it. Staff issue it: it then gets its number, sequential per issuer and year, and a frozen
-- snapshot of what it certifies (content, minutes, person_times). An issued certificate never
-- changes again except to be revoked, with a reason; a revoked one is final.
-- Portable SQL: no GLOB, no datetime(); times are unix seconds, dates YYYY-MM-DD text.

CREATE TABLE certificates (
  id               INTEGER PRIMARY KEY,
  person_id        INTEGER NOT NULL REFERENCES people(id),
  org_unit_id      INTEGER NOT NULL REFERENCES org_units(id), -- the issuing community (a team's community)
  team_id          INTEGER REFERENCES teams(id),              -- set when a team issues
  period_from      TEXT NOT NULL,           -- YYYY-MM-DD
  period_to        TEXT NOT NULL,           -- YYYY-MM-DD, inclusive
  itemised         INTEGER NOT NULL DEFAULT 0 CHECK (itemised IN (0,1)), -- list records, not only sums by category
  status           TEXT NOT NULL DEFAULT 'requested' CHECK (status IN ('requested','issued','revoked')),
  note             TEXT,                    -- what the requester asked for it (e.g. 入学, 评优)
  requested_by     INTEGER REFERENCES users(id),
  requested_at     INTEGER NOT NULL,
  issuer_key       TEXT,                    -- 'O12' or 'T7': whose counter numbered it
  seq_year         INTEGER,                 -- year of issue
  seq              INTEGER,                 -- 1, 2, ... per issuer_key and seq_year
  number           TEXT UNIQUE,             -- ZZ-O12-2026-000001
  minutes          INTEGER CHECK (minutes IS NULL OR minutes >= 0),
  person_times     INTEGER CHECK (person_times IS NULL OR person_times >= 0),
  content          TEXT,                    -- JSON snapshot of everything printed
  person_in_charge TEXT,                    -- 负责人 of the issuer
  handler          TEXT,                    -- 经办人
  issued_by        INTEGER REFERENCES users(id),
  issued_at        INTEGER,
  issued_on        TEXT,                    -- YYYY-MM-DD, Beijing date of issued_at
  revoked_at       INTEGER,
  revoked_by       INTEGER REFERENCES users(id),
  revoke_reason    TEXT,
  district_id      INTEGER,
  created_at       INTEGER NOT NULL,
  updated_at       INTEGER NOT NULL,
  CHECK (period_to >= period_from),
  CHECK (status = 'requested' OR (number IS NOT NULL AND seq IS NOT NULL AND content IS NOT NULL
         AND issued_at IS NOT NULL AND person_in_charge IS NOT NULL AND handler IS NOT NULL)),
  CHECK (status <> 'revoked' OR (revoked_at IS NOT NULL AND revoke_reason IS NOT NULL))
);
CREATE UNIQUE INDEX certificates_seq ON certificates(issuer_key, seq_year, seq) WHERE seq IS NOT NULL;
CREATE INDEX certificates_person ON certificates(person_id, id);
CREATE INDEX certificates_org ON certificates(org_unit_id, id);

-- What an issued certificate says is fixed; only revocation changes it, once.
CREATE TRIGGER certificates_issued_locked BEFORE UPDATE ON certificates
  WHEN OLD.status <> 'requested' AND (NEW.number IS NOT OLD.number OR NEW.content IS NOT OLD.content
    OR NEW.minutes IS NOT OLD.minutes OR NEW.person_times IS NOT OLD.person_times
    OR NEW.person_id <> OLD.person_id OR NEW.period_from <> OLD.period_from
    OR NEW.period_to <> OLD.period_to OR NEW.seq IS NOT OLD.seq OR NEW.issued_at IS NOT OLD.issued_at
    OR NEW.person_in_charge IS NOT OLD.person_in_charge OR NEW.handler IS NOT OLD.handler
    OR NEW.status = 'requested')
  BEGIN SELECT RAISE(ABORT, 'certificate_locked'); END;
CREATE TRIGGER certificates_revoked_final BEFORE UPDATE ON certificates
  WHEN OLD.status = 'revoked'
  BEGIN SELECT RAISE(ABORT, 'certificate_revoked'); END;
CREATE TRIGGER certificates_no_delete BEFORE DELETE ON certificates
  WHEN OLD.status <> 'requested'
  BEGIN SELECT RAISE(ABORT, 'certificate_locked'); END;

-- Sequence counters, one row per issuer and year; the issuing transaction bumps the row and
-- uses the value, so two issues never share a number (and the unique index checks it).
CREATE TABLE certificate_counters (
  issuer_key TEXT NOT NULL,
  year       INTEGER NOT NULL,
  last_seq   INTEGER NOT NULL,
  PRIMARY KEY (issuer_key, year)
);

-- Public verification look-ups per client address, for the rate limit (like login_attempts).
CREATE TABLE verify_attempts (
  id  INTEGER PRIMARY KEY,
  ip  TEXT NOT NULL,
  at  INTEGER NOT NULL
);
CREATE INDEX verify_attempts_ip ON verify_attempts(ip, at);
