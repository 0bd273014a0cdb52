-- 0013_purge_indexes: the periodic sweep deletes expired sessions, old log-in attempts and
-- old idempotency keys (api/purge.c), a bounded batch at a time. These indexes let it find
-- them without reading the whole table every sweep. Portable SQL.
CREATE INDEX sessions_expires ON sessions(expires_at);
CREATE INDEX sessions_last_seen ON sessions(last_seen);
CREATE INDEX login_attempts_at ON login_attempts(at);
CREATE INDEX idempotency_keys_created ON idempotency_keys(created_at);
