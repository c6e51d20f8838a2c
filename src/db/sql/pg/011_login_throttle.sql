-- 011_login_throttle: the login throttle's counters (core/login.c), in the
-- database so that every instance behind a load balancer shares them.  The
-- SQLite twin is src/db/sql/sqlite/011_login_throttle.sql.
--
-- One row per key: "u:" the user name and the client address (the attempts
-- at one name from one place), "a:" the client address alone (the attempts
-- at every name from there).  An attempt is counted before its password is
-- checked (failures), and a success gives its count back; past the key's free
-- attempts each one pushes next_at further out (a doubling delay), and an
-- attempt before next_at is refused without being checked or counted.
-- last_at is when the key was last tried: rows untried for a day are
-- forgotten.
CREATE TABLE login_throttle (
    key      TEXT PRIMARY KEY,
    failures BIGINT NOT NULL,
    next_at  BIGINT NOT NULL,
    last_at  BIGINT NOT NULL
);
CREATE INDEX login_throttle_last ON login_throttle (last_at);
