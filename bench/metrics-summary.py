#!/usr/bin/env python3
"""Summarises two scrapes of the relay's /metrics (before and after a load run).

Usage: metrics-summary.py BEFORE AFTER
Prints shell-style KEY=VALUE lines: committed, fsyncs, fsyncs_per_message, reply_p50_ms,
reply_p99_ms (end of DATA to the 250, from sts_relay_inbound_data_reply_seconds), commit_p50_ms,
commit_p99_ms (spool write and fsync, from sts_relay_spool_commit_seconds), commit_buckets.
Quantiles are derived from the histogram buckets by linear interpolation inside the bucket that holds the rank (as Prometheus'
histogram_quantile does), so they are only as precise as the bucket bounds.
"""
import math
import re
import sys

SAMPLE = re.compile(r'^([a-zA-Z_:][a-zA-Z0-9_:]*)(\{[^}]*\})?\s+(\S+)')
LABEL = re.compile(r'([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\]|\\.)*)"')


def samples(path):
    result = []
    with open(path, encoding="utf-8") as text:
        for line in text:
            if line.startswith("#"):
                continue
            match = SAMPLE.match(line)
            if match:
                labels = dict(LABEL.findall(match.group(2) or ""))
                result.append((match.group(1), labels, float(match.group(3))))
    return result


def total(scrape, name, **wanted):
    return sum(v for n, labels, v in scrape if n == name and all(labels.get(k) == w for k, w in wanted.items()))


def buckets(scrape, name):
    """Cumulative counts per upper bound, summed over any other labels."""
    counts = {}
    for n, labels, value in scrape:
        if n == name + "_bucket" and "le" in labels:
            bound = math.inf if labels["le"] in ("+Inf", "Inf") else float(labels["le"])
            counts[bound] = counts.get(bound, 0.0) + value
    return counts


def quantile(q, cumulative):
    bounds = sorted(cumulative)
    if not bounds or cumulative[bounds[-1]] == 0:
        return None
    rank = q * cumulative[bounds[-1]]
    lower, below = 0.0, 0.0
    for bound in bounds:
        count = cumulative[bound]
        if count >= rank:
            if math.isinf(bound):
                return lower
            if count == below:
                return bound
            return lower + (bound - lower) * (rank - below) / (count - below)
        lower, below = bound, count
    return lower


def main():
    before, after = samples(sys.argv[1]), samples(sys.argv[2])
    committed = (total(after, "sts_relay_spool_commits_total", result="committed")
                 - total(before, "sts_relay_spool_commits_total", result="committed"))
    fsyncs = total(after, "sts_relay_spool_fsync_total") - total(before, "sts_relay_spool_fsync_total")
    print(f"committed={committed:.0f}")
    print(f"fsyncs={fsyncs:.0f}")
    print(f"fsyncs_per_message={fsyncs / committed:.3f}" if committed else "fsyncs_per_message=n/a")
    for key, name in (("reply", "sts_relay_inbound_data_reply_seconds"), ("commit", "sts_relay_spool_commit_seconds")):
        b0, b1 = buckets(before, name), buckets(after, name)
        delta = {bound: b1[bound] - b0.get(bound, 0.0) for bound in b1}
        for q in (50, 99):
            value = quantile(q / 100, delta)
            print(f"{key}_p{q}_ms={value * 1000:.2f}" if value is not None else f"{key}_p{q}_ms=n/a")
        if key == "commit":
            print(f"commit_buckets={len(delta)}")


if __name__ == "__main__":
    main()
