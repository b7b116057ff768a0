--liquibase formatted sql

--changeset segmentpress:008-schema-fingerprint
-- What the last successful migration at start applied: a hash of the whole changelog and how
-- many changesets the database then counted. A replica that starts with the same changelog and
-- finds both unchanged knows there is nothing to apply, and takes traffic without running
-- Liquibase (about a second of every start).
CREATE TABLE schema_fingerprint (
  name         VARCHAR(64)  NOT NULL,
  fingerprint  BINARY(32)   NOT NULL,
  changesets   INT          NOT NULL,
  recorded_at  DATETIME(3)  NOT NULL,
  PRIMARY KEY (name)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;
--rollback DROP TABLE schema_fingerprint;
