-- The event log. position is the global feed position. It is derived from the writing transaction's id
-- (pg_current_xact_id() * 1024 + the event's index in its change) rather than taken from a sequence, so that
-- positions order like transaction ids: every transaction that is still running, or not yet begun, has an id at or
-- above pg_snapshot_xmin(pg_current_snapshot()), hence positions at or above 1024 times that. A feed read that stops
-- below this bound never returns a position while a lower one may still appear. A sequence (identity) cannot give
-- that guarantee: two transactions may take their ids and their sequence values in opposite orders.
CREATE TABLE session_events (
    position   bigint        PRIMARY KEY,
    session_id uuid          NOT NULL REFERENCES sessions (id),
    tenant_id  varchar(128)  NOT NULL,
    seq        bigint        NOT NULL,
    type       varchar(128)  NOT NULL,
    at         timestamptz   NOT NULL,
    data       jsonb         NOT NULL,
    CONSTRAINT session_events_session_seq UNIQUE (session_id, seq),
    CONSTRAINT session_events_seq_positive CHECK (seq >= 1)
);

-- The tenant feed, read by position.
CREATE INDEX session_events_tenant_position ON session_events (tenant_id, position);
