--liquibase formatted sql

--changeset segmentpress:009-full-pass
-- When each site's segments were last evaluated in full (passed_at: when that pass started, and
-- site_day: the site's calendar day then), and when the catalog last changed (inputs_changed_at).
-- Built-in segments change with time only when the site's day changes (their windows are whole
-- days), so the scheduled time-window pass skips a site already evaluated today whose catalog,
-- observed categories and settings have not changed since, until the pass is older than its
-- maximum age (percentile-based segments follow the other customers' orders).
CREATE TABLE segment_full_pass (
  site_id            BIGINT       NOT NULL,
  site_day           BIGINT       NOT NULL,
  passed_at          DATETIME(3)  NOT NULL,
  inputs_changed_at  DATETIME(3)  NULL,
  PRIMARY KEY (site_id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;
--rollback DROP TABLE segment_full_pass;
