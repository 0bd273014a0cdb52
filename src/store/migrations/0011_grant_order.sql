-- 0011_grant_order: every authenticated request reads the caller's grants in grant order
-- (Q_GRANTS_OF_USER). The unique index on role_grants starts with user_id but goes on by role,
-- so each request sorted the grants in a temporary b-tree; an index on user_id alone ends with
-- the rowid, which is that order (about 5% of the instructions of GET /api/v1/me).
-- Portable SQL.
CREATE INDEX role_grants_user ON role_grants(user_id);
