--liquibase formatted sql

--changeset segmentpress:005-drop-membership-visitor
--preconditions onFail:MARK_RAN
--precondition-sql-check expectedResult:1 SELECT COUNT(*) > 0 FROM information_schema.statistics WHERE table_schema = DATABASE() AND table_name = 'segment_membership' AND index_name = 'ix_membership_visitor'
-- (visitor_id) is redundant since ix_membership_site_visitor (site_id, visitor_id): every look-up
-- of a visitor's memberships (the engine's stored state, a visitor's segments, erasure) names the
-- site too. One index fewer to maintain on every entry into and exit from a segment.
DROP INDEX ix_membership_visitor ON segment_membership;
--rollback CREATE INDEX ix_membership_visitor ON segment_membership (visitor_id);
