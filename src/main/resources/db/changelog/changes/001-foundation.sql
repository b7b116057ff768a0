--liquibase formatted sql

-- All timestamps are stored as UTC (DATETIME(3)); the service sets the session
-- time zone to UTC on every connection.

--changeset segmentpress:001-site
CREATE TABLE site (
  id              BIGINT       NOT NULL AUTO_INCREMENT,
  name            VARCHAR(200) NOT NULL,
  url             VARCHAR(500) NOT NULL,
  allowed_origins TEXT         NOT NULL,
  timezone        VARCHAR(64)  NOT NULL,
  currency        CHAR(3)      NOT NULL,
  settings        TEXT         NULL,
  created_at      DATETIME(3)  NOT NULL,
  updated_at      DATETIME(3)  NOT NULL,
  PRIMARY KEY (id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;

-- Keys are stored only as SHA-256 hashes. A rotated key keeps working until expires_at.
CREATE TABLE site_key (
  id          BIGINT      NOT NULL AUTO_INCREMENT,
  site_id     BIGINT      NOT NULL,
  kind        VARCHAR(8)  NOT NULL,
  key_hash    CHAR(64)    NOT NULL,
  key_hint    VARCHAR(16) NOT NULL,
  created_at  DATETIME(3) NOT NULL,
  expires_at  DATETIME(3) NULL,
  PRIMARY KEY (id),
  UNIQUE KEY uk_site_key_hash (key_hash),
  KEY ix_site_key_site (site_id, kind),
  CONSTRAINT fk_site_key_site FOREIGN KEY (site_id) REFERENCES site (id) ON DELETE CASCADE
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;
--rollback DROP TABLE site_key; DROP TABLE site;

--changeset segmentpress:001-visitor
-- A merged visitor: the service's own id for everything one person did on one site.
CREATE TABLE visitor (
  id          BIGINT      NOT NULL AUTO_INCREMENT,
  site_id     BIGINT      NOT NULL,
  created_at  DATETIME(3) NOT NULL,
  PRIMARY KEY (id),
  KEY ix_visitor_site (site_id, id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;

-- Which visitor an anonymousId ('anon') or userId ('user') belongs to.
CREATE TABLE visitor_identity (
  site_id      BIGINT       NOT NULL,
  kind         VARCHAR(4)   NOT NULL,
  external_id  VARCHAR(200) NOT NULL,
  visitor_id   BIGINT       NOT NULL,
  created_at   DATETIME(3)  NOT NULL,
  PRIMARY KEY (site_id, kind, external_id),
  KEY ix_identity_visitor (visitor_id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;

-- Visitors whose events changed since their profile was last computed; drained by
-- the segment engine within seconds.
CREATE TABLE visitor_dirty (
  site_id     BIGINT      NOT NULL,
  visitor_id  BIGINT      NOT NULL,
  marked_at   DATETIME(3) NOT NULL,
  PRIMARY KEY (visitor_id),
  KEY ix_dirty_marked (marked_at)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;
--rollback DROP TABLE visitor_dirty; DROP TABLE visitor_identity; DROP TABLE visitor;

--changeset segmentpress:001-event
-- Raw events, append-only. Columns that later stages filter or aggregate on are
-- extracted at ingest; the full payload stays in properties/context/traits.
CREATE TABLE event (
  id               BIGINT        NOT NULL AUTO_INCREMENT,
  site_id          BIGINT        NOT NULL,
  visitor_id       BIGINT        NOT NULL,
  message_id       VARCHAR(100)  NOT NULL,
  type             VARCHAR(8)    NOT NULL,
  name             VARCHAR(200)  NULL,
  anonymous_id     VARCHAR(200)  NULL,
  user_id          VARCHAR(200)  NULL,
  occurred_at      DATETIME(3)   NOT NULL,
  received_at      DATETIME(3)   NOT NULL,
  post_id          BIGINT        NULL,
  product_id       VARCHAR(100)  NULL,
  order_id         VARCHAR(100)  NULL,
  revenue          DECIMAL(14,2) NULL,
  discount         DECIMAL(14,2) NULL,
  coupon           VARCHAR(100)  NULL,
  engaged_seconds  INT           NULL,
  scroll_depth     SMALLINT      NULL,
  search_query     VARCHAR(200)  NULL,
  url              VARCHAR(1000) NULL,
  referrer         VARCHAR(1000) NULL,
  properties       LONGTEXT      NULL,
  context          LONGTEXT      NULL,
  traits           LONGTEXT      NULL,
  PRIMARY KEY (id),
  UNIQUE KEY uk_event_message (site_id, message_id),
  KEY ix_event_visitor_time (visitor_id, occurred_at),
  KEY ix_event_site_time (site_id, occurred_at),
  KEY ix_event_site_name_time (site_id, name, occurred_at)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;
--rollback DROP TABLE event;

--changeset segmentpress:001-content
-- The site's published catalog; content_id is the WordPress post id.
CREATE TABLE content_item (
  site_id        BIGINT        NOT NULL,
  content_id     BIGINT        NOT NULL,
  title          VARCHAR(500)  NOT NULL,
  url            VARCHAR(1000) NOT NULL,
  type           VARCHAR(16)   NOT NULL,
  status         VARCHAR(20)   NOT NULL,
  published_at   DATETIME(3)   NULL,
  modified_at    DATETIME(3)   NULL,
  categories     TEXT          NOT NULL,
  tags           TEXT          NOT NULL,
  excerpt        TEXT          NULL,
  word_count     INT           NULL,
  price          DECIMAL(14,2) NULL,
  on_sale        BOOLEAN       NULL,
  journey_stage  VARCHAR(20)   NULL,
  synced_at      DATETIME(3)   NOT NULL,
  PRIMARY KEY (site_id, content_id),
  KEY ix_content_site_status (site_id, status, published_at)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;

-- One row per (content, category or tag) so topic look-ups use an index.
CREATE TABLE content_term (
  site_id     BIGINT       NOT NULL,
  content_id  BIGINT       NOT NULL,
  taxonomy    VARCHAR(8)   NOT NULL,
  slug        VARCHAR(200) NOT NULL,
  name        VARCHAR(200) NOT NULL,
  PRIMARY KEY (site_id, content_id, taxonomy, slug),
  KEY ix_term_slug (site_id, taxonomy, slug)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;
--rollback DROP TABLE content_term; DROP TABLE content_item;
