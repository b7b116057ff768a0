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
