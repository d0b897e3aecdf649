#!/usr/bin/env bash
# Soak: the relay under steady mixed load for --minutes (default 30), to show that it stays flat: RSS, threads,
# open file descriptors and the Java heap after a full GC, sampled at the start and every minute, must not grow,
# and nothing accepted may be lost.
#
# Load: every second, smtp-source offers --rate messages (default 150/s, about half of this 2-core machine:
# steadiness, not throughput) of --size bytes (default 10 KiB) over a new connection each, three in four to
# bench.test (MTA-STS "mode: enforce", certificate verified by PKIX) and one in four to dane.test (DANE-EE, no
# MTA-STS policy). The relay delivers them over verified TLS to the sink world of bench/delivery-benchmark.sh
# (org.stsrelay.world.BenchSink, in src-test), started with its soak options:
#   --defer-every 20      each sink MX answers every 20th recipient "451 4.3.0" (5% deferrals, deterministic);
#                         the relay retries them after 5 s (delivery.retry-schedule of the world's config);
#   --policy-max-age 300  bench.test's policy has max_age 300 s, so the relay refreshes it ahead of expiry;
#   --policy-id-every 120 bench.test's _mta-sts TXT id changes every 2 minutes, and the relay re-checks it every
#                         minute (mta-sts.id-recheck-interval: 1m), so it fetches the new policy;
#   --tls-reports         _smtp._tls.bench.test and _smtp._tls.mx.dane.test ask for reports by mail to
#                         tlsrpt@reports.test, a sink MX that logs each report mail's Subject.
# A TLS-RPT day boundary: the relay runs under libfaketime (Debian's faketime package; LD_PRELOAD, FAKETIME as a
# constant offset, applied to the monotonic clock too: with DONT_FAKE_MONOTONIC=1 libfaketime 0.9.10 still shifts
# the JVM's timed waits, which then return at once and spin a core) with its clock set so that 00:00 UTC comes
# --day-boundary minutes after its start (default half the soak). After it the TLS-RPT journal goes on in the new
# day's file and the reports of the day before are sent within tlsrpt.send-window (30 s here) through the
# relay's own queue to the report inbox. The world's DNSSEC signatures (7 days) and certificates (90 days) are
# valid at the relay's time (at most a day ahead).
#
# Every minute: relay RSS (VmRSS), threads, open fds (/proc/<pid>), heap after GC (jcmd GC.run, GC.heap_info),
# queue size (sts_relay_spool_messages), messages accepted (relay counter), delivered (distinct queue ids at the
# sink) and duplicates, deferrals, policy fetches at the world and policy refreshes by the relay, report mails at
# the inbox, and the relay's CPU seconds. Printed as a table and written to --csv (default
# /tmp/sts-relay-soak.csv), with a PNG next to it when python3 has matplotlib (Debian: python3-matplotlib).
#
# At the end the load stops and the queue drains (at most --drain-timeout seconds, default 180); then:
# "flat" = for each series the mean of the first and of the last 5 samples (fewer in a short soak: at most a
# third of them) and the least-squares slope per minute; "nothing lost" = every message the relay accepted is at
# the sink (distinct queue ids) or still in its queue (queue list), duplicates counted apart, and smtp-source's
# 250s (a batch that exits 0 got 250 for each message) agree with the relay's count; the day rolled = a journal
# file for each of the two days, `report status --day <the day before>` and the report mails at the inbox.
# Exits 1 if anything was lost, smtp-source's 250s and the relay's count differ, the day did not roll or no
# report arrived.
#
# Builds nothing: needs relay/target/sts-relay.jar and the compiled test classes of policy-cache and src-test
# (`mvn -B -q package -DskipTests` in the repository root). Needs Debian's postfix package (smtp-source),
# faketime, a JDK's jcmd, python3 and curl. Everything listens on 127.0.0.0/8; all state lives in one
# temporary directory removed on exit (the CSV and PNG are written where --csv says).
#
# Usage: [JAVA_OPTS=...] bench/soak.sh [--minutes N] [--rate R] [--size BYTES] [--day-boundary M]
#          [--drain-timeout S] [--csv FILE] [--jar PATH]
set -euo pipefail

MINUTES=30
RATE=150
LENGTH=10240
BOUNDARY=""
DRAIN_TIMEOUT=180
CSV=/tmp/sts-relay-soak.csv
readonly DEFER_EVERY=20 POLICY_MAX_AGE=300 POLICY_ID_EVERY=120 SEND_WINDOW=30s
readonly FLAT_WINDOW=5 LIBFAKETIME=/usr/lib/x86_64-linux-gnu/faketime/libfaketime.so.1
readonly BENCH_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
# shellcheck source=bench/probes.sh
source "$BENCH_DIR/probes.sh"
readonly REPO="$(cd "$BENCH_DIR/.." && pwd)"
JAR="$REPO/relay/target/sts-relay.jar"

while [[ $# -gt 0 ]]; do
  case "$1" in
    --minutes) MINUTES="$2"; shift 2 ;;
    --rate) RATE="$2"; shift 2 ;;
    --size) LENGTH="$2"; shift 2 ;;
    --day-boundary) BOUNDARY="$2"; shift 2 ;;
    --drain-timeout) DRAIN_TIMEOUT="$2"; shift 2 ;;
    --csv) CSV="$(realpath -m "$2")"; shift 2 ;;
    --jar) JAR="$2"; shift 2 ;;
    -h|--help) sed -n '2,47p' "$0"; exit 0 ;;
    *) echo "unknown argument: $1 (see --help)" >&2; exit 2 ;;
  esac
done

die() { echo "soak: $*" >&2; exit 1; }
for number in "$MINUTES" "$RATE" "$LENGTH" "$DRAIN_TIMEOUT" "${BOUNDARY:-0}"; do
  [[ "$number" =~ ^[0-9]+$ ]] || die "--minutes, --rate, --size, --day-boundary and --drain-timeout take whole numbers"
done
(( MINUTES >= 2 && RATE >= 4 )) || die "--minutes must be at least 2 and --rate at least 4"
BOUNDARY="${BOUNDARY:-$((MINUTES / 2))}"
(( BOUNDARY >= 1 && BOUNDARY < MINUTES )) || die "--day-boundary must fall inside the soak (1 to $((MINUTES - 1)))"
[[ -f "$JAR" ]] || die "no relay jar at $JAR: run 'mvn -B -q package -DskipTests' first (this script builds nothing)"
JAR="$(realpath "$JAR")"
for classes in "$REPO/policy-cache/target/test-classes" "$REPO/src-test/target/test-classes"; do
  [[ -d "$classes" ]] || die "no $classes: run 'mvn -B -q package -DskipTests' first"
done
[[ -f "$LIBFAKETIME" ]] || die "no $LIBFAKETIME: the TLS-RPT day boundary needs Debian's faketime package (apt-get install faketime)"
command -v smtp-source >/dev/null || die "smtp-source not found: install Debian's postfix package"
command -v jcmd >/dev/null || die "jcmd not found: the heap after GC is read with a JDK's jcmd"
command -v python3 >/dev/null || die "python3 not found"
command -v curl >/dev/null || die "curl not found"

WORK="$(mktemp -d /tmp/sts-relay-soak.XXXXXX)"
SINK_PID="" RELAY_PID="" LOAD_PID=""
cleanup() {
  # only what this script started, by PID; the load loop stops at its stop file
  touch "$WORK/stop" 2>/dev/null || true
  [[ -n "$LOAD_PID" ]] && wait "$LOAD_PID" 2>/dev/null || true
  [[ -n "$RELAY_PID" ]] && kill -9 "$RELAY_PID" 2>/dev/null || true
  [[ -n "$SINK_PID" ]] && kill -9 "$SINK_PID" 2>/dev/null || true
  rm -rf "$WORK"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
# distinct duplicates unidentified deferrals policy-fetches policy-ids reports, as BenchSink writes them
sink_ledger() { cat "$WORK/sink/sink.ledger" 2>/dev/null || echo "0 0 0 0 0 0 0"; }
# The sum of the series of metric $1 in the relay's /metrics whose labels contain $2 (default: all); 0 if none.
relay_metric() {
  curl -fs "http://127.0.0.1:$METRICS_PORT/metrics" 2>/dev/null \
    | awk -v name="$1" -v labels="${2:-}" '($1 == name || index($1, name "{") == 1) && index($1, labels) > 0 {
        sum += $NF } END { printf "%d\n", sum }'
}
relay_accepted() { relay_metric sts_relay_inbound_messages_total 'result="accepted"'; }
relay_queue() { relay_metric sts_relay_spool_messages; }

# --- the sink world ---------------------------------------------------------------------------
mkdir -p "$WORK/sink"
java -cp "$JAR:$REPO/policy-cache/target/test-classes:$REPO/src-test/target/test-classes" \
  org.stsrelay.world.BenchSink "$WORK/sink" --defer-every "$DEFER_EVERY" --policy-max-age "$POLICY_MAX_AGE" \
  --policy-id-every "$POLICY_ID_EVERY" --tls-reports > "$WORK/sink.log" 2>&1 &
SINK_PID=$!
disown "$SINK_PID"
for _ in $(seq 1 300); do [[ -f "$WORK/sink/sink.ledger" ]] && break; sleep 0.1; done
[[ -f "$WORK/sink/sink.ledger" ]] || { cat "$WORK/sink.log" >&2; die "the sink did not start"; }
# shellcheck disable=SC1091 # written by BenchSink: MTA_STS_DOMAIN, DANE_DOMAIN, ...
source "$WORK/sink/world.env"

# --- the relay, its clock set before 00:00 UTC -------------------------------------------------
SMTP_PORT="$(free_port)" METRICS_PORT="$(free_port)"
{
  cat <<YAML
hostname: soak.relay.test
inbound:
  listen: ["127.0.0.1:$SMTP_PORT"]
  allowed-networks: ["127.0.0.0/8"]
spool:
  directory: "$WORK/spool"
metrics:
  listen: "127.0.0.1:$METRICS_PORT"
tlsrpt:
  directory: "$WORK/tlsrpt"
  organization-name: soak.relay.test
  contact-info: postmaster@soak.relay.test
  from: tlsrpt-noreply@soak.relay.test
  send-window: $SEND_WINDOW
YAML
  # the world's mta-sts section, with the shortest id re-check the relay allows
  sed 's/^mta-sts:$/mta-sts:\n  id-recheck-interval: 1m/' "$WORK/sink/world.yaml"
} > "$WORK/relay.yaml"
NOW="$(date +%s)"
MIDNIGHT=$(( (NOW / 86400 + 1) * 86400 ))
OFFSET=$(( MIDNIGHT - BOUNDARY * 60 - NOW ))
DAY_BEFORE="$(date -u -d "@$((MIDNIGHT - 1))" +%F)" DAY_AFTER="$(date -u -d "@$MIDNIGHT" +%F)"
echo "soak: relay clock starts at $(date -u -d "@$((NOW + OFFSET))" '+%F %T') UTC; $DAY_AFTER begins $BOUNDARY min in" >&2
# shellcheck disable=SC2086 # JAVA_OPTS is a list of JVM flags, split on purpose
FAKETIME="+${OFFSET}s" LD_PRELOAD="$LIBFAKETIME" STS_RELAY_LOG_LEVEL=WARN \
  java "$(relay_jvm_options)" ${JAVA_OPTS:-} -jar "$JAR" run --config "$WORK/relay.yaml" > "$WORK/relay.log" 2>&1 &
RELAY_PID=$!
disown "$RELAY_PID"
for _ in $(seq 1 400); do
  curl -fs "http://127.0.0.1:$METRICS_PORT/readyz" >/dev/null 2>&1 && break
  kill -0 "$RELAY_PID" 2>/dev/null || { tail -n 30 "$WORK/relay.log" >&2; die "relay exited during start-up"; }
  sleep 0.1
done
curl -fs "http://127.0.0.1:$METRICS_PORT/readyz" >/dev/null || die "relay not ready within 40 s"

# --- the load: one batch per second, paced by the wall clock ------------------------------------
# Appends "second exit-code messages domain" per smtp-source run to $WORK/batches; stops at $WORK/stop.
STS_SHARE=$(( RATE * 3 / 4 )) DANE_SHARE=$(( RATE - RATE * 3 / 4 ))
load() {
  local second=0 start code domain count
  start="$(date +%s.%N)"
  while [[ ! -f "$WORK/stop" ]]; do
    for domain in "$MTA_STS_DOMAIN" "$DANE_DOMAIN"; do
      count="$STS_SHARE"
      [[ "$domain" == "$MTA_STS_DOMAIN" ]] || count="$DANE_SHARE"
      code=0
      smtp-source -s 4 -m "$count" -l "$LENGTH" -f soak@client.test -t "rcpt@$domain" "127.0.0.1:$SMTP_PORT" \
        > /dev/null 2>> "$WORK/smtp-source.err" || code=$?
      echo "$second $code $count $domain" >> "$WORK/batches"
    done
    second=$((second + 1))
    sleep "$(python3 -c 'import sys, time; print(max(0.0, float(sys.argv[1]) + int(sys.argv[2]) - time.time()))' \
      "$start" "$second")"
  done
}
LOAD_START="$(date +%s)"
load &
LOAD_PID=$!

# --- samples, at the start and every minute ---------------------------------------------------
mkdir -p "$(dirname "$CSV")"
echo "minute,relay_clock_utc,rss_mib,threads,fds,heap_after_gc_mib,queue,accepted,delivered,duplicates,deferrals,policy_fetches,policy_refreshes,reports,relay_cpu_s" > "$CSV"
sample() {  # minute
  local distinct duplicates unidentified deferrals fetches ids reports
  read -r distinct duplicates unidentified deferrals fetches ids reports < <(sink_ledger)
  echo "$1,$(date -u -d "@$(( $(date +%s) + OFFSET ))" +%H:%M),$(( $(rss_kib "$RELAY_PID") / 1024 )),$(thread_count "$RELAY_PID")" \
    "$(open_fds "$RELAY_PID") $(( $(heap_after_gc_kib "$RELAY_PID") / 1024 )) $(relay_queue) $(relay_accepted)" \
    "$distinct $duplicates $deferrals $fetches $(relay_metric sts_policy_refresh_runs_total) $reports" \
    "$(( $(cpu_ms "$RELAY_PID") / 1000 ))" | tr ' ' ',' >> "$CSV"
}
print_row() { tail -n 1 "$CSV" | tr ',' '\t'; }
printf '\n%s\n' "$(head -n 1 "$CSV" | tr ',' '\t')"
BEGIN="$(date +%s)"
for minute in $(seq 0 "$MINUTES"); do
  sleep "$(( BEGIN + minute * 60 - $(date +%s) > 0 ? BEGIN + minute * 60 - $(date +%s) : 0 ))"
  kill -0 "$RELAY_PID" 2>/dev/null || { tail -n 30 "$WORK/relay.log" >&2; die "the relay exited during the soak"; }
  sample "$minute"
  print_row
done

# --- the end: stop the load, drain, account ---------------------------------------------------
touch "$WORK/stop"
wait "$LOAD_PID" || true
LOAD_PID=""
LOAD_SECONDS=$(( $(date +%s) - LOAD_START ))
echo "soak: load stopped; draining the queue (at most ${DRAIN_TIMEOUT} s)" >&2
DRAIN_START="$(date +%s)"
while (( $(date +%s) - DRAIN_START < DRAIN_TIMEOUT )); do
  read -r distinct _ < <(sink_ledger)
  (( $(relay_queue) == 0 && distinct >= $(relay_accepted) )) && break
  sleep 1
done
DRAINED_IN=$(( $(date +%s) - DRAIN_START ))
sleep 0.5  # the sink rewrites its ledger every 200 ms
ACCEPTED="$(relay_accepted)" QUEUE="$(relay_queue)"
read -r DELIVERED DUPLICATES UNIDENTIFIED DEFERRALS FETCHES IDS REPORTS < <(sink_ledger)
# client messages still queued, by sender (the queue also holds the relay's own report mails until sent)
QUEUED_MAIL="$(java -jar "$JAR" queue list --config "$WORK/relay.yaml" 2>/dev/null | grep -c '<soak@client.test>' || true)"
read -r CLIENT_OK FAILED_BATCHES < <(awk '$2 == 0 { ok += $3 } $2 != 0 { failed++ } END { printf "%d %d\n", ok, failed }' \
  "$WORK/batches")
LOST=$(( ACCEPTED - DELIVERED - QUEUED_MAIL ))
(( LOST > 0 )) || LOST=0

echo
echo "flat? mean of the first and of the last samples, and the least-squares slope per minute:"
python3 - "$CSV" "$FLAT_WINDOW" <<'PY'
import csv, sys
rows = list(csv.DictReader(open(sys.argv[1])))
window = max(1, min(int(sys.argv[2]), len(rows) // 3))
def slope(points):
    xs, ys = [p[0] for p in points], [p[1] for p in points]
    mx, my = sum(xs) / len(xs), sum(ys) / len(ys)
    var = sum((x - mx) ** 2 for x in xs)
    return sum((x - mx) * (y - my) for x, y in zip(xs, ys)) / var if var else 0.0
print(f"  (means of the first and last {window} of {len(rows)} samples; slopes over all, and over the second half,"
      " after the JVM has sized its heap)")
for name in ("rss_mib", "threads", "fds", "heap_after_gc_mib", "queue"):
    points = [(float(r["minute"]), float(r[name])) for r in rows]
    ys = [y for _, y in points]
    first, last = sum(ys[:window]) / window, sum(ys[-window:]) / window
    print(f"  {name:18s} first {first:8.1f}  last {last:8.1f}  slope {slope(points):+7.2f}/min"
          f"  second half {slope(points[len(points) // 2:]):+7.2f}/min")
PY

echo
echo "TLS-RPT day boundary ($DAY_BEFORE -> $DAY_AFTER at the relay's clock):"
ls "$WORK/tlsrpt" | sed 's/^/  journal and state: /'
java -jar "$JAR" report status --day "$DAY_BEFORE" --config "$WORK/relay.yaml" 2>/dev/null | sed 's/^/  /' || true
sed 's/^[0-9]*\t/  report mail at the inbox: /' "$WORK/sink/reports.log" 2>/dev/null || true
ROLLED=false
compgen -G "$WORK/tlsrpt/*$DAY_BEFORE*" >/dev/null && compgen -G "$WORK/tlsrpt/*$DAY_AFTER*" >/dev/null && ROLLED=true
REPORTED="$(grep -c "Report-ID: <${DAY_BEFORE//-/}\." "$WORK/sink/reports.log" 2>/dev/null || true)"

# One CSV row per minute, plotted when a python3 has matplotlib.
PNG="${CSV%.csv}.png"
for py in python3 /usr/bin/python3; do
  "$py" -c 'import matplotlib' 2>/dev/null || continue
  "$py" - "$CSV" "$PNG" <<'PY' && echo "plot: $PNG"
import csv, sys
import matplotlib
matplotlib.use("Agg")
import matplotlib.pyplot as plt
rows = list(csv.DictReader(open(sys.argv[1])))
minutes = [int(r["minute"]) for r in rows]
series = [("rss_mib", "RSS, MiB"), ("heap_after_gc_mib", "heap after GC, MiB"), ("threads", "threads"),
          ("fds", "open fds"), ("queue", "queue (messages)")]
fig, axes = plt.subplots(len(series), 1, sharex=True, figsize=(8, 10))
for axis, (name, label) in zip(axes, series):
    axis.plot(minutes, [float(r[name]) for r in rows], marker="o")
    axis.set_ylabel(label)
    axis.set_ylim(bottom=0)
axes[-1].set_xlabel("minute of the soak")
fig.suptitle("sts-relay soak")
fig.tight_layout()
fig.savefig(sys.argv[2], dpi=80)
PY
  break
done

echo
printf '%-62s %s\n' "load: minutes, rate offered" "$MINUTES min, $RATE messages/s ($STS_SHARE MTA-STS + $DANE_SHARE DANE)"
printf '%-62s %s\n' "load: rate achieved (accepted / seconds of load)" \
  "$(python3 -c 'import sys; print(f"{int(sys.argv[1]) / max(1, int(sys.argv[2])):.0f}")' "$ACCEPTED" "$LOAD_SECONDS") messages/s"
printf '%-62s %s\n' "smtp-source: 250s (batches exiting 0), failed batches" "$CLIENT_OK, $FAILED_BATCHES"
printf '%-62s %s\n' "relay: messages accepted" "$ACCEPTED"
printf '%-62s %s\n' "sink: distinct messages delivered (duplicates)" "$DELIVERED ($DUPLICATES)"
printf '%-62s %s\n' "relay: client messages still queued (all queued)" "$QUEUED_MAIL ($QUEUE) after ${DRAINED_IN} s of drain"
printf '%-62s %s\n' "lost (accepted - delivered - queued)" "$LOST"
printf '%-62s %s\n' "sink: recipients deferred with 451 (share of delivered)" \
  "$DEFERRALS ($(python3 -c 'import sys; print(f"{100 * int(sys.argv[1]) / max(1, int(sys.argv[2])):.1f}%")' "$DEFERRALS" "$DELIVERED"))"
printf '%-62s %s\n' "policy: ids published / fetches at the world / relay refreshes" \
  "$IDS / $FETCHES / $(relay_metric sts_policy_refresh_runs_total) ($(relay_metric sts_policy_refresh_runs_total 'outcome="replaced"') replaced)"
printf '%-62s %s\n' "TLS-RPT: journal rolled, reports of $DAY_BEFORE at the inbox" "$ROLLED, $REPORTED"
printf '%-62s %s\n' "messages without a queue id at the sink" "$UNIDENTIFIED"
printf '%-62s %s\n' "CSV" "$CSV"
(( LOST == 0 )) || die "$LOST accepted message(s) neither delivered nor queued"
(( FAILED_BATCHES > 0 || CLIENT_OK == ACCEPTED )) || die "smtp-source got $CLIENT_OK 250s, the relay counted $ACCEPTED"
$ROLLED || die "the TLS-RPT journal did not roll over to $DAY_AFTER"
(( REPORTED > 0 )) || die "no TLS-RPT report of $DAY_BEFORE reached the inbox"
