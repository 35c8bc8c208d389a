-- 0002: the Segretariato Sociale intake (issue 4). Its kinds (access, reference
-- person, diary entry, attachment and its chunks, household, code-list values)
-- are sealed records in `records`, linked by `parent`; what they need in clear
-- is an index to list a parent's children of one kind without scanning.
CREATE INDEX records_parent_kind ON records(parent, kind) WHERE parent IS NOT NULL;
DROP INDEX records_parent;
