-- 0003_registry_org: the rules of the organisation tree, branches, categories and teams that
-- must hold whatever code writes the rows (DESIGN.md §4 "invariants live in the database").
-- The API checks the same rules first to answer with a precise field error; these triggers
-- are the backstop. Machine codes raised here are mapped to 409s in src/api/.

-- Which kind of node may sit under which: city > district > street > community > venue, a
-- community may hang directly under a district, and a venue (党群服务中心) under any
-- district, street or community. Only a city may be a root. Mirrors domain/orgtree.c.
CREATE TRIGGER org_units_kind_insert BEFORE INSERT ON org_units
  WHEN (NEW.parent_id IS NULL AND NEW.kind <> 'city')
    OR (NEW.parent_id IS NOT NULL AND NOT EXISTS (
      SELECT 1 FROM org_units p WHERE p.id = NEW.parent_id AND (
           (NEW.kind = 'district' AND p.kind = 'city')
        OR (NEW.kind = 'street' AND p.kind = 'district')
        OR (NEW.kind = 'community' AND p.kind IN ('street', 'district'))
        OR (NEW.kind = 'venue' AND p.kind IN ('district', 'street', 'community')))))
  BEGIN SELECT RAISE(ABORT, 'org_kind_not_allowed'); END;

CREATE TRIGGER org_units_kind_update BEFORE UPDATE OF parent_id, kind ON org_units
  WHEN (NEW.parent_id IS NULL AND NEW.kind <> 'city')
    OR (NEW.parent_id IS NOT NULL AND NOT EXISTS (
      SELECT 1 FROM org_units p WHERE p.id = NEW.parent_id AND (
           (NEW.kind = 'district' AND p.kind = 'city')
        OR (NEW.kind = 'street' AND p.kind = 'district')
        OR (NEW.kind = 'community' AND p.kind IN ('street', 'district'))
        OR (NEW.kind = 'venue' AND p.kind IN ('district', 'street', 'community')))))
  BEGIN SELECT RAISE(ABORT, 'org_kind_not_allowed'); END;

-- A node never moves under itself or one of its descendants (the path would loop).
CREATE TRIGGER org_units_no_cycle BEFORE UPDATE OF parent_id ON org_units
  WHEN NEW.parent_id IS NOT NULL
   AND (SELECT p.path FROM org_units p WHERE p.id = NEW.parent_id) LIKE OLD.path || '%'
  BEGIN SELECT RAISE(ABORT, 'org_cycle'); END;

-- A team belongs to a community.
CREATE TRIGGER teams_in_community_insert BEFORE INSERT ON teams
  WHEN NOT EXISTS (SELECT 1 FROM org_units o WHERE o.id = NEW.org_unit_id AND o.kind = 'community')
  BEGIN SELECT RAISE(ABORT, 'team_not_in_community'); END;
CREATE TRIGGER teams_in_community_update BEFORE UPDATE OF org_unit_id ON teams
  WHEN NOT EXISTS (SELECT 1 FROM org_units o WHERE o.id = NEW.org_unit_id AND o.kind = 'community')
  BEGIN SELECT RAISE(ABORT, 'team_not_in_community'); END;

-- One person's periods in one team never overlap ([joined_on, left_on) half-open), so a
-- team's size on a date counts everybody once. Two open periods are left to the partial
-- unique index of 0002 (team_members_current); this covers every other overlap.
CREATE TRIGGER team_members_no_overlap_insert BEFORE INSERT ON team_members
  WHEN EXISTS (SELECT 1 FROM team_members m
               WHERE m.team_id = NEW.team_id AND m.person_id = NEW.person_id
                 AND ((m.left_on IS NOT NULL AND m.left_on > NEW.joined_on
                       AND (NEW.left_on IS NULL OR NEW.left_on > m.joined_on))
                   OR (m.left_on IS NULL AND NEW.left_on IS NOT NULL AND NEW.left_on > m.joined_on)))
  BEGIN SELECT RAISE(ABORT, 'membership_overlap'); END;
CREATE TRIGGER team_members_no_overlap_update BEFORE UPDATE OF joined_on, left_on ON team_members
  WHEN EXISTS (SELECT 1 FROM team_members m
               WHERE m.team_id = NEW.team_id AND m.person_id = NEW.person_id AND m.id <> NEW.id
                 AND (m.left_on IS NULL OR m.left_on > NEW.joined_on)
                 AND (NEW.left_on IS NULL OR NEW.left_on > m.joined_on))
  BEGIN SELECT RAISE(ABORT, 'membership_overlap'); END;

-- Names that people tell apart by: one team, branch or local category of a name per node.
CREATE UNIQUE INDEX teams_org_name ON teams(org_unit_id, name);
CREATE UNIQUE INDEX party_branches_org_name ON party_branches(org_unit_id, name);
CREATE UNIQUE INDEX service_categories_local_name ON service_categories(org_unit_id, name)
  WHERE org_unit_id IS NOT NULL;

CREATE INDEX teams_branch ON teams(branch_id);
CREATE INDEX teams_category ON teams(category_id);
CREATE INDEX team_members_team ON team_members(team_id, joined_on);
CREATE INDEX service_categories_org ON service_categories(org_unit_id);
