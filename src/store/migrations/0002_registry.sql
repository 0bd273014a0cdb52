-- 0002_registry: Party branches, people in full, volunteers, Party membership history,
-- service categories, teams and memberships (DESIGN.md §2).
-- Portable SQL: runs on SQLite and PostgreSQL alike (partial unique indexes, no GLOB).

CREATE TABLE party_branches (
  id                  INTEGER PRIMARY KEY,
  org_unit_id         INTEGER NOT NULL REFERENCES org_units(id),
  kind                TEXT NOT NULL CHECK (kind IN ('branch','general_branch','committee')), -- 党支部, 党总支, 党委
  name                TEXT NOT NULL CHECK (length(name) BETWEEN 1 AND 100),
  secretary_person_id INTEGER REFERENCES people(id),
  district_id         INTEGER,
  created_at          INTEGER NOT NULL,
  updated_at          INTEGER NOT NULL
);
CREATE INDEX party_branches_org ON party_branches(org_unit_id);

ALTER TABLE people ADD COLUMN name_norm TEXT NOT NULL DEFAULT '';      -- for comparison (name.c)
ALTER TABLE people ADD COLUMN id_type TEXT CHECK (id_type IN ('resident_id','hk_mo_tw_residence','passport','other'));
ALTER TABLE people ADD COLUMN id_enc TEXT;          -- sealed with the data key (crypto.c)
ALTER TABLE people ADD COLUMN id_hash TEXT;         -- keyed hash of type:number, for look-up and uniqueness
ALTER TABLE people ADD COLUMN id_masked TEXT;       -- 4101**********123X
ALTER TABLE people ADD COLUMN sex TEXT CHECK (sex IN ('M','F'));
ALTER TABLE people ADD COLUMN birth_date TEXT;      -- YYYY-MM-DD
ALTER TABLE people ADD COLUMN phone TEXT;           -- normalised 1[3-9]xxxxxxxxx
ALTER TABLE people ADD COLUMN political_status TEXT; -- GB/T 4762 code, e.g. '01' 中共党员, '13' 群众
ALTER TABLE people ADD COLUMN skills TEXT NOT NULL DEFAULT '[]';       -- JSON array of tags (特长)
ALTER TABLE people ADD COLUMN interests TEXT NOT NULL DEFAULT '[]';    -- JSON array of tags (兴趣)
ALTER TABLE people ADD COLUMN availability TEXT NOT NULL DEFAULT '[]'; -- JSON: [{"weekday":1,"from":"14:00","to":"17:00"}]
ALTER TABLE people ADD COLUMN vulnerable TEXT NOT NULL DEFAULT '[]';   -- JSON: any of lonely_elderly 孤寡, lives_alone 独居, disabled 残障, very_old 高龄
ALTER TABLE people ADD COLUMN district_id INTEGER;
ALTER TABLE people ADD COLUMN merged_into INTEGER REFERENCES people(id); -- set on the loser of a merge
ALTER TABLE people ADD COLUMN notes TEXT;
CREATE UNIQUE INDEX people_id_hash ON people(id_hash) WHERE id_hash IS NOT NULL AND merged_into IS NULL;
CREATE INDEX people_name_norm ON people(name_norm);
CREATE INDEX people_phone ON people(phone);

CREATE TABLE volunteers (
  id                   INTEGER PRIMARY KEY,
  person_id            INTEGER NOT NULL UNIQUE REFERENCES people(id),
  volunteer_no         TEXT NOT NULL UNIQUE,       -- public identifier, never the ID number
  org_unit_id          INTEGER NOT NULL REFERENCES org_units(id), -- where registered
  registered_on        TEXT NOT NULL,              -- YYYY-MM-DD
  guardian_person_id   INTEGER REFERENCES people(id), -- required under 18
  guardian_consent_on  TEXT,
  status               TEXT NOT NULL DEFAULT 'active' CHECK (status IN ('active','inactive')),
  district_id          INTEGER,
  created_at           INTEGER NOT NULL,
  updated_at           INTEGER NOT NULL
);
CREATE INDEX volunteers_org ON volunteers(org_unit_id);

CREATE TABLE party_memberships (
  id            INTEGER PRIMARY KEY,
  person_id     INTEGER NOT NULL REFERENCES people(id),
  branch_id     INTEGER NOT NULL REFERENCES party_branches(id),
  kind          TEXT NOT NULL CHECK (kind IN ('full','probationary')), -- 中共党员, 中共预备党员
  since         TEXT NOT NULL,     -- YYYY-MM-DD joined this branch
  until         TEXT,              -- YYYY-MM-DD left it; NULL = current
  employer_unit TEXT,              -- 双报到: in-service members' employer
  created_at    INTEGER NOT NULL
);
CREATE UNIQUE INDEX party_memberships_current ON party_memberships(person_id) WHERE until IS NULL;
CREATE INDEX party_memberships_branch ON party_memberships(branch_id);

CREATE TABLE service_categories (
  id          INTEGER PRIMARY KEY,
  code        TEXT NOT NULL UNIQUE,
  name        TEXT NOT NULL,
  name_en     TEXT,
  parent_id   INTEGER REFERENCES service_categories(id),
  org_unit_id INTEGER REFERENCES org_units(id),   -- NULL for the national list; else the community's own
  created_at  INTEGER NOT NULL
);

-- The national list (志愿服务类别) ...
INSERT INTO service_categories(code, name, name_en, created_at) VALUES
 ('community', '社区服务', 'Community service', 0),
 ('poverty', '扶贫减贫', 'Poverty relief', 0),
 ('education', '支教助学', 'Education support', 0),
 ('health', '卫生健康', 'Health', 0),
 ('legal', '法律服务', 'Legal services', 0),
 ('environment', '环境保护', 'Environmental protection', 0),
 ('science', '科技科普', 'Science outreach', 0),
 ('culture', '文化艺术', 'Culture and arts', 0),
 ('safety', '平安综治', 'Public safety', 0),
 ('civility', '文明风尚', 'Civic virtue', 0),
 ('traffic', '交通引导', 'Traffic guidance', 0),
 ('fire', '志愿消防', 'Volunteer firefighting', 0),
 ('emergency', '应急救援', 'Emergency rescue', 0),
 ('antidrug', '禁毒宣传', 'Anti-drug outreach', 0),
 ('sports', '体育健身', 'Sports and fitness', 0),
 ('tourism', '旅游服务', 'Tourism services', 0),
 ('special_groups', '关爱特殊群体', 'Care for vulnerable groups', 0),
 ('major_events', '大型活动', 'Major events', 0),
 ('other', '其他', 'Other', 0);
-- ... and the local sub-categories of the seed article, available to every community.
INSERT INTO service_categories(code, name, name_en, parent_id, created_at) VALUES
 ('cleaning', '清扫家园', 'Neighbourhood cleaning', (SELECT id FROM service_categories WHERE code = 'environment'), 0),
 ('patrol', '治安巡逻', 'Security patrol', (SELECT id FROM service_categories WHERE code = 'safety'), 0),
 ('appliance_repair', '家电维修', 'Appliance repair', (SELECT id FROM service_categories WHERE code = 'community'), 0),
 ('afterschool', '四点钟课堂', 'After-school class', (SELECT id FROM service_categories WHERE code = 'education'), 0),
 ('performance', '文艺汇演', 'Performances', (SELECT id FROM service_categories WHERE code = 'culture'), 0),
 ('haircut', '义务理发', 'Free haircuts', (SELECT id FROM service_categories WHERE code = 'community'), 0),
 ('elder_care', '照料老人', 'Elderly care', (SELECT id FROM service_categories WHERE code = 'special_groups'), 0),
 ('mediation', '调解纠纷', 'Dispute mediation', (SELECT id FROM service_categories WHERE code = 'safety'), 0),
 ('traffic_assist', '交通协管', 'Traffic assistance', (SELECT id FROM service_categories WHERE code = 'traffic'), 0),
 ('massage', '义务按摩', 'Free massage', (SELECT id FROM service_categories WHERE code = 'health'), 0),
 ('calligraphy', '书画', 'Calligraphy and painting', (SELECT id FROM service_categories WHERE code = 'culture'), 0),
 ('resident_help', '帮扶群众', 'Helping residents', (SELECT id FROM service_categories WHERE code = 'community'), 0);

CREATE TABLE teams (
  id               INTEGER PRIMARY KEY,
  org_unit_id      INTEGER NOT NULL REFERENCES org_units(id),   -- the community
  branch_id        INTEGER REFERENCES party_branches(id),       -- 党支部领建
  name             TEXT NOT NULL CHECK (length(name) BETWEEN 1 AND 100),
  leader_person_id INTEGER REFERENCES people(id),
  category_id      INTEGER REFERENCES service_categories(id),   -- main service category
  founded_on       TEXT,                                        -- YYYY-MM-DD
  description      TEXT,
  needs            TEXT,          -- what the team is looking for (skills, interests), free text
  district_id      INTEGER,
  created_at       INTEGER NOT NULL,
  updated_at       INTEGER NOT NULL
);
CREATE INDEX teams_org ON teams(org_unit_id);

CREATE TABLE team_members (
  id         INTEGER PRIMARY KEY,
  team_id    INTEGER NOT NULL REFERENCES teams(id),
  person_id  INTEGER NOT NULL REFERENCES people(id),
  role       TEXT NOT NULL CHECK (role IN ('leader','deputy','member')), -- 队长, 副队长, 队员
  joined_on  TEXT NOT NULL,      -- YYYY-MM-DD
  left_on    TEXT,               -- YYYY-MM-DD; NULL = current
  district_id INTEGER,
  created_at INTEGER NOT NULL,
  CHECK (left_on IS NULL OR left_on >= joined_on)
);
CREATE UNIQUE INDEX team_members_current ON team_members(team_id, person_id) WHERE left_on IS NULL;
CREATE INDEX team_members_person ON team_members(person_id);
