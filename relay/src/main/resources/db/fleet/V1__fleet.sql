-- Fleet state shared by the relays of one organisation (README "Running a fleet").
-- Every node keeps its own spool; only policies and TLS-RPT state are here.

-- One row per node, refreshed by its heartbeat.
CREATE TABLE nodes (
    name              text PRIMARY KEY,
    version           text NOT NULL,
    started_at        timestamptz NOT NULL,
    last_seen         timestamptz NOT NULL,
    last_shipment     timestamptz,
    -- every result this node recorded before this time is shipped
    shipped_through   timestamptz,
    unshipped_results bigint NOT NULL DEFAULT 0
);

-- The shared MTA-STS policy store: one row per policy domain (RFC 8461 §10.2 across the fleet).
CREATE TABLE policies (
    domain       text PRIMARY KEY,
    policy_id    text NOT NULL,
    policy_text  text NOT NULL,
    fetched_at   timestamptz NOT NULL,
    validated_at timestamptz NOT NULL,
    expires_at   timestamptz NOT NULL,
    stored_by    text NOT NULL
);

-- Operator actions every node applies to its memory and local store: purge and forced refresh.
CREATE TABLE policy_events (
    seq    bigserial PRIMARY KEY,
    domain text NOT NULL,
    kind   text NOT NULL CHECK (kind IN ('purge', 'refresh')),
    node   text NOT NULL,
    at     timestamptz NOT NULL DEFAULT now()
);

-- Who is fetching a domain's policy now: one fleet-wide fetch per domain and refresh.
CREATE TABLE policy_fetch_claims (
    domain text PRIMARY KEY,
    node   text NOT NULL,
    until  timestamptz NOT NULL
);

-- TLS results shipped from each node's journal: one row per batch, keyed by the journal position it starts at,
-- so a batch shipped twice (a crash between commit and the next read) is stored once.
CREATE TABLE tlsrpt_batches (
    node        text NOT NULL,
    day         date NOT NULL,
    from_offset bigint NOT NULL,
    to_offset   bigint NOT NULL,
    results     integer NOT NULL,
    shipped_at  timestamptz NOT NULL DEFAULT now(),
    payload     jsonb NOT NULL,
    PRIMARY KEY (node, day, from_offset),
    CHECK (to_offset > from_offset)
);

-- The day's report state (report-id and per-destination outcome), shared so any node can go on with it.
CREATE TABLE tlsrpt_report_state (
    day        date PRIMARY KEY,
    state      jsonb NOT NULL,
    updated_by text NOT NULL,
    updated_at timestamptz NOT NULL DEFAULT now()
);

-- The day's report lease: only its holder sends or retries that day's reports.
CREATE TABLE tlsrpt_leases (
    day   date PRIMARY KEY,
    node  text NOT NULL,
    until timestamptz NOT NULL
);
