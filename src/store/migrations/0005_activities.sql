-- 0005_activities: activities and their weekly series, sign-ups with a waitlist, attendance
-- (QR and by hand), service records with versions and corrections, the rollups reports read,
-- the volunteer's other Art. 19 records, and notifications (DESIGN.md §2-3).
--
-- The invariants live here as well as in C (handlers.md):
--   * capacity: activities.places_taken counts sign-ups holding a place (confirmed, attended,
--     no_show), kept by triggers on signups; a trigger RAISEs capacity_full when it would
--     pass capacity. The counter is one row every sign-up writes, so on PostgreSQL two
--     concurrent sign-ups serialise on its row lock and the second one sees the first.
--   * no overlap: a person holds a place in at most one of any set of overlapping activities.
--   * locked records: a confirmed record changes only through an accepted correction that
--     names the new version; nothing is ever deleted; every version is copied into
--     record_versions by trigger.
--   * rollups: confirmed records are summed into the rollup tables by triggers, in the same
--     transaction that confirms, corrects (subtract the old, add the new) or moves them.
-- Portable SQL: no GLOB, no datetime(); times are unix seconds, dates YYYY-MM-DD text.

CREATE TABLE activity_series (
  id          INTEGER PRIMARY KEY,
  team_id     INTEGER NOT NULL REFERENCES teams(id),
  org_unit_id INTEGER NOT NULL REFERENCES org_units(id),
  weekdays    TEXT NOT NULL,        -- JSON array of ISO weekdays, 1 = Monday .. 7 = Sunday
  start_time  TEXT NOT NULL,        -- HH:MM, Beijing time
  end_time    TEXT NOT NULL,        -- HH:MM; not after start_time means the next day
  first_date  TEXT NOT NULL,        -- YYYY-MM-DD
  until_date  TEXT NOT NULL,        -- YYYY-MM-DD, inclusive
  created_by  INTEGER REFERENCES users(id),
  district_id INTEGER,
  created_at  INTEGER NOT NULL,
  updated_at  INTEGER NOT NULL,
  CHECK (until_date >= first_date)
);

CREATE TABLE activities (
  id               INTEGER PRIMARY KEY,
  org_unit_id      INTEGER NOT NULL REFERENCES org_units(id),   -- the team's community
  team_id          INTEGER NOT NULL REFERENCES teams(id),
  category_id      INTEGER NOT NULL REFERENCES service_categories(id),
  series_id        INTEGER REFERENCES activity_series(id),
  title            TEXT NOT NULL CHECK (length(title) BETWEEN 1 AND 200),
  description      TEXT,
  venue            TEXT,
  starts_at        INTEGER NOT NULL,
  ends_at          INTEGER NOT NULL,
  service_date     TEXT NOT NULL,     -- Beijing date of starts_at: the day its records count for
  capacity         INTEGER NOT NULL CHECK (capacity BETWEEN 1 AND 100000),
  places_taken     INTEGER NOT NULL DEFAULT 0,   -- sign-ups holding a place (triggers below)
  signup_opens_at  INTEGER,           -- NULL: as soon as published
  signup_closes_at INTEGER,           -- NULL: at starts_at
  skills_required  TEXT NOT NULL DEFAULT '[]',   -- JSON array of skill tags
  min_age          INTEGER CHECK (min_age IS NULL OR min_age BETWEEN 0 AND 120),
  kind             TEXT NOT NULL DEFAULT 'service' CHECK (kind IN ('service','performance','training')),
  status           TEXT NOT NULL DEFAULT 'draft' CHECK (status IN ('draft','published','cancelled','finished')),
  cancel_reason    TEXT,
  audience         INTEGER CHECK (audience IS NULL OR audience >= 0), -- people served by a held performance
  finished_at      INTEGER,
  district_id      INTEGER,
  created_by       INTEGER REFERENCES users(id),
  created_at       INTEGER NOT NULL,
  updated_at       INTEGER NOT NULL,
  CHECK (ends_at > starts_at),
  CHECK (places_taken >= 0 AND places_taken <= capacity),
  CHECK (signup_opens_at IS NULL OR signup_closes_at IS NULL OR signup_closes_at > signup_opens_at)
);
CREATE INDEX activities_org_start ON activities(org_unit_id, starts_at);
CREATE INDEX activities_start ON activities(starts_at);
CREATE INDEX activities_team_start ON activities(team_id, starts_at);
CREATE INDEX activities_series ON activities(series_id, starts_at);

CREATE TRIGGER activities_capacity_full BEFORE UPDATE OF places_taken ON activities
  WHEN NEW.places_taken > NEW.capacity AND NEW.places_taken > OLD.places_taken
  BEGIN SELECT RAISE(ABORT, 'capacity_full'); END;
CREATE TRIGGER activities_capacity_shrink BEFORE UPDATE OF capacity ON activities
  WHEN NEW.capacity < NEW.places_taken
  BEGIN SELECT RAISE(ABORT, 'capacity_below_taken'); END;
-- cancelled and finished are final
CREATE TRIGGER activities_status_final BEFORE UPDATE OF status ON activities
  WHEN OLD.status IN ('cancelled','finished') AND NEW.status <> OLD.status
  BEGIN SELECT RAISE(ABORT, 'activity_status_final'); END;

CREATE TABLE signups (
  id           INTEGER PRIMARY KEY,    -- arrival order: the waitlist is served by id
  activity_id  INTEGER NOT NULL REFERENCES activities(id),
  person_id    INTEGER NOT NULL REFERENCES people(id),
  status       TEXT NOT NULL CHECK (status IN ('confirmed','waitlisted','cancelled','attended','no_show')),
  walk_in      INTEGER NOT NULL DEFAULT 0 CHECK (walk_in IN (0,1)),
  signed_up_by INTEGER REFERENCES users(id),
  promoted_at  INTEGER,
  cancelled_at INTEGER,
  cancelled_by INTEGER REFERENCES users(id),
  district_id  INTEGER,
  created_at   INTEGER NOT NULL,
  updated_at   INTEGER NOT NULL
);
CREATE UNIQUE INDEX signups_active ON signups(activity_id, person_id) WHERE status <> 'cancelled';
CREATE INDEX signups_activity_status ON signups(activity_id, status, id);
CREATE INDEX signups_person_status ON signups(person_id, status);

-- places_taken follows the sign-ups that hold a place
CREATE TRIGGER signups_place_ins AFTER INSERT ON signups
  WHEN NEW.status IN ('confirmed','attended','no_show')
  BEGIN UPDATE activities SET places_taken = places_taken + 1 WHERE id = NEW.activity_id; END;
CREATE TRIGGER signups_place_take AFTER UPDATE OF status ON signups
  WHEN NEW.status IN ('confirmed','attended','no_show') AND OLD.status NOT IN ('confirmed','attended','no_show')
  BEGIN UPDATE activities SET places_taken = places_taken + 1 WHERE id = NEW.activity_id; END;
CREATE TRIGGER signups_place_free AFTER UPDATE OF status ON signups
  WHEN OLD.status IN ('confirmed','attended','no_show') AND NEW.status NOT IN ('confirmed','attended','no_show')
  BEGIN UPDATE activities SET places_taken = places_taken - 1 WHERE id = NEW.activity_id; END;
CREATE TRIGGER signups_place_del AFTER DELETE ON signups
  WHEN OLD.status IN ('confirmed','attended','no_show')
  BEGIN UPDATE activities SET places_taken = places_taken - 1 WHERE id = OLD.activity_id; END;
CREATE TRIGGER signups_same_activity BEFORE UPDATE OF activity_id ON signups
  WHEN NEW.activity_id <> OLD.activity_id
  BEGIN SELECT RAISE(ABORT, 'signup_activity_fixed'); END;

-- nobody holds places in two activities that overlap in time (cancelled activities aside)
CREATE TRIGGER signups_no_overlap_ins BEFORE INSERT ON signups
  WHEN NEW.status IN ('confirmed','attended') AND EXISTS (
    SELECT 1 FROM signups s JOIN activities a ON a.id = s.activity_id
      JOIN activities me ON me.id = NEW.activity_id
     WHERE s.person_id = NEW.person_id AND s.activity_id <> NEW.activity_id
       AND s.status IN ('confirmed','attended') AND a.status <> 'cancelled'
       AND a.starts_at < me.ends_at AND a.ends_at > me.starts_at)
  BEGIN SELECT RAISE(ABORT, 'signup_overlap'); END;
CREATE TRIGGER signups_no_overlap_upd BEFORE UPDATE OF status, person_id ON signups
  WHEN NEW.status IN ('confirmed','attended') AND EXISTS (
    SELECT 1 FROM signups s JOIN activities a ON a.id = s.activity_id
      JOIN activities me ON me.id = NEW.activity_id
     WHERE s.person_id = NEW.person_id AND s.activity_id <> NEW.activity_id
       AND s.status IN ('confirmed','attended') AND a.status <> 'cancelled'
       AND a.starts_at < me.ends_at AND a.ends_at > me.starts_at)
  BEGIN SELECT RAISE(ABORT, 'signup_overlap'); END;

-- moving an activity must not make its participants overlap elsewhere
CREATE TRIGGER activities_no_overlap BEFORE UPDATE OF starts_at, ends_at ON activities
  WHEN EXISTS (
    SELECT 1 FROM signups me JOIN signups s ON s.person_id = me.person_id AND s.activity_id <> me.activity_id
      JOIN activities a ON a.id = s.activity_id
     WHERE me.activity_id = NEW.id AND me.status IN ('confirmed','attended')
       AND s.status IN ('confirmed','attended') AND a.status <> 'cancelled'
       AND a.starts_at < NEW.ends_at AND a.ends_at > NEW.starts_at)
  BEGIN SELECT RAISE(ABORT, 'signup_overlap'); END;

CREATE TABLE attendance (
  id              INTEGER PRIMARY KEY,
  activity_id     INTEGER NOT NULL REFERENCES activities(id),
  person_id       INTEGER NOT NULL REFERENCES people(id),
  signup_id       INTEGER NOT NULL REFERENCES signups(id),
  checkin_at      INTEGER NOT NULL,
  checkout_at     INTEGER,
  checkin_via     TEXT NOT NULL CHECK (checkin_via IN ('qr','leader','kiosk')),
  checkout_via    TEXT CHECK (checkout_via IS NULL OR checkout_via IN ('qr','leader','kiosk','closed')),
  checkin_by      INTEGER REFERENCES users(id),
  checkout_by     INTEGER REFERENCES users(id),
  checkin_reason  TEXT,               -- why the leader did it by hand
  checkout_reason TEXT,
  district_id     INTEGER,
  created_at      INTEGER NOT NULL,
  updated_at      INTEGER NOT NULL,
  UNIQUE (activity_id, person_id),
  CHECK (checkout_at IS NULL OR checkout_at >= checkin_at)
);

CREATE TABLE service_records (
  id              INTEGER PRIMARY KEY,
  person_id       INTEGER NOT NULL REFERENCES people(id),
  activity_id     INTEGER REFERENCES activities(id),
  help_request_id INTEGER,            -- help requests (点单), when the service answered one
  team_id         INTEGER REFERENCES teams(id),
  category_id     INTEGER NOT NULL REFERENCES service_categories(id),
  org_unit_id     INTEGER NOT NULL REFERENCES org_units(id), -- the community that recorded it (谁记录谁证明)
  service_date    TEXT NOT NULL,      -- YYYY-MM-DD
  minutes         INTEGER NOT NULL CHECK (minutes BETWEEN 0 AND 1440),
  people_served   INTEGER NOT NULL DEFAULT 0 CHECK (people_served BETWEEN 0 AND 1000000),
  description     TEXT,
  source          TEXT NOT NULL CHECK (source IN ('attendance','team_entry','self_report','help_request')),
  status          TEXT NOT NULL DEFAULT 'pending' CHECK (status IN ('pending','confirmed','rejected')),
  needs_review    INTEGER NOT NULL DEFAULT 0 CHECK (needs_review IN (0,1)),
  review_reason   TEXT,               -- no_checkout, over_daily_cap, outside_window
  party_member    INTEGER NOT NULL DEFAULT 0 CHECK (party_member IN (0,1)), -- on service_date; fixed at confirmation
  version         INTEGER NOT NULL DEFAULT 1,
  event           TEXT NOT NULL DEFAULT 'created', -- what the latest change was (copied into versions)
  changed_by      INTEGER REFERENCES users(id),    -- who made it
  change_reason   TEXT,               -- and why
  correction_id   INTEGER,            -- the accepted correction that made the latest version
  decided_by      INTEGER REFERENCES users(id),
  decided_at      INTEGER,
  created_by      INTEGER REFERENCES users(id),
  district_id     INTEGER,
  created_at      INTEGER NOT NULL,
  updated_at      INTEGER NOT NULL
);
CREATE UNIQUE INDEX service_records_attendance ON service_records(activity_id, person_id) WHERE source = 'attendance';
CREATE INDEX service_records_person_date ON service_records(person_id, service_date);
CREATE INDEX service_records_activity ON service_records(activity_id, status);
CREATE INDEX service_records_org_status ON service_records(org_unit_id, status, id);
CREATE INDEX service_records_team ON service_records(team_id, service_date);

CREATE TABLE record_corrections (
  id              INTEGER PRIMARY KEY,
  record_id       INTEGER NOT NULL REFERENCES service_records(id),
  minutes         INTEGER CHECK (minutes IS NULL OR minutes BETWEEN 0 AND 1440), -- proposed; NULL = unchanged
  people_served   INTEGER CHECK (people_served IS NULL OR people_served >= 0),
  service_date    TEXT,
  category_id     INTEGER REFERENCES service_categories(id),
  description     TEXT,
  reason          TEXT NOT NULL,
  status          TEXT NOT NULL DEFAULT 'pending' CHECK (status IN ('pending','accepted','refused')),
  filed_by        INTEGER NOT NULL REFERENCES users(id),
  filed_at        INTEGER NOT NULL,
  decided_by      INTEGER REFERENCES users(id),
  decided_at      INTEGER,
  decision_reason TEXT,
  applied_version INTEGER,            -- the record version it produced
  district_id     INTEGER
);
CREATE UNIQUE INDEX record_corrections_open ON record_corrections(record_id) WHERE status = 'pending';
CREATE TRIGGER record_corrections_final BEFORE UPDATE ON record_corrections
  WHEN OLD.status <> 'pending'
  BEGIN SELECT RAISE(ABORT, 'correction_decided'); END;

CREATE TABLE record_versions (
  id            INTEGER PRIMARY KEY,
  record_id     INTEGER NOT NULL REFERENCES service_records(id),
  version       INTEGER NOT NULL,
  event         TEXT NOT NULL,
  status        TEXT NOT NULL,
  person_id     INTEGER NOT NULL,
  team_id       INTEGER,
  category_id   INTEGER NOT NULL,
  service_date  TEXT NOT NULL,
  minutes       INTEGER NOT NULL,
  people_served INTEGER NOT NULL,
  description   TEXT,
  needs_review  INTEGER NOT NULL,
  review_reason TEXT,
  changed_by    INTEGER,
  change_reason TEXT,
  correction_id INTEGER,
  at            INTEGER NOT NULL
);
CREATE INDEX record_versions_record ON record_versions(record_id, id);
CREATE TRIGGER record_versions_no_update BEFORE UPDATE ON record_versions
  BEGIN SELECT RAISE(ABORT, 'record_versions_append_only'); END;
CREATE TRIGGER record_versions_no_delete BEFORE DELETE ON record_versions
  BEGIN SELECT RAISE(ABORT, 'record_versions_append_only'); END;

-- A confirmed record is locked: the only change allowed is an accepted correction that names
-- exactly the next version, or moving it to the survivor of a merge of two people.
CREATE TRIGGER service_records_locked BEFORE UPDATE ON service_records
  WHEN OLD.status = 'confirmed' AND NOT (
    (NEW.status = 'confirmed' AND NEW.person_id = OLD.person_id AND NEW.version = OLD.version + 1
     AND NEW.correction_id IS NOT NULL
     AND EXISTS (SELECT 1 FROM record_corrections c WHERE c.id = NEW.correction_id
                   AND c.record_id = OLD.id AND c.status = 'accepted' AND c.applied_version = NEW.version))
    OR
    (NEW.status = 'confirmed' AND NEW.version = OLD.version + 1 AND NEW.minutes = OLD.minutes
     AND NEW.service_date = OLD.service_date AND NEW.people_served = OLD.people_served
     AND NEW.category_id = OLD.category_id
     AND NEW.person_id = (SELECT p.merged_into FROM people p WHERE p.id = OLD.person_id)))
  BEGIN SELECT RAISE(ABORT, 'record_locked'); END;
CREATE TRIGGER service_records_rejected_final BEFORE UPDATE ON service_records
  WHEN OLD.status = 'rejected' AND (NEW.status <> 'rejected' OR NEW.minutes <> OLD.minutes
    OR NEW.service_date <> OLD.service_date OR NEW.people_served <> OLD.people_served
    OR NEW.category_id <> OLD.category_id
    OR (NEW.person_id <> OLD.person_id
        AND NEW.person_id <> COALESCE((SELECT p.merged_into FROM people p WHERE p.id = OLD.person_id), -1)))
  BEGIN SELECT RAISE(ABORT, 'record_rejected_final'); END;
CREATE TRIGGER service_records_status_flow BEFORE UPDATE OF status ON service_records
  WHEN OLD.status = 'pending' AND NEW.status NOT IN ('pending','confirmed','rejected')
  BEGIN SELECT RAISE(ABORT, 'record_status_invalid'); END;
CREATE TRIGGER service_records_no_delete BEFORE DELETE ON service_records
  BEGIN SELECT RAISE(ABORT, 'record_locked'); END;

CREATE TRIGGER service_records_version_ins AFTER INSERT ON service_records
  BEGIN
    INSERT INTO record_versions(record_id, version, event, status, person_id, team_id, category_id,
        service_date, minutes, people_served, description, needs_review, review_reason,
        changed_by, change_reason, correction_id, at)
      VALUES(NEW.id, NEW.version, NEW.event, NEW.status, NEW.person_id, NEW.team_id, NEW.category_id,
        NEW.service_date, NEW.minutes, NEW.people_served, NEW.description, NEW.needs_review,
        NEW.review_reason, NEW.changed_by, NEW.change_reason, NEW.correction_id, NEW.updated_at);
  END;
CREATE TRIGGER service_records_version_upd AFTER UPDATE ON service_records
  BEGIN
    INSERT INTO record_versions(record_id, version, event, status, person_id, team_id, category_id,
        service_date, minutes, people_served, description, needs_review, review_reason,
        changed_by, change_reason, correction_id, at)
      VALUES(NEW.id, NEW.version, NEW.event, NEW.status, NEW.person_id, NEW.team_id, NEW.category_id,
        NEW.service_date, NEW.minutes, NEW.people_served, NEW.description, NEW.needs_review,
        NEW.review_reason, NEW.changed_by, NEW.change_reason, NEW.correction_id, NEW.updated_at);
  END;

-- Rollups (DESIGN.md §3): what reports read instead of scanning records. Keys carry the
-- community that recorded the service (reports walk org_units.path for subtrees), the team
-- (0 = none), the category, the period, and whether the volunteer was a Party member on the
-- day. person_times = confirmed records, minutes and people_served their sums.
CREATE TABLE rollup_daily (
  org_unit_id   INTEGER NOT NULL,
  team_id       INTEGER NOT NULL,
  category_id   INTEGER NOT NULL,
  day           TEXT NOT NULL,       -- YYYY-MM-DD
  party_member  INTEGER NOT NULL,
  person_times  INTEGER NOT NULL DEFAULT 0,
  minutes       INTEGER NOT NULL DEFAULT 0,
  people_served INTEGER NOT NULL DEFAULT 0,
  PRIMARY KEY (org_unit_id, team_id, category_id, day, party_member)
);
CREATE INDEX rollup_daily_day ON rollup_daily(day);
CREATE TABLE rollup_monthly (
  org_unit_id   INTEGER NOT NULL,
  team_id       INTEGER NOT NULL,
  category_id   INTEGER NOT NULL,
  month         TEXT NOT NULL,       -- YYYY-MM
  party_member  INTEGER NOT NULL,
  person_times  INTEGER NOT NULL DEFAULT 0,
  minutes       INTEGER NOT NULL DEFAULT 0,
  people_served INTEGER NOT NULL DEFAULT 0,
  PRIMARY KEY (org_unit_id, team_id, category_id, month, party_member)
);
CREATE INDEX rollup_monthly_month ON rollup_monthly(month);
-- per volunteer and month, for distinct volunteers and per-volunteer figures in a period;
-- a row whose person_times fell back to 0 (a corrected record moved) no longer counts
CREATE TABLE rollup_person_monthly (
  org_unit_id   INTEGER NOT NULL,
  team_id       INTEGER NOT NULL,
  category_id   INTEGER NOT NULL,
  person_id     INTEGER NOT NULL,
  month         TEXT NOT NULL,
  party_member  INTEGER NOT NULL,
  person_times  INTEGER NOT NULL DEFAULT 0,
  minutes       INTEGER NOT NULL DEFAULT 0,
  people_served INTEGER NOT NULL DEFAULT 0,
  PRIMARY KEY (org_unit_id, team_id, category_id, person_id, month, party_member)
);
CREATE INDEX rollup_person_monthly_person ON rollup_person_monthly(person_id, month);
-- cumulative per volunteer, for star levels
CREATE TABLE rollup_person (
  person_id     INTEGER PRIMARY KEY,
  person_times  INTEGER NOT NULL DEFAULT 0,
  minutes       INTEGER NOT NULL DEFAULT 0,
  people_served INTEGER NOT NULL DEFAULT 0,
  updated_at    INTEGER NOT NULL
);
-- held performances (场次) per team and day; their audience counts as people served once,
-- here, not on each performer's record
CREATE TABLE rollup_team_sessions (
  org_unit_id   INTEGER NOT NULL,
  team_id       INTEGER NOT NULL,
  category_id   INTEGER NOT NULL,
  day           TEXT NOT NULL,
  sessions      INTEGER NOT NULL DEFAULT 0,
  audience      INTEGER NOT NULL DEFAULT 0,
  PRIMARY KEY (org_unit_id, team_id, category_id, day)
);

CREATE TRIGGER service_records_rollup_ins AFTER INSERT ON service_records
  WHEN NEW.status = 'confirmed'
  BEGIN
    INSERT INTO rollup_daily(org_unit_id, team_id, category_id, day, party_member, person_times, minutes, people_served)
      VALUES(NEW.org_unit_id, COALESCE(NEW.team_id, 0), NEW.category_id, NEW.service_date, NEW.party_member, 1, NEW.minutes, NEW.people_served)
      ON CONFLICT(org_unit_id, team_id, category_id, day, party_member) DO UPDATE SET
        person_times = rollup_daily.person_times + excluded.person_times,
        minutes = rollup_daily.minutes + excluded.minutes,
        people_served = rollup_daily.people_served + excluded.people_served;
    INSERT INTO rollup_monthly(org_unit_id, team_id, category_id, month, party_member, person_times, minutes, people_served)
      VALUES(NEW.org_unit_id, COALESCE(NEW.team_id, 0), NEW.category_id, substr(NEW.service_date, 1, 7), NEW.party_member, 1, NEW.minutes, NEW.people_served)
      ON CONFLICT(org_unit_id, team_id, category_id, month, party_member) DO UPDATE SET
        person_times = rollup_monthly.person_times + excluded.person_times,
        minutes = rollup_monthly.minutes + excluded.minutes,
        people_served = rollup_monthly.people_served + excluded.people_served;
    INSERT INTO rollup_person_monthly(org_unit_id, team_id, category_id, person_id, month, party_member, person_times, minutes, people_served)
      VALUES(NEW.org_unit_id, COALESCE(NEW.team_id, 0), NEW.category_id, NEW.person_id, substr(NEW.service_date, 1, 7), NEW.party_member, 1, NEW.minutes, NEW.people_served)
      ON CONFLICT(org_unit_id, team_id, category_id, person_id, month, party_member) DO UPDATE SET
        person_times = rollup_person_monthly.person_times + excluded.person_times,
        minutes = rollup_person_monthly.minutes + excluded.minutes,
        people_served = rollup_person_monthly.people_served + excluded.people_served;
    INSERT INTO rollup_person(person_id, person_times, minutes, people_served, updated_at)
      VALUES(NEW.person_id, 1, NEW.minutes, NEW.people_served, NEW.updated_at)
      ON CONFLICT(person_id) DO UPDATE SET
        person_times = rollup_person.person_times + excluded.person_times,
        minutes = rollup_person.minutes + excluded.minutes,
        people_served = rollup_person.people_served + excluded.people_served,
        updated_at = excluded.updated_at;
  END;

CREATE TRIGGER service_records_rollup_add AFTER UPDATE ON service_records
  WHEN NEW.status = 'confirmed'
  BEGIN
    INSERT INTO rollup_daily(org_unit_id, team_id, category_id, day, party_member, person_times, minutes, people_served)
      VALUES(NEW.org_unit_id, COALESCE(NEW.team_id, 0), NEW.category_id, NEW.service_date, NEW.party_member, 1, NEW.minutes, NEW.people_served)
      ON CONFLICT(org_unit_id, team_id, category_id, day, party_member) DO UPDATE SET
        person_times = rollup_daily.person_times + excluded.person_times,
        minutes = rollup_daily.minutes + excluded.minutes,
        people_served = rollup_daily.people_served + excluded.people_served;
    INSERT INTO rollup_monthly(org_unit_id, team_id, category_id, month, party_member, person_times, minutes, people_served)
      VALUES(NEW.org_unit_id, COALESCE(NEW.team_id, 0), NEW.category_id, substr(NEW.service_date, 1, 7), NEW.party_member, 1, NEW.minutes, NEW.people_served)
      ON CONFLICT(org_unit_id, team_id, category_id, month, party_member) DO UPDATE SET
        person_times = rollup_monthly.person_times + excluded.person_times,
        minutes = rollup_monthly.minutes + excluded.minutes,
        people_served = rollup_monthly.people_served + excluded.people_served;
    INSERT INTO rollup_person_monthly(org_unit_id, team_id, category_id, person_id, month, party_member, person_times, minutes, people_served)
      VALUES(NEW.org_unit_id, COALESCE(NEW.team_id, 0), NEW.category_id, NEW.person_id, substr(NEW.service_date, 1, 7), NEW.party_member, 1, NEW.minutes, NEW.people_served)
      ON CONFLICT(org_unit_id, team_id, category_id, person_id, month, party_member) DO UPDATE SET
        person_times = rollup_person_monthly.person_times + excluded.person_times,
        minutes = rollup_person_monthly.minutes + excluded.minutes,
        people_served = rollup_person_monthly.people_served + excluded.people_served;
    INSERT INTO rollup_person(person_id, person_times, minutes, people_served, updated_at)
      VALUES(NEW.person_id, 1, NEW.minutes, NEW.people_served, NEW.updated_at)
      ON CONFLICT(person_id) DO UPDATE SET
        person_times = rollup_person.person_times + excluded.person_times,
        minutes = rollup_person.minutes + excluded.minutes,
        people_served = rollup_person.people_served + excluded.people_served,
        updated_at = excluded.updated_at;
  END;

CREATE TRIGGER service_records_rollup_sub AFTER UPDATE ON service_records
  WHEN OLD.status = 'confirmed'
  BEGIN
    INSERT INTO rollup_daily(org_unit_id, team_id, category_id, day, party_member, person_times, minutes, people_served)
      VALUES(OLD.org_unit_id, COALESCE(OLD.team_id, 0), OLD.category_id, OLD.service_date, OLD.party_member, -1, -OLD.minutes, -OLD.people_served)
      ON CONFLICT(org_unit_id, team_id, category_id, day, party_member) DO UPDATE SET
        person_times = rollup_daily.person_times + excluded.person_times,
        minutes = rollup_daily.minutes + excluded.minutes,
        people_served = rollup_daily.people_served + excluded.people_served;
    INSERT INTO rollup_monthly(org_unit_id, team_id, category_id, month, party_member, person_times, minutes, people_served)
      VALUES(OLD.org_unit_id, COALESCE(OLD.team_id, 0), OLD.category_id, substr(OLD.service_date, 1, 7), OLD.party_member, -1, -OLD.minutes, -OLD.people_served)
      ON CONFLICT(org_unit_id, team_id, category_id, month, party_member) DO UPDATE SET
        person_times = rollup_monthly.person_times + excluded.person_times,
        minutes = rollup_monthly.minutes + excluded.minutes,
        people_served = rollup_monthly.people_served + excluded.people_served;
    INSERT INTO rollup_person_monthly(org_unit_id, team_id, category_id, person_id, month, party_member, person_times, minutes, people_served)
      VALUES(OLD.org_unit_id, COALESCE(OLD.team_id, 0), OLD.category_id, OLD.person_id, substr(OLD.service_date, 1, 7), OLD.party_member, -1, -OLD.minutes, -OLD.people_served)
      ON CONFLICT(org_unit_id, team_id, category_id, person_id, month, party_member) DO UPDATE SET
        person_times = rollup_person_monthly.person_times + excluded.person_times,
        minutes = rollup_person_monthly.minutes + excluded.minutes,
        people_served = rollup_person_monthly.people_served + excluded.people_served;
    INSERT INTO rollup_person(person_id, person_times, minutes, people_served, updated_at)
      VALUES(OLD.person_id, -1, -OLD.minutes, -OLD.people_served, NEW.updated_at)
      ON CONFLICT(person_id) DO UPDATE SET
        person_times = rollup_person.person_times + excluded.person_times,
        minutes = rollup_person.minutes + excluded.minutes,
        people_served = rollup_person.people_served + excluded.people_served,
        updated_at = excluded.updated_at;
  END;

-- a performance that was held counts one session for its team, with its audience
CREATE TRIGGER activities_session_held AFTER UPDATE OF status ON activities
  WHEN NEW.status = 'finished' AND OLD.status <> 'finished' AND NEW.kind = 'performance'
  BEGIN
    INSERT INTO rollup_team_sessions(org_unit_id, team_id, category_id, day, sessions, audience)
      VALUES(NEW.org_unit_id, NEW.team_id, NEW.category_id, NEW.service_date, 1, COALESCE(NEW.audience, 0))
      ON CONFLICT(org_unit_id, team_id, category_id, day) DO UPDATE SET
        sessions = rollup_team_sessions.sessions + excluded.sessions,
        audience = rollup_team_sessions.audience + excluded.audience;
  END;
CREATE TRIGGER activities_session_audience AFTER UPDATE OF audience ON activities
  WHEN OLD.status = 'finished' AND NEW.status = 'finished' AND NEW.kind = 'performance'
    AND COALESCE(NEW.audience, 0) <> COALESCE(OLD.audience, 0)
  BEGIN
    UPDATE rollup_team_sessions SET audience = audience + COALESCE(NEW.audience, 0) - COALESCE(OLD.audience, 0)
     WHERE org_unit_id = NEW.org_unit_id AND team_id = NEW.team_id AND category_id = NEW.category_id
       AND day = NEW.service_date;
  END;
CREATE TRIGGER activities_finished_fixed BEFORE UPDATE OF starts_at, ends_at, service_date, team_id, category_id, org_unit_id, kind ON activities
  WHEN OLD.status = 'finished'
  BEGIN SELECT RAISE(ABORT, 'activity_status_final'); END;

-- The volunteer's other records (志愿服务条例 Art. 19): training, awards, evaluations, and
-- complaints against the volunteer.
CREATE TABLE person_file_entries (
  id          INTEGER PRIMARY KEY,
  person_id   INTEGER NOT NULL REFERENCES people(id),
  kind        TEXT NOT NULL CHECK (kind IN ('training','award','evaluation','complaint')),
  entry_date  TEXT NOT NULL,          -- YYYY-MM-DD
  issuer      TEXT NOT NULL CHECK (length(issuer) BETWEEN 1 AND 200),
  text        TEXT NOT NULL CHECK (length(text) BETWEEN 1 AND 4000),
  activity_id INTEGER REFERENCES activities(id), -- the training activity attended, if any
  org_unit_id INTEGER REFERENCES org_units(id),  -- the unit that recorded it
  created_by  INTEGER REFERENCES users(id),
  district_id INTEGER,
  created_at  INTEGER NOT NULL
);
CREATE INDEX person_file_entries_person ON person_file_entries(person_id, kind, entry_date);
CREATE UNIQUE INDEX person_file_entries_training ON person_file_entries(person_id, activity_id)
  WHERE activity_id IS NOT NULL;

-- What needs someone's attention (waitlist promotion, activity cancelled, record decided ...).
-- The inbox API and webhook delivery read it (help-request issue).
CREATE TABLE notifications (
  id          INTEGER PRIMARY KEY,
  user_id     INTEGER REFERENCES users(id),
  person_id   INTEGER REFERENCES people(id),
  kind        TEXT NOT NULL,
  payload     TEXT NOT NULL DEFAULT '{}',   -- JSON
  created_at  INTEGER NOT NULL,
  read_at     INTEGER,
  CHECK (user_id IS NOT NULL OR person_id IS NOT NULL)
);
CREATE INDEX notifications_user ON notifications(user_id, id);
CREATE INDEX notifications_person ON notifications(person_id, id);
