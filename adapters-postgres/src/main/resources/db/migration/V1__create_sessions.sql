-- Sessions: the source of truth. One row per session, every domain field in a column; JSON as jsonb.
CREATE TABLE sessions (
    id                uuid          PRIMARY KEY,
    tenant_id         varchar(128)  NOT NULL,
    owner_id          varchar(128)  NOT NULL,
    workflow          varchar(64)   NOT NULL,
    title             varchar(200),
    status            varchar(16)   NOT NULL,
    phase             varchar(64),
    pause_reason      varchar(32),
    pause_since       timestamptz,
    pause_questions   jsonb,
    progress_round    integer       NOT NULL,
    progress_percent  integer,
    cost_usd          numeric       NOT NULL,
    input             jsonb         NOT NULL,
    result            jsonb,
    failure_code      varchar(64),
    failure_message   text,
    answers           jsonb         NOT NULL,
    version           bigint        NOT NULL,
    last_event_seq    bigint        NOT NULL,
    created_at        timestamptz   NOT NULL,
    updated_at        timestamptz   NOT NULL,
    started_at        timestamptz,
    ended_at          timestamptz,
    last_heartbeat_at timestamptz,
    CONSTRAINT sessions_version_is_last_seq CHECK (version = last_event_seq AND version >= 1),
    CONSTRAINT sessions_status_known
        CHECK (status IN ('created', 'running', 'paused', 'completed', 'failed', 'killed', 'deleted'))
);

-- Listing is newest first (created_at DESC, id DESC) after a keyset cursor, within a tenant, optionally narrowed
-- by owner, status or workflow. Each index serves one filter in the listing order.
CREATE INDEX sessions_tenant_newest ON sessions (tenant_id, created_at DESC, id DESC);
CREATE INDEX sessions_tenant_owner_newest ON sessions (tenant_id, owner_id, created_at DESC, id DESC);
CREATE INDEX sessions_tenant_status_newest ON sessions (tenant_id, status, created_at DESC, id DESC);
CREATE INDEX sessions_tenant_workflow_newest ON sessions (tenant_id, workflow, created_at DESC, id DESC);
-- Admin listing across tenants.
CREATE INDEX sessions_newest ON sessions (created_at DESC, id DESC);

-- The heartbeat sweep: running sessions by their last sign of life, oldest first.
CREATE INDEX sessions_running_last_sign_of_life ON sessions ((COALESCE(last_heartbeat_at, started_at)))
    WHERE status = 'running';
