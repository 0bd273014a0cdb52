-- 0008_help_requests: residents' requests for help (群众点单 → 派单 → 接单 → 评单), their
-- transition log, and the webhook deliveries of notifications (DESIGN.md §2 "Help request").
--
-- The invariants live here as well as in C (handlers.md, docs/internals/help-requests.md):
--   * states move only along help_request_transitions (a trigger checks every UPDATE OF
--     state against the table), and a new request always starts 'submitted';
--   * every transition is logged in help_request_events by trigger (who, when, from, to,
--     why), so no code path can change a state without leaving a trace; the log is
--     append-only;
--   * a request that is dispatched or further has an assignee (a volunteer or a team, never
--     both); a rating exists exactly when the state is 'rated';
--   * the first to accept an open request (抢单) wins: the accepting UPDATE is guarded by
--     "WHERE state = 'open'" and C checks that it changed one row;
--   * one service record per volunteer and request (partial unique index).
-- Portable SQL: no GLOB, no datetime(); times are unix seconds.

CREATE TABLE help_request_transitions (
  from_state TEXT NOT NULL,
  to_state   TEXT NOT NULL,
  PRIMARY KEY (from_state, to_state)
);
-- Mirrors src/domain/helpflow.c (rx_help_transitions); tests compare the two.
INSERT INTO help_request_transitions(from_state, to_state) VALUES
 ('submitted', 'dispatched'), ('submitted', 'open'), ('submitted', 'cancelled'), ('submitted', 'closed_unresolved'),
 ('open', 'accepted'), ('open', 'dispatched'), ('open', 'cancelled'), ('open', 'closed_unresolved'),
 ('dispatched', 'accepted'), ('dispatched', 'submitted'), ('dispatched', 'dispatched'), ('dispatched', 'open'),
 ('dispatched', 'cancelled'), ('dispatched', 'closed_unresolved'),
 ('accepted', 'in_progress'), ('accepted', 'submitted'), ('accepted', 'cancelled'), ('accepted', 'closed_unresolved'),
 ('in_progress', 'done'), ('in_progress', 'cancelled'), ('in_progress', 'closed_unresolved'),
 ('done', 'rated');

CREATE TABLE help_requests (
  id                 INTEGER PRIMARY KEY,
  org_unit_id        INTEGER NOT NULL REFERENCES org_units(id),  -- the community where help is needed
  person_id          INTEGER NOT NULL REFERENCES people(id),     -- who needs the help
  registered_by      INTEGER NOT NULL REFERENCES users(id),      -- the account that registered it
  on_behalf          INTEGER NOT NULL DEFAULT 0 CHECK (on_behalf IN (0,1)), -- by someone else (社工, neighbour)
  category_id        INTEGER NOT NULL REFERENCES service_categories(id),
  need               TEXT NOT NULL CHECK (length(need) BETWEEN 1 AND 200),   -- what is needed, in short
  details            TEXT,
  address            TEXT NOT NULL CHECK (length(address) BETWEEN 1 AND 200), -- where, within the community
  contact_phone      TEXT,
  wanted_from        INTEGER,            -- when it suits (either end may be open)
  wanted_to          INTEGER,
  urgency            TEXT NOT NULL DEFAULT 'normal' CHECK (urgency IN ('urgent','normal')),
  vulnerable         TEXT NOT NULL DEFAULT '[]', -- JSON flags (lives_alone ...): community staff only
  state              TEXT NOT NULL DEFAULT 'submitted' CHECK (state IN ('submitted','open','dispatched',
                       'accepted','in_progress','done','rated','cancelled','closed_unresolved')),
  assignee_person_id INTEGER REFERENCES people(id),  -- the volunteer it is dispatched to / who took it
  assignee_team_id   INTEGER REFERENCES teams(id),   -- or the team
  dispatched_by      INTEGER REFERENCES users(id),
  dispatched_at      INTEGER,
  opened_at          INTEGER,
  accepted_at        INTEGER,            -- the latest acceptance (cleared when declined)
  started_at         INTEGER,
  done_at            INTEGER,
  closed_at          INTEGER,            -- cancelled or closed unresolved
  accept_deadline_at INTEGER NOT NULL,   -- created_at + help-urgent-minutes / help-normal-minutes
  escalated_at       INTEGER,            -- when the sweep escalated it (not accepted in time)
  stalled_at         INTEGER,            -- when the sweep flagged it (accepted, no progress)
  last_progress_at   INTEGER NOT NULL,   -- the latest transition
  outcome            TEXT,               -- what was done
  rating             INTEGER CHECK (rating IS NULL OR rating BETWEEN 1 AND 5),
  rating_comment     TEXT,
  rated_by           INTEGER REFERENCES users(id),
  rated_at           INTEGER,
  last_action        TEXT NOT NULL DEFAULT 'submit', -- what the latest transition was (copied into events)
  changed_by         INTEGER REFERENCES users(id),   -- who made it
  change_reason      TEXT,                           -- and why
  district_id        INTEGER,
  created_at         INTEGER NOT NULL,
  updated_at         INTEGER NOT NULL,
  CHECK (wanted_from IS NULL OR wanted_to IS NULL OR wanted_to > wanted_from),
  CHECK (assignee_person_id IS NULL OR assignee_team_id IS NULL),
  CHECK (state IN ('submitted','open','cancelled','closed_unresolved')
         OR assignee_person_id IS NOT NULL OR assignee_team_id IS NOT NULL),
  CHECK ((state = 'rated') = (rating IS NOT NULL))
);
CREATE INDEX help_requests_org_state ON help_requests(org_unit_id, state, id);
CREATE INDEX help_requests_org_created ON help_requests(org_unit_id, created_at);
CREATE INDEX help_requests_person ON help_requests(person_id, id);
CREATE INDEX help_requests_registered_by ON help_requests(registered_by, id);
CREATE INDEX help_requests_assignee_person ON help_requests(assignee_person_id, state);
CREATE INDEX help_requests_assignee_team ON help_requests(assignee_team_id, state);
CREATE INDEX help_requests_due ON help_requests(accept_deadline_at)
  WHERE escalated_at IS NULL AND state IN ('submitted','open','dispatched');
CREATE INDEX help_requests_progress ON help_requests(last_progress_at)
  WHERE stalled_at IS NULL AND state IN ('accepted','in_progress');

CREATE TRIGGER help_requests_start BEFORE INSERT ON help_requests
  WHEN NEW.state <> 'submitted'
  BEGIN SELECT RAISE(ABORT, 'invalid_transition'); END;
CREATE TRIGGER help_requests_transition BEFORE UPDATE OF state ON help_requests
  WHEN NOT EXISTS (SELECT 1 FROM help_request_transitions t
                   WHERE t.from_state = OLD.state AND t.to_state = NEW.state)
  BEGIN SELECT RAISE(ABORT, 'invalid_transition'); END;
-- who asked for the help, and who registered it, never change (except that a merge of two
-- person records moves the request to the survivor: store/person_merge.c)
CREATE TRIGGER help_requests_requester_fixed BEFORE UPDATE OF person_id, registered_by ON help_requests
  WHEN NEW.registered_by <> OLD.registered_by
    OR (NEW.person_id <> OLD.person_id
        AND NEW.person_id <> COALESCE((SELECT p.merged_into FROM people p WHERE p.id = OLD.person_id), -1))
  BEGIN SELECT RAISE(ABORT, 'help_request_requester_fixed'); END;
CREATE TRIGGER help_requests_no_delete BEFORE DELETE ON help_requests
  BEGIN SELECT RAISE(ABORT, 'help_request_no_delete'); END;

CREATE TABLE help_request_events (
  id                 INTEGER PRIMARY KEY,
  request_id         INTEGER NOT NULL REFERENCES help_requests(id),
  action             TEXT NOT NULL,     -- submit, dispatch, open, accept, decline, start, done, rate, cancel, close
  from_state         TEXT,              -- NULL for the submission
  to_state           TEXT NOT NULL,
  by_user            INTEGER REFERENCES users(id),
  reason             TEXT,
  assignee_person_id INTEGER,           -- the assignee after the transition
  assignee_team_id   INTEGER,
  district_id        INTEGER,
  at                 INTEGER NOT NULL,
  CHECK (action NOT IN ('decline','close') OR reason IS NOT NULL)
);
CREATE INDEX help_request_events_request ON help_request_events(request_id, id);
CREATE TRIGGER help_request_events_no_update BEFORE UPDATE ON help_request_events
  BEGIN SELECT RAISE(ABORT, 'help_request_events_append_only'); END;
CREATE TRIGGER help_request_events_no_delete BEFORE DELETE ON help_request_events
  BEGIN SELECT RAISE(ABORT, 'help_request_events_append_only'); END;

CREATE TRIGGER help_requests_event_ins AFTER INSERT ON help_requests
  BEGIN
    INSERT INTO help_request_events(request_id, action, from_state, to_state, by_user, reason,
        assignee_person_id, assignee_team_id, district_id, at)
      VALUES(NEW.id, 'submit', NULL, NEW.state, NEW.registered_by, NULL, NULL, NULL, NEW.district_id,
        NEW.created_at);
  END;
CREATE TRIGGER help_requests_event_upd AFTER UPDATE OF state ON help_requests
  BEGIN
    INSERT INTO help_request_events(request_id, action, from_state, to_state, by_user, reason,
        assignee_person_id, assignee_team_id, district_id, at)
      VALUES(NEW.id, NEW.last_action, OLD.state, NEW.state, NEW.changed_by, NEW.change_reason,
        NEW.assignee_person_id, NEW.assignee_team_id, NEW.district_id, NEW.updated_at);
  END;

-- Help records: one per volunteer and request, whatever the retries.
CREATE UNIQUE INDEX service_records_help_request ON service_records(help_request_id, person_id)
  WHERE source = 'help_request';

-- Webhook deliveries (webhook-url): every notification gets one row, written by trigger in the
-- transaction that wrote the notification, so the request that caused it never waits for
-- the delivery. The delivery thread claims a due row (a lease: next_attempt_at moves ahead),
-- posts it, and records the outcome; failures back off exponentially.
CREATE TABLE webhook_deliveries (
  id              INTEGER PRIMARY KEY,
  notification_id INTEGER NOT NULL UNIQUE REFERENCES notifications(id),
  attempts        INTEGER NOT NULL DEFAULT 0,
  next_attempt_at INTEGER NOT NULL,
  last_attempt_at INTEGER,
  delivered_at    INTEGER,
  given_up_at     INTEGER,
  last_status     INTEGER,              -- HTTP status of the last attempt; NULL when none came or while one runs
  last_error      TEXT,
  created_at      INTEGER NOT NULL
);
CREATE INDEX webhook_deliveries_due ON webhook_deliveries(next_attempt_at)
  WHERE delivered_at IS NULL AND given_up_at IS NULL;
CREATE TRIGGER notifications_delivery AFTER INSERT ON notifications
  BEGIN
    INSERT INTO webhook_deliveries(notification_id, next_attempt_at, created_at)
      VALUES(NEW.id, NEW.created_at, NEW.created_at);
  END;
