--liquibase formatted sql

-- (changesets for this feature are appended below)

--changeset segmentpress:004-brief
-- Publishing briefs: one row per proposal of what to write (or refresh) for one segment on one
-- topic. Lifecycle columns are real columns; the generated text (titles, outline, audience
-- evidence, links) is one JSON document, written once per generation and read as a whole.
CREATE TABLE brief (
  id                 BIGINT        NOT NULL AUTO_INCREMENT,
  site_id            BIGINT        NOT NULL,
  segment_key        VARCHAR(120)  NOT NULL,
  -- what the brief is about, stable across runs: 'tag:gluten-free', 'search:gluten-free',
  -- 'refresh:1234', 'stage:consideration@category:espresso'. Generation never proposes a second
  -- open brief for the same (segment, topic).
  topic_key          VARCHAR(300)  NOT NULL,
  kind               VARCHAR(10)   NOT NULL,
  journey_stage      VARCHAR(20)   NOT NULL,
  title              VARCHAR(300)  NOT NULL,
  priority           SMALLINT      NOT NULL,
  rationale          VARCHAR(2000) NOT NULL,
  body               LONGTEXT      NOT NULL,
  status             VARCHAR(12)   NOT NULL,
  wp_post_id         BIGINT        NULL,
  scheduled_for      DATETIME(3)   NULL,
  published_at       DATETIME(3)   NULL,
  measured_at        DATETIME(3)   NULL,
  status_changed_at  DATETIME(3)   NOT NULL,
  created_at         DATETIME(3)   NOT NULL,
  updated_at         DATETIME(3)   NOT NULL,
  PRIMARY KEY (id),
  KEY ix_brief_site_status (site_id, status, priority),
  KEY ix_brief_site_segment_topic (site_id, segment_key, topic_key),
  CONSTRAINT fk_brief_site FOREIGN KEY (site_id) REFERENCES site (id) ON DELETE CASCADE
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;
--rollback DROP TABLE brief;

--changeset segmentpress:004-search-index
-- Brief generation reads the window's searches with their visitor and query text. Extending the
-- (site, name, time) index with both makes that a covering range scan; through the old index every
-- search was a row look-up, which on a large site means reading nearly every page of the table.
-- Queries that used the (site, name, time) prefix keep it.
ALTER TABLE event DROP INDEX ix_event_site_name_time,
  ADD INDEX ix_event_site_name_time (site_id, name, occurred_at, visitor_id, search_query);
--rollback ALTER TABLE event DROP INDEX ix_event_site_name_time, ADD INDEX ix_event_site_name_time (site_id, name, occurred_at);
