--liquibase formatted sql

--changeset segmentpress:006-content-observed
-- The categories that page calls named for each post, the most recent call's (by event time):
-- the segment engine's categories for posts the content catalog does not categorize. Ingest
-- writes a row when a post's categories are new or changed, so the engine reads one row per post
-- instead of the properties of every read of it. Reads stored before this table existed fall
-- back to their own page call's properties.
CREATE TABLE content_observed (
  site_id      BIGINT       NOT NULL,
  post_id      BIGINT       NOT NULL,
  categories   TEXT         NOT NULL,
  observed_at  DATETIME(3)  NOT NULL,
  PRIMARY KEY (site_id, post_id),
  CONSTRAINT fk_content_observed_site FOREIGN KEY (site_id) REFERENCES site (id) ON DELETE CASCADE
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;
--rollback DROP TABLE content_observed;
