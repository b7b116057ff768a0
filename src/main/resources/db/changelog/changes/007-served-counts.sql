--liquibase formatted sql

--changeset segmentpress:007-served-counts
-- Lists served, counted per site, 15-minute period (UTC), audience and variant, instead of one
-- row per list: a busy site serves a list with every page view, and the experiment report needs
-- only the counts. A list's variant and audience travel in its signed rec id, so the Viewed and
-- Clicked events that quote it are attributed without a row to look it up in. audience_id 0 is
-- the audience of no segments.
CREATE TABLE recommendation_served_count (
  site_id      BIGINT       NOT NULL,
  period_start DATETIME     NOT NULL,
  audience_id  BIGINT       NOT NULL,
  variant      VARCHAR(20)  NOT NULL,
  lists        BIGINT       NOT NULL,
  PRIMARY KEY (site_id, period_start, audience_id, variant)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;
-- The key that signs rec ids, shared by every replica; created by the first replica that needs it.
CREATE TABLE service_secret (
  name         VARCHAR(64)   NOT NULL,
  secret       VARBINARY(64) NOT NULL,
  created_at   DATETIME(3)   NOT NULL,
  PRIMARY KEY (name)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;
--rollback DROP TABLE service_secret; DROP TABLE recommendation_served_count;

--changeset segmentpress:007-served-counts-data
-- Lists served before: counted into their periods. Their rows stay in recommendation_served
-- (nothing is added to it any more) so that events quoting their rec ids are still attributed,
-- until retention removes them.
INSERT INTO recommendation_served_count (site_id, period_start, audience_id, variant, lists)
  SELECT site_id,
         CAST(DATE_FORMAT(served_at, '%Y-%m-%d %H:00:00') AS DATETIME) + INTERVAL (MINUTE(served_at) DIV 15) * 15 MINUTE,
         COALESCE(audience_id, 0), variant, COUNT(*)
  FROM recommendation_served
  GROUP BY 1, 2, 3, 4;
--rollback DELETE FROM recommendation_served_count;
