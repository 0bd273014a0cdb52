-- 0007_report_rollups: the per-volunteer daily rollup reports need besides 0005's.
--
-- Distinct volunteers over a period cannot be summed from per-day rows, and 0005's
-- rollup_person_monthly answers only whole months. rollup_person_daily keeps, per recording
-- community, team, category, volunteer, day and Party flag, the confirmed person-times and
-- minutes. Reports read whole months of a period from rollup_person_monthly and only the
-- ragged ends (at most two partial months) from here; star levels read the cumulative sums
-- of a volunteer before and after a period from here. Kept by triggers on service_records
-- exactly like 0005's rollups: in the transaction that confirms, corrects or moves a record
-- (a correction subtracts the old version and adds the new one). Rows whose person_times
-- fell back to 0 no longer count (readers filter person_times > 0).
-- Portable SQL.

CREATE TABLE rollup_person_daily (
  org_unit_id   INTEGER NOT NULL,
  team_id       INTEGER NOT NULL,
  category_id   INTEGER NOT NULL,
  person_id     INTEGER NOT NULL,
  day           TEXT NOT NULL,       -- YYYY-MM-DD
  party_member  INTEGER NOT NULL,
  person_times  INTEGER NOT NULL DEFAULT 0,
  minutes       INTEGER NOT NULL DEFAULT 0,
  PRIMARY KEY (org_unit_id, team_id, category_id, person_id, day, party_member)
);
CREATE INDEX rollup_person_daily_day ON rollup_person_daily(day);
CREATE INDEX rollup_person_daily_person ON rollup_person_daily(person_id, day);

-- Records confirmed before this migration.
INSERT INTO rollup_person_daily(org_unit_id, team_id, category_id, person_id, day, party_member, person_times, minutes)
  SELECT org_unit_id, COALESCE(team_id, 0), category_id, person_id, service_date, party_member, count(*), sum(minutes)
    FROM service_records WHERE status = 'confirmed'
   GROUP BY org_unit_id, COALESCE(team_id, 0), category_id, person_id, service_date, party_member;

CREATE TRIGGER service_records_rollup_pd_ins AFTER INSERT ON service_records
  WHEN NEW.status = 'confirmed'
  BEGIN
    INSERT INTO rollup_person_daily(org_unit_id, team_id, category_id, person_id, day, party_member, person_times, minutes)
      VALUES(NEW.org_unit_id, COALESCE(NEW.team_id, 0), NEW.category_id, NEW.person_id, NEW.service_date, NEW.party_member, 1, NEW.minutes)
      ON CONFLICT(org_unit_id, team_id, category_id, person_id, day, party_member) DO UPDATE SET
        person_times = rollup_person_daily.person_times + excluded.person_times,
        minutes = rollup_person_daily.minutes + excluded.minutes;
  END;

CREATE TRIGGER service_records_rollup_pd_add AFTER UPDATE ON service_records
  WHEN NEW.status = 'confirmed'
  BEGIN
    INSERT INTO rollup_person_daily(org_unit_id, team_id, category_id, person_id, day, party_member, person_times, minutes)
      VALUES(NEW.org_unit_id, COALESCE(NEW.team_id, 0), NEW.category_id, NEW.person_id, NEW.service_date, NEW.party_member, 1, NEW.minutes)
      ON CONFLICT(org_unit_id, team_id, category_id, person_id, day, party_member) DO UPDATE SET
        person_times = rollup_person_daily.person_times + excluded.person_times,
        minutes = rollup_person_daily.minutes + excluded.minutes;
  END;

CREATE TRIGGER service_records_rollup_pd_sub AFTER UPDATE ON service_records
  WHEN OLD.status = 'confirmed'
  BEGIN
    INSERT INTO rollup_person_daily(org_unit_id, team_id, category_id, person_id, day, party_member, person_times, minutes)
      VALUES(OLD.org_unit_id, COALESCE(OLD.team_id, 0), OLD.category_id, OLD.person_id, OLD.service_date, OLD.party_member, -1, -OLD.minutes)
      ON CONFLICT(org_unit_id, team_id, category_id, person_id, day, party_member) DO UPDATE SET
        person_times = rollup_person_daily.person_times + excluded.person_times,
        minutes = rollup_person_daily.minutes + excluded.minutes;
  END;
