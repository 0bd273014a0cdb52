-- 0004_registry_people: the invariants of people, volunteers and Party membership that must
-- hold whoever writes (DESIGN.md §4: "invariants that matter live in the database").
-- The C layer checks the same rules first to give field errors; these triggers are the
-- last line, raising machine codes that the API maps to 409s.

-- Political status is a GB/T 4762 code ('01' 中共党员 ... '13' 群众) or the generic
-- 'democratic_party' (民主党派成员, party not stated).
CREATE TRIGGER people_political_status_ins BEFORE INSERT ON people
  WHEN NEW.political_status IS NOT NULL AND NEW.political_status NOT IN
       ('01','02','03','04','05','06','07','08','09','10','11','12','13','democratic_party')
  BEGIN SELECT RAISE(ABORT, 'invalid_political_status'); END;
CREATE TRIGGER people_political_status_upd BEFORE UPDATE OF political_status ON people
  WHEN NEW.political_status IS NOT NULL AND NEW.political_status NOT IN
       ('01','02','03','04','05','06','07','08','09','10','11','12','13','democratic_party')
  BEGIN SELECT RAISE(ABORT, 'invalid_political_status'); END;

-- A merge points a loser at a live survivor, never at itself or at another loser, and is
-- never undone (records merged earlier into a loser are pointed on at its survivor).
CREATE TRIGGER people_merge_target BEFORE UPDATE OF merged_into ON people
  WHEN NEW.merged_into IS NOT NULL AND (NEW.merged_into = NEW.id
       OR (SELECT merged_into FROM people WHERE id = NEW.merged_into) IS NOT NULL)
  BEGIN SELECT RAISE(ABORT, 'invalid_merge'); END;
CREATE TRIGGER people_merge_final BEFORE UPDATE OF merged_into ON people
  WHEN OLD.merged_into IS NOT NULL AND NEW.merged_into IS NULL
  BEGIN SELECT RAISE(ABORT, 'invalid_merge'); END;

-- Volunteers: nothing new is attached to a merged record; a guardian is someone else and
-- comes with the date of consent; a minor (under 18 on the registration date, by the
-- birth date on record) needs both. Dates are 'YYYY-MM-DD' text, so "18 years before the
-- registration date" is the year minus 18 followed by the same '-MM-DD', compared as text.
CREATE TRIGGER volunteers_rules BEFORE INSERT ON volunteers
  BEGIN
    SELECT RAISE(ABORT, 'person_merged')
      WHERE (SELECT merged_into FROM people WHERE id = NEW.person_id) IS NOT NULL;
    SELECT RAISE(ABORT, 'guardian_invalid')
      WHERE NEW.guardian_person_id = NEW.person_id
         OR (NEW.guardian_person_id IS NULL) <> (NEW.guardian_consent_on IS NULL);
    SELECT RAISE(ABORT, 'guardian_required')
      WHERE NEW.guardian_person_id IS NULL
        AND (SELECT birth_date FROM people WHERE id = NEW.person_id) >
            (CAST(substr(NEW.registered_on, 1, 4) AS INTEGER) - 18) || substr(NEW.registered_on, 5);
  END;
CREATE INDEX volunteers_guardian ON volunteers(guardian_person_id);

-- Party membership: a period ends on or after it starts; nothing new for a merged record.
CREATE TRIGGER party_memberships_ins BEFORE INSERT ON party_memberships
  BEGIN
    SELECT RAISE(ABORT, 'person_merged')
      WHERE (SELECT merged_into FROM people WHERE id = NEW.person_id) IS NOT NULL;
    SELECT RAISE(ABORT, 'membership_dates') WHERE NEW.until IS NOT NULL AND NEW.until < NEW.since;
  END;
CREATE TRIGGER party_memberships_upd BEFORE UPDATE OF until, since ON party_memberships
  WHEN NEW.until IS NOT NULL AND NEW.until < NEW.since
  BEGIN SELECT RAISE(ABORT, 'membership_dates'); END;

-- Look-ups the merge and the lists need.
CREATE INDEX users_person ON users(person_id);
CREATE INDEX teams_leader ON teams(leader_person_id);
CREATE INDEX party_branches_secretary ON party_branches(secretary_person_id);
CREATE INDEX people_org_id ON people(org_unit_id, id);
