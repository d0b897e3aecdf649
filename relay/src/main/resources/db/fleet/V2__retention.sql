-- Indexes for the queries that run every few seconds or per report, and nothing else.

-- FleetCatchUp and FleetPolicyStore ask when a domain was last purged.
CREATE INDEX policy_events_domain_kind ON policy_events (domain, kind);

-- A day's report reads every node's batches of that day.
CREATE INDEX tlsrpt_batches_day ON tlsrpt_batches (day);
