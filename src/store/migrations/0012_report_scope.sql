-- 0012_report_scope: reports read the rollups of the units under the node they are asked
-- for, a period at a time (issue "Benchmarks", scenario 3).
--
-- The report statements (queries_reports.def) used to read a period from the rollups by
-- month or day for every unit of the city and then keep the node's subtree by path: a
-- community's three-year summary read every community's rows, 3 seconds at district scale.
-- Now they take the subtree's units first (org_units by path) and each unit's rows of the
-- period from these indexes. Portable SQL.
CREATE INDEX rollup_monthly_org_month ON rollup_monthly(org_unit_id, month);
CREATE INDEX rollup_daily_org_day ON rollup_daily(org_unit_id, day);
CREATE INDEX rollup_person_monthly_org_month ON rollup_person_monthly(org_unit_id, month);
CREATE INDEX rollup_person_daily_org_day ON rollup_person_daily(org_unit_id, day);
CREATE INDEX rollup_team_sessions_org_day ON rollup_team_sessions(org_unit_id, day);
