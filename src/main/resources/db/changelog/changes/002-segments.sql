--liquibase formatted sql

--changeset segmentpress:002-profile
-- One row per visitor: the aggregates every segment, recommendation and brief reads.
-- Rebuilt from raw events by the segment engine; never written by ingest.
CREATE TABLE visitor_profile (
  visitor_id           BIGINT        NOT NULL,
  site_id              BIGINT        NOT NULL,
  user_id              VARCHAR(200)  NULL,
  first_seen           DATETIME(3)   NULL,
  last_seen            DATETIME(3)   NULL,
  sessions             INT           NOT NULL DEFAULT 0,
  page_views           INT           NOT NULL DEFAULT 0,
  active_days_30       INT           NOT NULL DEFAULT 0,
  active_days_prev_30  INT           NOT NULL DEFAULT 0,
  engaged_seconds      BIGINT        NOT NULL DEFAULT 0,
  avg_scroll_depth     DECIMAL(5,2)  NULL,
  orders               INT           NOT NULL DEFAULT 0,
  revenue              DECIMAL(14,2) NOT NULL DEFAULT 0,
  average_order_value  DECIMAL(14,2) NULL,
  discounted_orders    INT           NOT NULL DEFAULT 0,
  first_order_at       DATETIME(3)   NULL,
  last_order_at        DATETIME(3)   NULL,
  cart_adds_30         INT           NOT NULL DEFAULT 0,
  rfm_r                TINYINT       NULL,
  rfm_f                TINYINT       NULL,
  rfm_m                TINYINT       NULL,
  rfm_cell             VARCHAR(40)   NULL,
  stage                VARCHAR(40)   NOT NULL DEFAULT 'stage:awareness',
  interests            TEXT          NULL,
  computed_at          DATETIME(3)   NOT NULL,
  PRIMARY KEY (visitor_id),
  KEY ix_profile_site_stage (site_id, stage),
  KEY ix_profile_site_last_seen (site_id, last_seen)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;

-- Current membership: one row per (segment, visitor), with the evidence that put it there.
-- The stage family is here too (exactly one stage:* row per visitor).
CREATE TABLE segment_membership (
  site_id      BIGINT        NOT NULL,
  segment_key  VARCHAR(120)  NOT NULL,
  visitor_id   BIGINT        NOT NULL,
  since        DATETIME(3)   NOT NULL,
  evidence     VARCHAR(1000) NULL,
  PRIMARY KEY (site_id, segment_key, visitor_id),
  KEY ix_membership_visitor (visitor_id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;

-- Every entry into and exit from a segment, for sizes over time and stage flow.
CREATE TABLE segment_transition (
  id           BIGINT        NOT NULL AUTO_INCREMENT,
  site_id      BIGINT        NOT NULL,
  segment_key  VARCHAR(120)  NOT NULL,
  visitor_id   BIGINT        NOT NULL,
  entered      BOOLEAN       NOT NULL,
  at           DATETIME(3)   NOT NULL,
  PRIMARY KEY (id),
  KEY ix_transition_site_time (site_id, at),
  KEY ix_transition_site_segment_time (site_id, segment_key, at),
  KEY ix_transition_visitor (visitor_id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;

-- A site's own segments, defined by a JSON rule (see docs/segments.md).
CREATE TABLE custom_segment (
  site_id      BIGINT        NOT NULL,
  segment_key  VARCHAR(120)  NOT NULL,
  name         VARCHAR(200)  NOT NULL,
  description  VARCHAR(1000) NULL,
  rule         TEXT          NOT NULL,
  created_at   DATETIME(3)   NOT NULL,
  updated_at   DATETIME(3)   NOT NULL,
  PRIMARY KEY (site_id, segment_key)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;
--rollback DROP TABLE custom_segment; DROP TABLE segment_transition; DROP TABLE segment_membership; DROP TABLE visitor_profile;

--changeset segmentpress:002-engine-indexes
-- The segment engine reads every event of a site (or of a few visitors) in (visitor, time)
-- order. This index covers every column it needs, so a full recompute is one ordered index
-- scan instead of a random row look-up per event.
ALTER TABLE event ADD INDEX ix_event_engine (site_id, visitor_id, occurred_at, type, name, post_id, order_id, revenue,
  discount, coupon, engaged_seconds, scroll_depth);

-- Hashes of what was last written for a visitor, so a recompute rewrites only visitors whose
-- profile or memberships changed; RFM evidence explains the scores (or why there are none).
ALTER TABLE visitor_profile
  ADD COLUMN rfm_evidence     VARCHAR(300) NULL,
  ADD COLUMN profile_hash     BIGINT       NULL,
  ADD COLUMN membership_hash  BIGINT       NULL,
  ADD INDEX ix_profile_site_visitor (site_id, visitor_id, profile_hash, membership_hash),
  ADD INDEX ix_profile_site_customers (site_id, orders, last_order_at, revenue, average_order_value);

-- The engine loads the current memberships of a batch of visitors to diff against.
ALTER TABLE segment_membership ADD INDEX ix_membership_site_visitor (site_id, visitor_id);
--rollback ALTER TABLE segment_membership DROP INDEX ix_membership_site_visitor; ALTER TABLE visitor_profile DROP INDEX ix_profile_site_customers, DROP INDEX ix_profile_site_visitor, DROP COLUMN membership_hash, DROP COLUMN profile_hash, DROP COLUMN rfm_evidence; ALTER TABLE event DROP INDEX ix_event_engine;

--changeset segmentpress:002-profile-version
-- Bumped by every transaction that writes or deletes visitor_profile rows of a site (the engine,
-- erasure), so a replica can tell whether the site's customer distribution it keeps in memory
-- between drains still matches the table without reading every customer row.
CREATE TABLE segment_profile_version (
  site_id  BIGINT  NOT NULL,
  version  BIGINT  NOT NULL,
  PRIMARY KEY (site_id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;
--rollback DROP TABLE segment_profile_version;
