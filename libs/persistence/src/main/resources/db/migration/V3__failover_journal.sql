-- What the failover coordinator (replication-svc) needs in its journal beyond schema version 1:
--
-- * previous_status: the replication status of the cluster (or non-clustered host) before the claim, so that a promote
--   the driver rejects as an invalid target (Cinder's InvalidReplicationTarget) puts it back exactly as it was;
-- * claim_epoch: the epoch at the claim. The promote asks a member serving exactly this epoch, and the commit moves
--   the scope from it to claim_epoch + 1 by compare-and-swap, so a commit can never skip or repeat an epoch;
-- * promoter_host: the member that ran (or is running) the promote. A resumed row asks it first, because the member
--   caches its answer per failover id and repeats it without promoting anything twice.
ALTER TABLE failovers ADD COLUMN previous_status text;
ALTER TABLE failovers ADD COLUMN claim_epoch bigint;
ALTER TABLE failovers ADD COLUMN promoter_host text;

ALTER TABLE failovers ADD CONSTRAINT failovers_previous_status_check CHECK (previous_status IN (
    'enabled', 'disabled', 'not-capable', 'failing-over', 'failover-error', 'failed-over', 'error',
    'enabling', 'disabling', 'updating'));
ALTER TABLE failovers ADD CONSTRAINT failovers_claim_epoch_check CHECK (claim_epoch >= 0);

-- Resume scans the unfinished rows every few seconds; ListFailovers pages one target's rows by id, newest first.
CREATE INDEX failovers_unfinished_idx ON failovers (id) WHERE finished_at IS NULL;
CREATE INDEX failovers_target_id_idx ON failovers (target, id);
