-- 0009_moves_and_merges: follow-ups to the registry, activities and reports migrations.
--
-- Moving an org unit to another district (PATCH /api/v1/org-units/{id} with parent_id)
-- rewrites district_id, the distribution key, on every row under it in the move's write step:
-- activities, series, sign-ups, attendance, service records, corrections, file entries,
-- certificates, help requests and their event log too (api/org_units.c). That is no change of
-- what a row says, so the triggers that guard frozen rows (a confirmed record, a decided
-- correction, a revoked certificate, the append-only help-request log) and those that copy a
-- record's versions and keep the rollups now fire only when a column other than district_id
-- is set: the triggers of 0005 to 0008 again, each with an UPDATE OF
-- list of every other column (SQLite and PostgreSQL both fire UPDATE OF when a listed column
-- is in the SET clause, changed or not). A column added later to these tables must be added to
-- these lists. Then two small partial indexes: people merged into someone (a person's
-- certificates follow merged_into) and attendances still open (the sweep of missed
-- check-outs, api/checkin.c).
-- Portable SQL apart from DROP TRIGGER, which PostgreSQL spells DROP TRIGGER name ON table.

DROP TRIGGER service_records_locked;
CREATE TRIGGER service_records_locked BEFORE UPDATE OF
    person_id, activity_id, help_request_id, team_id, category_id, org_unit_id, service_date,
    minutes, people_served, description, source, status, needs_review, review_reason,
    party_member, version, event, changed_by, change_reason, correction_id, decided_by,
    decided_at, created_by, created_at, updated_at
  ON service_records
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

DROP TRIGGER service_records_version_upd;
CREATE TRIGGER service_records_version_upd AFTER UPDATE OF
    person_id, activity_id, help_request_id, team_id, category_id, org_unit_id, service_date,
    minutes, people_served, description, source, status, needs_review, review_reason,
    party_member, version, event, changed_by, change_reason, correction_id, decided_by,
    decided_at, created_by, created_at, updated_at
  ON service_records
  BEGIN
    INSERT INTO record_versions(record_id, version, event, status, person_id, team_id, category_id,
        service_date, minutes, people_served, description, needs_review, review_reason,
        changed_by, change_reason, correction_id, at)
      VALUES(NEW.id, NEW.version, NEW.event, NEW.status, NEW.person_id, NEW.team_id, NEW.category_id,
        NEW.service_date, NEW.minutes, NEW.people_served, NEW.description, NEW.needs_review,
        NEW.review_reason, NEW.changed_by, NEW.change_reason, NEW.correction_id, NEW.updated_at);
  END;

DROP TRIGGER service_records_rollup_add;
CREATE TRIGGER service_records_rollup_add AFTER UPDATE OF
    person_id, activity_id, help_request_id, team_id, category_id, org_unit_id, service_date,
    minutes, people_served, description, source, status, needs_review, review_reason,
    party_member, version, event, changed_by, change_reason, correction_id, decided_by,
    decided_at, created_by, created_at, updated_at
  ON service_records
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

DROP TRIGGER service_records_rollup_sub;
CREATE TRIGGER service_records_rollup_sub AFTER UPDATE OF
    person_id, activity_id, help_request_id, team_id, category_id, org_unit_id, service_date,
    minutes, people_served, description, source, status, needs_review, review_reason,
    party_member, version, event, changed_by, change_reason, correction_id, decided_by,
    decided_at, created_by, created_at, updated_at
  ON service_records
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

DROP TRIGGER service_records_rollup_pd_add;
CREATE TRIGGER service_records_rollup_pd_add AFTER UPDATE OF
    person_id, activity_id, help_request_id, team_id, category_id, org_unit_id, service_date,
    minutes, people_served, description, source, status, needs_review, review_reason,
    party_member, version, event, changed_by, change_reason, correction_id, decided_by,
    decided_at, created_by, created_at, updated_at
  ON service_records
  WHEN NEW.status = 'confirmed'
  BEGIN
    INSERT INTO rollup_person_daily(org_unit_id, team_id, category_id, person_id, day, party_member, person_times, minutes)
      VALUES(NEW.org_unit_id, COALESCE(NEW.team_id, 0), NEW.category_id, NEW.person_id, NEW.service_date, NEW.party_member, 1, NEW.minutes)
      ON CONFLICT(org_unit_id, team_id, category_id, person_id, day, party_member) DO UPDATE SET
        person_times = rollup_person_daily.person_times + excluded.person_times,
        minutes = rollup_person_daily.minutes + excluded.minutes;
  END;

DROP TRIGGER service_records_rollup_pd_sub;
CREATE TRIGGER service_records_rollup_pd_sub AFTER UPDATE OF
    person_id, activity_id, help_request_id, team_id, category_id, org_unit_id, service_date,
    minutes, people_served, description, source, status, needs_review, review_reason,
    party_member, version, event, changed_by, change_reason, correction_id, decided_by,
    decided_at, created_by, created_at, updated_at
  ON service_records
  WHEN OLD.status = 'confirmed'
  BEGIN
    INSERT INTO rollup_person_daily(org_unit_id, team_id, category_id, person_id, day, party_member, person_times, minutes)
      VALUES(OLD.org_unit_id, COALESCE(OLD.team_id, 0), OLD.category_id, OLD.person_id, OLD.service_date, OLD.party_member, -1, -OLD.minutes)
      ON CONFLICT(org_unit_id, team_id, category_id, person_id, day, party_member) DO UPDATE SET
        person_times = rollup_person_daily.person_times + excluded.person_times,
        minutes = rollup_person_daily.minutes + excluded.minutes;
  END;

DROP TRIGGER record_corrections_final;
CREATE TRIGGER record_corrections_final BEFORE UPDATE OF
    record_id, minutes, people_served, service_date, category_id, description, reason, status,
    filed_by, filed_at, decided_by, decided_at, decision_reason, applied_version
  ON record_corrections
  WHEN OLD.status <> 'pending'
  BEGIN SELECT RAISE(ABORT, 'correction_decided'); END;

DROP TRIGGER certificates_revoked_final;
CREATE TRIGGER certificates_revoked_final BEFORE UPDATE OF
    person_id, org_unit_id, team_id, period_from, period_to, itemised, status, note,
    requested_by, requested_at, issuer_key, seq_year, seq, number, minutes, person_times,
    content, person_in_charge, handler, issued_by, issued_at, issued_on, revoked_at,
    revoked_by, revoke_reason, created_at, updated_at
  ON certificates
  WHEN OLD.status = 'revoked'
  BEGIN SELECT RAISE(ABORT, 'certificate_revoked'); END;

DROP TRIGGER help_request_events_no_update;
CREATE TRIGGER help_request_events_no_update BEFORE UPDATE OF
    request_id, action, from_state, to_state, by_user, reason, assignee_person_id,
    assignee_team_id, at
  ON help_request_events
  BEGIN SELECT RAISE(ABORT, 'help_request_events_append_only'); END;

-- The people merged into someone (certificates of a person follow merged_into; merges
-- repoint them). Most people have none, so the index stays small.
CREATE INDEX people_merged_into ON people(merged_into) WHERE merged_into IS NOT NULL;

-- Attendances still open (checked in, neither checked out nor closed by the sweep of missed
-- check-outs, api/checkin.c): what the sweep looks at every minute, a handful of rows.
CREATE INDEX attendance_open ON attendance(activity_id) WHERE checkout_at IS NULL AND checkout_via IS NULL;
