-- 0021_throttle: the sign-in and receipt throttles' token buckets
-- (src/web/throttle.h), in the database so that every serving node draws on
-- one budget per client.
--
-- client is a keyed hash of the client's address (src/web/http.c), never the
-- address: the key is derived from the signing key, which is not in the
-- database, so a reader of this table cannot hash every address and match.
-- A row lives only while its bucket is short of full (the client failed
-- recently): writes delete rows whose full_ms has passed. milli_tokens is in
-- thousandths of an attempt; at_ms and full_ms are wall-clock milliseconds since
-- 1970 (the nodes share no other clock).
CREATE TABLE throttle_bucket (
  bucket TEXT NOT NULL CHECK (length(bucket) BETWEEN 1 AND 32),
  client BLOB NOT NULL CHECK (length(client) = 16),
  milli_tokens INTEGER NOT NULL CHECK (milli_tokens >= 0),
  at_ms INTEGER NOT NULL,
  full_ms INTEGER NOT NULL,
  PRIMARY KEY (bucket, client)
) STRICT;
CREATE INDEX throttle_bucket_full ON throttle_bucket (bucket, full_ms);
