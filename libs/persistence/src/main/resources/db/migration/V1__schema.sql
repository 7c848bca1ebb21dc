-- Tandem schema, version 1 (PostgreSQL 15).
--
-- Mutual exclusion lives in this schema, not in a lock manager: state changes are compare-and-swap updates whose
-- row count decides the winner (io.tandem.persistence.cas.ConditionalUpdate), cleanable operations hold a row in
-- `workers`, and the partial unique index on `failovers` lets at most one failover per target be unfinished.
-- The CHECK constraints list every allowed value so that a typo in code fails loudly instead of writing a state
-- that no transition table knows.
--
-- Cinder's `binary` column is called `binary_name` here: BINARY is a reserved word in PostgreSQL, and a column that
-- every hand-written query must double-quote is a trap.

CREATE TABLE clusters (
    id                 bigserial   PRIMARY KEY,
    name               text        NOT NULL,
    binary_name        text        NOT NULL,
    disabled           boolean     NOT NULL DEFAULT false,
    disabled_reason    text,
    replication_status text        NOT NULL DEFAULT 'not-capable',
    -- NULL means the primary. Cinder stores both NULL and '' (and sometimes 'default') for the primary and then
    -- compares them inconsistently; here there is exactly one marker.
    active_backend_id  text,
    frozen             boolean     NOT NULL DEFAULT false,
    -- Incremented by every committed failover, failback and promote; members fence themselves against it.
    epoch              bigint      NOT NULL DEFAULT 0,
    created_at         timestamptz NOT NULL DEFAULT now(),
    updated_at         timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT clusters_name_binary_name_key UNIQUE (name, binary_name),
    CONSTRAINT clusters_binary_name_check CHECK (binary_name IN ('volume', 'scheduler', 'replication', 'api')),
    CONSTRAINT clusters_replication_status_check CHECK (replication_status IN (
        'enabled', 'disabled', 'not-capable', 'failing-over', 'failover-error', 'failed-over', 'error',
        'enabling', 'disabling', 'updating')),
    CONSTRAINT clusters_active_backend_id_check CHECK (active_backend_id NOT IN ('', 'default')),
    CONSTRAINT clusters_epoch_check CHECK (epoch >= 0)
);

CREATE TABLE services (
    id                 serial      PRIMARY KEY,
    host               text        NOT NULL,
    binary_name        text        NOT NULL,
    cluster_name       text,
    disabled           boolean     NOT NULL DEFAULT false,
    disabled_reason    text,
    replication_status text        NOT NULL DEFAULT 'not-capable',
    active_backend_id  text,
    frozen             boolean     NOT NULL DEFAULT false,
    epoch              bigint      NOT NULL DEFAULT 0,
    created_at         timestamptz NOT NULL DEFAULT now(),
    updated_at         timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT services_host_binary_name_key UNIQUE (host, binary_name),
    CONSTRAINT services_binary_name_check CHECK (binary_name IN ('volume', 'scheduler', 'replication', 'api')),
    CONSTRAINT services_replication_status_check CHECK (replication_status IN (
        'enabled', 'disabled', 'not-capable', 'failing-over', 'failover-error', 'failed-over', 'error',
        'enabling', 'disabling', 'updating')),
    CONSTRAINT services_active_backend_id_check CHECK (active_backend_id NOT IN ('', 'default')),
    CONSTRAINT services_cluster_name_check CHECK (cluster_name <> ''),
    CONSTRAINT services_epoch_check CHECK (epoch >= 0)
);

-- Failover, freeze and thaw update every service of a cluster in one statement.
CREATE INDEX services_cluster_name_idx ON services (cluster_name);

CREATE TABLE replication_targets (
    id         bigserial   PRIMARY KEY,
    -- The cluster name, or the host of a non-clustered backend.
    scope      text        NOT NULL,
    backend_id text        NOT NULL,
    -- Where the site lives (for the shared-filesystem driver: the site directory).
    location   text        NOT NULL,
    role       text        NOT NULL,
    created_at timestamptz NOT NULL DEFAULT now(),
    updated_at timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT replication_targets_scope_backend_id_key UNIQUE (scope, backend_id),
    CONSTRAINT replication_targets_role_check CHECK (role IN ('primary', 'target')),
    -- 'default' is how requests name the primary (failback); a target by that name would be ambiguous.
    CONSTRAINT replication_targets_default_is_primary CHECK (role = 'primary' OR backend_id <> 'default'),
    CONSTRAINT replication_targets_backend_id_check CHECK (backend_id <> '')
);

-- A backend has exactly one primary site; promote demotes the old primary before it promotes the new one.
CREATE UNIQUE INDEX replication_targets_one_primary_idx ON replication_targets (scope) WHERE role = 'primary';

CREATE TABLE volumes (
    id                      uuid        PRIMARY KEY,
    project_id              text        NOT NULL,
    user_id                 text,
    name                    text,
    description             text,
    size_gb                 integer     NOT NULL,
    status                  text        NOT NULL,
    previous_status         text,
    cluster_name            text,
    host                    text,
    replication_status      text        NOT NULL DEFAULT 'disabled',
    replication_driver_data text,
    last_sync_at            timestamptz,
    provider_location       text,
    created_at              timestamptz NOT NULL DEFAULT now(),
    updated_at              timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT volumes_size_gb_check CHECK (size_gb > 0),
    -- Cinder's volume statuses (cinder/objects/fields.py VolumeStatus), so later capabilities need no migration.
    CONSTRAINT volumes_status_check CHECK (status IN (
        'creating', 'available', 'deleting', 'error', 'error_deleting', 'error_managing', 'managing',
        'attaching', 'in-use', 'detaching', 'maintenance', 'restoring-backup', 'error_restoring', 'reserved',
        'awaiting-transfer', 'backing-up', 'error_backing-up', 'error_extending', 'downloading', 'uploading',
        'retyping', 'extending')),
    CONSTRAINT volumes_previous_status_check CHECK (previous_status IN (
        'creating', 'available', 'deleting', 'error', 'error_deleting', 'error_managing', 'managing',
        'attaching', 'in-use', 'detaching', 'maintenance', 'restoring-backup', 'error_restoring', 'reserved',
        'awaiting-transfer', 'backing-up', 'error_backing-up', 'error_extending', 'downloading', 'uploading',
        'retyping', 'extending')),
    CONSTRAINT volumes_replication_status_check CHECK (replication_status IN (
        'enabled', 'disabled', 'not-capable', 'failing-over', 'failover-error', 'failed-over', 'error',
        'enabling', 'disabling', 'updating'))
);

-- Keyset pagination: per project, and across projects for admins (all_tenants).
CREATE INDEX volumes_project_created_id_idx ON volumes (project_id, created_at, id);
CREATE INDEX volumes_created_id_idx ON volumes (created_at, id);
-- Failover updates every volume of a cluster (or of a non-clustered host) by status.
CREATE INDEX volumes_cluster_status_idx ON volumes (cluster_name, status);
CREATE INDEX volumes_host_idx ON volumes (host);

CREATE TABLE workers (
    id             bigserial   PRIMARY KEY,
    -- The resource's type exactly as stored ('Volume'); Cinder's reset-status matched 'VOLUME' against 'Volume'
    -- and only worked on case-insensitive collations, so the allowed spellings are fixed here.
    resource_type  text        NOT NULL,
    resource_id    text        NOT NULL,
    -- The resource status the operation started from: what a cleaner must clean up after a crash.
    status         text        NOT NULL,
    -- NULL while the scheduler has created the row and no node has taken it yet.
    service_id     integer     REFERENCES services (id) ON DELETE SET NULL,
    -- Bumped by every claim, so two claimers that read the same row cannot both win.
    race_preventer integer     NOT NULL DEFAULT 0,
    created_at     timestamptz NOT NULL DEFAULT now(),
    updated_at     timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT workers_resource_key UNIQUE (resource_type, resource_id),
    CONSTRAINT workers_resource_type_check CHECK (resource_type IN ('Volume')),
    CONSTRAINT workers_status_check CHECK (status <> '')
);

-- Cleanup scans a service's rows, and a dead service's rows older than its lease expiry.
CREATE INDEX workers_service_id_updated_at_idx ON workers (service_id, updated_at);

-- The failover journal: one row per failover, failback or promote, advanced phase by phase by CAS on `phase` and
-- `owner`, so that another replication-svc instance can resume it when its owner dies.
CREATE TABLE failovers (
    id              bigserial   PRIMARY KEY,
    kind            text        NOT NULL,
    scope           text        NOT NULL,
    -- The cluster name (scope 'cluster') or the host (scope 'host').
    target          text        NOT NULL,
    -- Backend ids as requested: 'default' names the primary here (failback), NULL is not used for it.
    from_backend_id text,
    to_backend_id   text,
    -- The epoch the commit wrote; NULL until the commit.
    epoch           bigint,
    phase           text        NOT NULL DEFAULT 'claimed',
    -- The replication-svc instance driving this row, and its etcd lease id: a row whose lease is gone is resumable.
    owner           text,
    owner_lease     bigint,
    requested_by    text,
    request_id      text,
    claimed_at      timestamptz NOT NULL DEFAULT now(),
    promoted_at     timestamptz,
    committed_at    timestamptz,
    completed_at    timestamptz,
    finished_at     timestamptz,
    error           text,
    created_at      timestamptz NOT NULL DEFAULT now(),
    updated_at      timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT failovers_kind_check CHECK (kind IN ('failover', 'failback', 'promote')),
    CONSTRAINT failovers_scope_check CHECK (scope IN ('cluster', 'host')),
    CONSTRAINT failovers_phase_check CHECK (phase IN (
        'claimed', 'draining', 'promoting', 'completing', 'completed', 'completed-with-fenced-members', 'failed',
        'reverted')),
    -- A row is finished exactly when its phase is terminal, so the unique index below cannot be kept busy by a
    -- row that ended without finished_at, nor released by a row that is still running.
    CONSTRAINT failovers_finished_iff_terminal CHECK ((finished_at IS NOT NULL) = (phase IN (
        'completed', 'completed-with-fenced-members', 'failed', 'reverted')))
);

-- At most one unfinished failover per cluster or host: the database, not the code, enforces it.
CREATE UNIQUE INDEX failovers_one_unfinished_per_target_idx ON failovers (target) WHERE finished_at IS NULL;
CREATE INDEX failovers_target_created_idx ON failovers (target, created_at);
CREATE INDEX failovers_created_id_idx ON failovers (created_at, id);

CREATE TABLE failover_members (
    failover_id bigint      NOT NULL REFERENCES failovers (id) ON DELETE CASCADE,
    host        text        NOT NULL,
    -- The epoch this member acknowledged with FailoverCompleted; NULL until it did.
    acked_epoch bigint,
    acked_at    timestamptz,
    attempts    integer     NOT NULL DEFAULT 0,
    error       text,
    fenced      boolean     NOT NULL DEFAULT false,
    -- Timestamps as every other table, so the compare-and-swap helper's automatic updated_at applies here too.
    created_at  timestamptz NOT NULL DEFAULT now(),
    updated_at  timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (failover_id, host),
    CONSTRAINT failover_members_attempts_check CHECK (attempts >= 0)
);
