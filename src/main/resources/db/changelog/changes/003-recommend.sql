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
