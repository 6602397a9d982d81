-- 0020_org_generation: a mark that changes with every change to the
-- organisation tree, so that a server may keep the tree in memory (src/orgs
-- cache.c) and read one row per request to know whether it is still right.
-- Several server processes may share one database (PostgreSQL nodes): each
-- compares the mark it loaded with the one in the database.
--
-- The triggers bump it in the transaction that changes org or org_link,
-- whoever writes (the orgs store, `probity org`, imports, a hand-made SQL
-- fix), so that no writer can forget. stamp is new random bytes on every
-- change and n counts changes: the cache compares the stamp, which no other
-- database and no rolled-back change can repeat (a counter alone would come
-- back to the same value after a rollback, or in another database opened by
-- the same process, with a different tree behind it).
CREATE TABLE org_generation (
  id INTEGER PRIMARY KEY CHECK (id = 1),
  n INTEGER NOT NULL CHECK (n >= 0),
  stamp BLOB NOT NULL CHECK (length(stamp) = 16)
) STRICT;
INSERT INTO org_generation (id, n, stamp) VALUES (1, 0, randomblob(16));

CREATE TRIGGER org_generation_org_insert AFTER INSERT ON org BEGIN
  UPDATE org_generation SET n = n + 1, stamp = randomblob(16) WHERE id = 1;
END;
CREATE TRIGGER org_generation_org_update AFTER UPDATE ON org BEGIN
  UPDATE org_generation SET n = n + 1, stamp = randomblob(16) WHERE id = 1;
END;
CREATE TRIGGER org_generation_org_delete AFTER DELETE ON org BEGIN
  UPDATE org_generation SET n = n + 1, stamp = randomblob(16) WHERE id = 1;
END;
CREATE TRIGGER org_generation_link_insert AFTER INSERT ON org_link BEGIN
  UPDATE org_generation SET n = n + 1, stamp = randomblob(16) WHERE id = 1;
END;
CREATE TRIGGER org_generation_link_update AFTER UPDATE ON org_link BEGIN
  UPDATE org_generation SET n = n + 1, stamp = randomblob(16) WHERE id = 1;
END;
CREATE TRIGGER org_generation_link_delete AFTER DELETE ON org_link BEGIN
  UPDATE org_generation SET n = n + 1, stamp = randomblob(16) WHERE id = 1;
END;
