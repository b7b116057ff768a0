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
