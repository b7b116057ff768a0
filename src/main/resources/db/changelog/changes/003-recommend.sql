--liquibase formatted sql

-- (changesets for this feature are appended below)

--changeset segmentpress:003-recommendation-served
-- One row per recommendation list served, written at serve time so that the
-- Recommendation Viewed / Clicked events that carry its rec_id can be attributed to
-- the variant and to the segments the visitor was in when the list was chosen.
CREATE TABLE recommendation_served (
  rec_id       VARCHAR(40)  NOT NULL,
  site_id      BIGINT       NOT NULL,
  visitor_id   BIGINT       NULL,
  variant      VARCHAR(20)  NOT NULL,
  item_count   SMALLINT     NOT NULL,
  served_at    DATETIME(3)  NOT NULL,
  PRIMARY KEY (rec_id),
  KEY ix_served_site_time (site_id, served_at)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;

-- The visitor's segment keys at serve time, one row each, so insights group by segment in SQL.
CREATE TABLE recommendation_served_segment (
  rec_id       VARCHAR(40)  NOT NULL,
  segment_key  VARCHAR(120) NOT NULL,
  PRIMARY KEY (rec_id, segment_key)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;
--rollback DROP TABLE recommendation_served_segment; DROP TABLE recommendation_served;

--changeset segmentpress:003-event-visitor-post-index
-- Serves the per-request "what has this visitor already read" look-up as an index-only
-- range scan, however many events the visitor has.
CREATE INDEX ix_event_visitor_post ON event (visitor_id, post_id, occurred_at);
--rollback DROP INDEX ix_event_visitor_post ON event;

--changeset segmentpress:003-profile-recommendation-inputs
-- What a recommendation request needs about a visitor, kept on the profile row by the segment
-- engine in the same transaction as the memberships: the segment keys (newline-separated) and
-- every item read (postId:epochMillis, comma-separated; NULL when there are too many to keep here).
-- A request then reads one row by primary key instead of grouping memberships and events.
ALTER TABLE visitor_profile
  ADD COLUMN segment_keys TEXT NULL,
  ADD COLUMN read_history MEDIUMTEXT NULL;
--rollback ALTER TABLE visitor_profile DROP COLUMN read_history, DROP COLUMN segment_keys;

--changeset segmentpress:003-dirty-claim
-- A drain claims a visitor's mark (claimed = 1) instead of deleting it, and deletes the claim only
-- once the new profile is committed, so "no mark" always means "the profile row holds every event".
-- Events stored while a claim is held add a fresh unclaimed mark beside it.
ALTER TABLE visitor_dirty
  ADD COLUMN claimed TINYINT NOT NULL DEFAULT 0,
  DROP PRIMARY KEY,
  ADD PRIMARY KEY (visitor_id, claimed);
--rollback ALTER TABLE visitor_dirty DROP PRIMARY KEY, DROP COLUMN claimed, ADD PRIMARY KEY (visitor_id);

--changeset segmentpress:003-served-audience
-- A served list becomes one row. The segments it was chosen for are an "audience": a distinct set
-- of segment keys of a site, stored once and shared by every list served to visitors in the same
-- segments, instead of one row per segment per list. The visitor id is dropped: attribution needs
-- the variant and the segments, not the person. This changeset adds the tables; the next two move
-- the lists served so far and drop what they replace.
CREATE TABLE recommendation_audience (
  audience_id  BIGINT       NOT NULL AUTO_INCREMENT,
  site_id      BIGINT       NOT NULL,
  keys_hash    BINARY(32)   NOT NULL,
  segment_keys TEXT         NOT NULL,
  PRIMARY KEY (audience_id),
  UNIQUE KEY ux_audience_site_keys (site_id, keys_hash)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;
CREATE TABLE recommendation_audience_segment (
  audience_id  BIGINT       NOT NULL,
  segment_key  VARCHAR(120) NOT NULL,
  PRIMARY KEY (audience_id, segment_key)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;
CREATE TABLE recommendation_served_keys_migration (
  rec_id       VARCHAR(40)  NOT NULL,
  site_id      BIGINT       NOT NULL,
  keys_hash    BINARY(32)   NOT NULL,
  segment_keys TEXT         NOT NULL,
  PRIMARY KEY (rec_id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;
ALTER TABLE recommendation_served ADD COLUMN audience_id BIGINT NULL;
--rollback ALTER TABLE recommendation_served DROP COLUMN audience_id;
--rollback DROP TABLE recommendation_served_keys_migration;
--rollback DROP TABLE recommendation_audience_segment;
--rollback DROP TABLE recommendation_audience;

--changeset segmentpress:003-served-audience-data
-- Each list's segment keys in one text (sorted, newline-separated, as the service writes them),
-- then one audience per distinct set of a site, and every list pointed at its audience. Row
-- changes only: one transaction, so a failure leaves nothing half-moved.
SET SESSION group_concat_max_len = 1048576;
INSERT INTO recommendation_served_keys_migration (rec_id, site_id, keys_hash, segment_keys)
  SELECT g.rec_id, s.site_id,
         UNHEX(SHA2(GROUP_CONCAT(g.segment_key ORDER BY g.segment_key SEPARATOR '\n'), 256)),
         GROUP_CONCAT(g.segment_key ORDER BY g.segment_key SEPARATOR '\n')
  FROM recommendation_served_segment g JOIN recommendation_served s ON s.rec_id = g.rec_id
  GROUP BY g.rec_id, s.site_id;
INSERT INTO recommendation_audience (site_id, keys_hash, segment_keys)
  SELECT site_id, keys_hash, MIN(segment_keys) FROM recommendation_served_keys_migration GROUP BY site_id, keys_hash;
UPDATE recommendation_served s
  JOIN recommendation_served_keys_migration k ON k.rec_id = s.rec_id
  JOIN recommendation_audience a ON a.site_id = k.site_id AND a.keys_hash = k.keys_hash
  SET s.audience_id = a.audience_id;
INSERT INTO recommendation_audience_segment (audience_id, segment_key)
  SELECT DISTINCT s.audience_id, g.segment_key
  FROM recommendation_served s JOIN recommendation_served_segment g ON g.rec_id = s.rec_id
  WHERE s.audience_id IS NOT NULL;
--rollback DELETE FROM recommendation_audience_segment;
--rollback DELETE FROM recommendation_audience;
--rollback UPDATE recommendation_served SET audience_id = NULL;
--rollback DELETE FROM recommendation_served_keys_migration;

--changeset segmentpress:003-served-audience-cleanup
DROP TABLE recommendation_served_keys_migration;
DROP TABLE recommendation_served_segment;
ALTER TABLE recommendation_served DROP COLUMN visitor_id;
--rollback CREATE TABLE recommendation_served_keys_migration (rec_id VARCHAR(40) NOT NULL, site_id BIGINT NOT NULL, keys_hash BINARY(32) NOT NULL, segment_keys TEXT NOT NULL, PRIMARY KEY (rec_id)) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;
--rollback CREATE TABLE recommendation_served_segment (rec_id VARCHAR(40) NOT NULL, segment_key VARCHAR(120) NOT NULL, PRIMARY KEY (rec_id, segment_key)) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;
--rollback INSERT INTO recommendation_served_segment (rec_id, segment_key) SELECT s.rec_id, g.segment_key FROM recommendation_served s JOIN recommendation_audience_segment g ON g.audience_id = s.audience_id;
--rollback ALTER TABLE recommendation_served ADD COLUMN visitor_id BIGINT NULL;

--changeset segmentpress:003-drop-event-visitor-time
-- (visitor_id, occurred_at) is redundant since ix_event_visitor_post (visitor_id, post_id,
-- occurred_at): every look-up by visitor alone (merges, erasure, export, a visitor's timeline)
-- uses that index's visitor_id prefix, and the ordered per-visitor reads of the segment engine go
-- through ix_event_engine. One index fewer to maintain on every insert, and one fewer entry to
-- move for every event of a merged visitor.
DROP INDEX ix_event_visitor_time ON event;
--rollback CREATE INDEX ix_event_visitor_time ON event (visitor_id, occurred_at);
