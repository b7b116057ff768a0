--liquibase formatted sql

--changeset segmentpress:011-profile-segment-evidence
-- The current evidence of every membership of a visitor, as a JSON object {segment key: evidence},
-- written with the profile row. Evidence numbers move with nearly every new event ("12 page views
-- in 30 days"); kept on the profile row, which the engine rewrites for such a visitor anyway, a
-- visitor whose segments stay the same costs the engine no membership write: segment_membership
-- rows change only when a visitor enters or leaves a segment, and their evidence column keeps
-- what was true on entry. NULL on rows written before this column (their memberships still
-- carry the current evidence; the next recompute rewrites them in this form).
ALTER TABLE visitor_profile ADD COLUMN segment_evidence MEDIUMTEXT NULL;
--rollback ALTER TABLE visitor_profile DROP COLUMN segment_evidence;
