--liquibase formatted sql

-- (changesets for this feature are appended below)
