-- Named rows that a transaction locks (SELECT ... FOR UPDATE) to run one at a time across every
-- server process sharing the database. 'first_admin_key': two replicas starting at once on an
-- empty database must not each make a first admin key, so the check "no key yet" and the insert
-- run under this lock. (The change sequence has its own lock, the change_counter row.)
CREATE TABLE store_locks (
  name VARCHAR(64) NOT NULL PRIMARY KEY
);

INSERT INTO store_locks (name) VALUES ('first_admin_key');
