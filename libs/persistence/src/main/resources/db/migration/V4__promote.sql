-- Online promote (ReplicationService.Promote) keeps the replication targets it sets in its journal row: they are part
-- of the request and exist nowhere else until the commit writes them to replication_targets, so an instance that
-- resumes the row after its owner died must find them here. A JSON array of {"backend_id": …, "location": …} in the
-- order of the request (an empty array: the promote removes every target). Only promote rows have one, and every
-- promote row does, so that a resumed promote can never run without its targets.
ALTER TABLE failovers ADD COLUMN new_targets jsonb;

ALTER TABLE failovers ADD CONSTRAINT failovers_new_targets_check CHECK (
    (kind = 'promote') = (new_targets IS NOT NULL)
    AND (new_targets IS NULL OR jsonb_typeof(new_targets) = 'array'));
