-- 0010_activity_scope: the list of activities in a street, district or community without
-- walking every activity (issue "Benchmarks", scenario 1).
--
-- GET /api/v1/activities?org_unit=X used to walk activities in start order and test each
-- one's org path against X's (path LIKE), counting its waitlist per row: at city scale a
-- street holds 1% of the activities, so a page of 20 read about 2,000. Now an activity carries
-- the ids of the units its org path goes through, and indexes serve "in this unit, with this
-- status, in start order" as a range scan that stops at the page's LIMIT:
--   * org_unit_id  the team's community (teams belong to communities, api/teams.c);
--   * street_id    the street above it (the nearest ancestor-or-self of kind street), NULL
--                  when the community hangs straight under a district;
--   * district_id  the district (already there, 0005; the distribution key).
-- Filled at insert (Q_ACT_INSERT, the demo generator) and rewritten for the whole subtree when
-- an org unit moves (api/org_units.c, move_node). A street sits at most two levels above any
-- node an activity can belong to (venue -> community -> street), which is what the
-- parent/grandparent look-up below relies on.
--
-- waitlisted: the sign-ups waiting for a place, kept by triggers on signups like
-- places_taken (0005), so a list does not count each row's waitlist.
-- Portable SQL.

ALTER TABLE activities ADD COLUMN street_id INTEGER;
ALTER TABLE activities ADD COLUMN waitlisted INTEGER NOT NULL DEFAULT 0;

UPDATE activities SET
  district_id = (SELECT o.district_id FROM org_units o WHERE o.id = activities.org_unit_id),
  street_id = (SELECT CASE WHEN o.kind = 'street' THEN o.id WHEN p.kind = 'street' THEN p.id
                           WHEN g.kind = 'street' THEN g.id END
                 FROM org_units o LEFT JOIN org_units p ON p.id = o.parent_id
                 LEFT JOIN org_units g ON g.id = p.parent_id
                WHERE o.id = activities.org_unit_id),
  waitlisted = (SELECT count(*) FROM signups s WHERE s.activity_id = activities.id AND s.status = 'waitlisted');

-- (unit, status, start): a page of one status in start order (the rowid, a.id, follows
-- starts_at in every index, so ORDER BY starts_at, id needs no sort); (unit, start): every
-- status. The city (or no unit) reads activities_status_start or 0005's activities_start.
CREATE INDEX activities_street_status ON activities(street_id, status, starts_at);
CREATE INDEX activities_district_status ON activities(district_id, status, starts_at);
CREATE INDEX activities_org_status ON activities(org_unit_id, status, starts_at);
CREATE INDEX activities_status_start ON activities(status, starts_at);
CREATE INDEX activities_street_start ON activities(street_id, starts_at);
CREATE INDEX activities_district_start ON activities(district_id, starts_at);

CREATE TRIGGER signups_wait_ins AFTER INSERT ON signups
  WHEN NEW.status = 'waitlisted'
  BEGIN UPDATE activities SET waitlisted = waitlisted + 1 WHERE id = NEW.activity_id; END;
CREATE TRIGGER signups_wait_join AFTER UPDATE OF status ON signups
  WHEN NEW.status = 'waitlisted' AND OLD.status <> 'waitlisted'
  BEGIN UPDATE activities SET waitlisted = waitlisted + 1 WHERE id = NEW.activity_id; END;
CREATE TRIGGER signups_wait_leave AFTER UPDATE OF status ON signups
  WHEN OLD.status = 'waitlisted' AND NEW.status <> 'waitlisted'
  BEGIN UPDATE activities SET waitlisted = waitlisted - 1 WHERE id = NEW.activity_id; END;
CREATE TRIGGER signups_wait_del AFTER DELETE ON signups
  WHEN OLD.status = 'waitlisted'
  BEGIN UPDATE activities SET waitlisted = waitlisted - 1 WHERE id = OLD.activity_id; END;

-- The sign-up triggers of 0005 again, without `status IN (...)`: SQLite builds a temporary
-- b-tree for an IN list (and for an OR of equalities on an indexed column, which it turns
-- into IN) every time a trigger program runs: a pager opened, two pages zeroed, closed again,
-- about a third of the writer's work per sign-up. The WHEN clauses compare with OR (no table,
-- so no IN); the EXISTS tests the status with CASE, which no index is asked to serve. Same
-- rules, same names. Portable SQL apart from DROP TRIGGER, which PostgreSQL spells
-- DROP TRIGGER name ON table.
DROP TRIGGER signups_place_ins;
CREATE TRIGGER signups_place_ins AFTER INSERT ON signups
  WHEN NEW.status = 'confirmed' OR NEW.status = 'attended' OR NEW.status = 'no_show'
  BEGIN UPDATE activities SET places_taken = places_taken + 1 WHERE id = NEW.activity_id; END;
DROP TRIGGER signups_place_take;
CREATE TRIGGER signups_place_take AFTER UPDATE OF status ON signups
  WHEN (NEW.status = 'confirmed' OR NEW.status = 'attended' OR NEW.status = 'no_show')
   AND NOT (OLD.status = 'confirmed' OR OLD.status = 'attended' OR OLD.status = 'no_show')
  BEGIN UPDATE activities SET places_taken = places_taken + 1 WHERE id = NEW.activity_id; END;
DROP TRIGGER signups_place_free;
CREATE TRIGGER signups_place_free AFTER UPDATE OF status ON signups
  WHEN (OLD.status = 'confirmed' OR OLD.status = 'attended' OR OLD.status = 'no_show')
   AND NOT (NEW.status = 'confirmed' OR NEW.status = 'attended' OR NEW.status = 'no_show')
  BEGIN UPDATE activities SET places_taken = places_taken - 1 WHERE id = NEW.activity_id; END;
DROP TRIGGER signups_place_del;
CREATE TRIGGER signups_place_del AFTER DELETE ON signups
  WHEN OLD.status = 'confirmed' OR OLD.status = 'attended' OR OLD.status = 'no_show'
  BEGIN UPDATE activities SET places_taken = places_taken - 1 WHERE id = OLD.activity_id; END;

-- The overlap check (a person holds places in no two activities that overlap) read every place
-- the person had ever held, joined to its activity for the times: with three years of history
-- a hundred rows per sign-up. A sign-up now carries its activity's times, kept equal by the
-- triggers below, and (person_id, ends_at) finds only the places that end after the new one
-- starts, which for a coming activity are the person's few coming places.
ALTER TABLE signups ADD COLUMN starts_at INTEGER;
ALTER TABLE signups ADD COLUMN ends_at INTEGER;
UPDATE signups SET starts_at = (SELECT a.starts_at FROM activities a WHERE a.id = signups.activity_id),
                   ends_at = (SELECT a.ends_at FROM activities a WHERE a.id = signups.activity_id);
CREATE INDEX signups_person_ends ON signups(person_id, ends_at);
-- rexin's inserts give the times; any other insert gets them here
CREATE TRIGGER signups_times_fill AFTER INSERT ON signups
  WHEN NEW.starts_at IS NULL OR NEW.ends_at IS NULL
  BEGIN
    UPDATE signups SET starts_at = (SELECT a.starts_at FROM activities a WHERE a.id = NEW.activity_id),
                       ends_at = (SELECT a.ends_at FROM activities a WHERE a.id = NEW.activity_id)
     WHERE id = NEW.id;
  END;
CREATE TRIGGER activities_times_to_signups AFTER UPDATE OF starts_at, ends_at ON activities
  WHEN NEW.starts_at <> OLD.starts_at OR NEW.ends_at <> OLD.ends_at
  BEGIN UPDATE signups SET starts_at = NEW.starts_at, ends_at = NEW.ends_at WHERE activity_id = NEW.id; END;

DROP TRIGGER signups_no_overlap_ins;
CREATE TRIGGER signups_no_overlap_ins BEFORE INSERT ON signups
  WHEN (NEW.status = 'confirmed' OR NEW.status = 'attended') AND EXISTS (
    SELECT 1 FROM activities me JOIN signups s ON s.person_id = NEW.person_id AND s.ends_at > me.starts_at
      JOIN activities a ON a.id = s.activity_id
     WHERE me.id = NEW.activity_id AND s.activity_id <> NEW.activity_id AND s.starts_at < me.ends_at
       AND CASE s.status WHEN 'confirmed' THEN 1 WHEN 'attended' THEN 1 ELSE 0 END = 1
       AND a.status <> 'cancelled' AND a.starts_at < me.ends_at AND a.ends_at > me.starts_at)
  BEGIN SELECT RAISE(ABORT, 'signup_overlap'); END;
DROP TRIGGER signups_no_overlap_upd;
CREATE TRIGGER signups_no_overlap_upd BEFORE UPDATE OF status, person_id ON signups
  WHEN (NEW.status = 'confirmed' OR NEW.status = 'attended') AND EXISTS (
    SELECT 1 FROM activities me JOIN signups s ON s.person_id = NEW.person_id AND s.ends_at > me.starts_at
      JOIN activities a ON a.id = s.activity_id
     WHERE me.id = NEW.activity_id AND s.activity_id <> NEW.activity_id AND s.starts_at < me.ends_at
       AND CASE s.status WHEN 'confirmed' THEN 1 WHEN 'attended' THEN 1 ELSE 0 END = 1
       AND a.status <> 'cancelled' AND a.starts_at < me.ends_at AND a.ends_at > me.starts_at)
  BEGIN SELECT RAISE(ABORT, 'signup_overlap'); END;
