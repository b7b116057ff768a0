--liquibase formatted sql

--changeset segmentpress:010-drop-profile-last-seen
--preconditions onFail:MARK_RAN
--precondition-sql-check expectedResult:1 SELECT COUNT(*) > 0 FROM information_schema.statistics WHERE table_schema = DATABASE() AND table_name = 'visitor_profile' AND index_name = 'ix_profile_site_last_seen'
-- No query reads visitor_profile by (site_id, last_seen), and last_seen moves with every new
-- event, so the engine moved an entry of this index for every returning visitor it drained.
DROP INDEX ix_profile_site_last_seen ON visitor_profile;
--rollback CREATE INDEX ix_profile_site_last_seen ON visitor_profile (site_id, last_seen);
