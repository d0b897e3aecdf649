#!/usr/bin/env bash
# Many domains: 10 KiB messages to many recipient domains (default 20,000 to 1,000, 20 each), every domain with
# its own MX name and its own MTA-STS "mode: enforce" policy served by the benchmark world, delivered by
# sts-relay over verified TLS (PKIX, the policy's MX match) to one sink MX. Shows the throughput when every
# domain's policy has to be fetched first, and that each policy is fetched exactly once however many of the
# domain's messages wait for it.
#
# How the messages arrive: the relay starts with delivery held (`queue hold`, applied before any message);
# smtp-source queues every message (one invocation per domain, -s 4 sessions, --parallel invocations at once);
# then `queue release` lets all of them go at the same moment, so every domain's first attempts all ask for a
# policy that is not cached yet. With --live, delivery is not held: each domain's messages are delivered while
# the others are still being accepted.
#
# The world (org.stsrelay.world.BenchSink --many-domains N, in src-test): domains d0001.many.test and on, each
# with MX dNNNN.mx.many.test (all on one sink MX whose certificate names *.mx.many.test), a _mta-sts TXT record
# and a policy at https://mta-sts.dNNNN.many.test/.well-known/mta-sts.txt (its own certificate, by SNI, minted
# before the run). Every DNS answer is DNSSEC-signed with a TTL of 300 s. The world counts policy requests per
# domain and the TXT queries it answered (many.stats).
#
# Reports: messages at the sink (zero loss: received == sent) and over TLS; messages/s from the first byte
# smtp-source sent to the last message at the sink, and (held) from the release to the last message at the
# sink; policy fetches per domain at the world (min / max / total; must be exactly 1 each) and what the relay
# counted (fetches, lookups by result); TXT and all DNS queries the world answered; TCP connections and TLS
# handshakes at the sink; the relay's CPU time per message (bench/probes.sh cpu_ms) over the whole run and
# over the delivery alone, and per thread. Postfix is not run: it has no MTA-STS of its own, so it has nothing
# to compare here (bench/delivery-benchmark.sh compares the verified-TLS path with it).
#
# Builds nothing: needs relay/target/sts-relay.jar and the compiled test classes of policy-cache and src-test
# (`mvn -B -q package -DskipTests` in the repository root). Needs smtp-source (Debian's postfix package),
# python3 and curl. Everything listens on 127.0.0.0/8; all state lives in one temporary directory removed on
# exit.
#
# Usage: [JAVA_OPTS=...] bench/many-domains.sh [--jar PATH] [--domains N] [--messages N] [--parallel N]
#          [--live] [--jfr FILE]
# --messages must be a multiple of --domains; --parallel is how many smtp-source invocations run at once
# (default 8); --jfr records a JFR profile of the relay from the first byte to the last message at the sink
# (bench/jfr-top.py prints its top frames).
set -euo pipefail

readonly LENGTH=10240 SESSIONS_PER_DOMAIN=4
DOMAINS=1000
MESSAGES=20000
PARALLEL=8
LIVE=false
JFR=""
readonly BENCH_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
# shellcheck source=bench/probes.sh
source "$BENCH_DIR/probes.sh"
# shellcheck source=bench/sink.sh
source "$BENCH_DIR/sink.sh"
readonly REPO="$(cd "$BENCH_DIR/.." && pwd)"
JAR="$REPO/relay/target/sts-relay.jar"

while [[ $# -gt 0 ]]; do
  case "$1" in
    --jar) JAR="$2"; shift 2 ;;
    --domains) DOMAINS="$2"; shift 2 ;;
    --messages) MESSAGES="$2"; shift 2 ;;
    --parallel) PARALLEL="$2"; shift 2 ;;
    --live) LIVE=true; shift ;;
    --jfr) JFR="$(realpath -m "$2")"; shift 2 ;;
    -h|--help) sed -n '2,37p' "$0"; exit 0 ;;
    *) echo "unknown argument: $1 (see --help)" >&2; exit 2 ;;
  esac
done

die() { echo "many-domains: $*" >&2; exit 1; }
[[ "$DOMAINS" =~ ^[0-9]+$ && "$MESSAGES" =~ ^[0-9]+$ && "$PARALLEL" =~ ^[0-9]+$ ]] \
  || die "--domains, --messages and --parallel take a number"
(( DOMAINS >= 1 && DOMAINS <= 9999 )) || die "--domains must be between 1 and 9999"
(( PARALLEL >= 1 )) || die "--parallel must be at least 1"
(( MESSAGES >= DOMAINS && MESSAGES % DOMAINS == 0 )) || die "--messages must be a multiple of --domains"
readonly PER_DOMAIN=$((MESSAGES / DOMAINS))
[[ -f "$JAR" ]] || die "no relay jar at $JAR: run 'mvn -B -q package -DskipTests' first (this script builds nothing)"
JAR="$(realpath "$JAR")"
for classes in "$REPO/policy-cache/target/test-classes" "$REPO/src-test/target/test-classes"; do
  [[ -d "$classes" ]] || die "no $classes: run 'mvn -B -q package -DskipTests' first"
done
command -v smtp-source >/dev/null || die "smtp-source not found: install Debian's postfix package"
command -v python3 >/dev/null || die "python3 not found"
command -v curl >/dev/null || die "curl not found"

WORK="$(mktemp -d /tmp/sts-relay-many-domains.XXXXXX)"
SINK_DIR="$WORK/sink"
SINK_PID="" RELAY_PID=""
cleanup() {
  # only what this script started, by PID
  [[ -n "$RELAY_PID" ]] && kill -9 "$RELAY_PID" 2>/dev/null || true
  [[ -n "$SINK_PID" ]] && kill -9 "$SINK_PID" 2>/dev/null || true
  rm -rf "$WORK"
}
trap cleanup EXIT
trap 'exit 130' INT TERM
now() { date +%s.%N; }
# "txt-queries N" of many.stats
world_txt_queries() { awk '$1 == "txt-queries" { print $2 }' "$SINK_DIR/many.stats"; }

# --- the world -------------------------------------------------------------------------------
mkdir -p "$SINK_DIR"
java -cp "$JAR:$REPO/policy-cache/target/test-classes:$REPO/src-test/target/test-classes" \
  org.stsrelay.world.BenchSink "$SINK_DIR" --many-domains "$DOMAINS" > "$WORK/sink.log" 2>&1 &
SINK_PID=$!
disown "$SINK_PID"
# minting a policy-host certificate per domain takes a while on a busy machine
for _ in $(seq 1 1200); do [[ -f "$SINK_DIR/many.stats" ]] && break; sleep 0.1; done
[[ -f "$SINK_DIR/many.stats" ]] || { cat "$WORK/sink.log" >&2; die "the sink did not start within 120 s"; }

# --- the relay -------------------------------------------------------------------------------
SMTP_PORT="$(free_port)" METRICS_PORT="$(free_port)"
{
  relay_yaml_head bench.relay.test "$SMTP_PORT" "$METRICS_PORT" "$WORK"
  cat "$SINK_DIR/world.yaml"
} > "$WORK/relay.yaml"
# shellcheck disable=SC2086 # JAVA_OPTS is a list of JVM flags, split on purpose
STS_RELAY_LOG_LEVEL=WARN java "$(relay_jvm_options)" ${JAVA_OPTS:-} -jar "$JAR" run --config "$WORK/relay.yaml" > "$WORK/relay.log" 2>&1 &
RELAY_PID=$!
disown "$RELAY_PID"
for _ in $(seq 1 400); do
  curl -fs "http://127.0.0.1:$METRICS_PORT/readyz" >/dev/null 2>&1 && break
  kill -0 "$RELAY_PID" 2>/dev/null || { tail -n 30 "$WORK/relay.log" >&2; die "relay exited during start-up"; }
  sleep 0.1
done
curl -fs "http://127.0.0.1:$METRICS_PORT/readyz" >/dev/null || die "relay not ready within 40 s"
queue() { java -jar "$JAR" queue "$1" --config "$WORK/relay.yaml" > /dev/null || die "queue $1 failed"; }

# The sum of counter $1 over its series in the relay's /metrics whose labels contain $2 (default: all).
relay_counter() {
  curl -fs "http://127.0.0.1:$METRICS_PORT/metrics" 2>/dev/null \
    | awk -v name="$1" -v labels="${2:-}" '($1 == name || index($1, name "{") == 1) && index($1, labels) > 0 {
        sum += $NF } END { printf "%d\n", sum }'
}

# --- the run ---------------------------------------------------------------------------------
$LIVE || queue hold
read -r _ conn0 hs0 res0 dns0 < <(sink_stats)
txt0="$(world_txt_queries)"
[[ -z "$JFR" ]] || jfr_start "$RELAY_PID"
thread_cpu "$RELAY_PID" > "$WORK/threads.before"
cpu0="$(cpu_ms "$RELAY_PID")"
echo "queueing $MESSAGES messages: smtp-source -s $SESSIONS_PER_DOMAIN -m $PER_DOMAIN -l $LENGTH per domain," \
  "$PARALLEL at once$($LIVE && echo ', delivery live' || echo ', delivery held')" >&2
start="$(now)"
for n in $(seq 1 "$DOMAINS"); do printf 'rcpt@d%04d.many.test\n' "$n"; done \
  | xargs -P "$PARALLEL" -I RCPT smtp-source -s "$SESSIONS_PER_DOMAIN" -m "$PER_DOMAIN" -l "$LENGTH" \
      -f sender@client.test -t RCPT "127.0.0.1:$SMTP_PORT" \
  || die "smtp-source failed"
accepted="$(now)"
released="$start" cpu_released="$cpu0"
if ! $LIVE; then
  (( $(sink_received) == 0 )) || die "messages left the relay while delivery was held"
  echo "releasing the queue" >&2
  released="$(now)" cpu_released="$(cpu_ms "$RELAY_PID")"
  queue release
fi
await_sink "$MESSAGES" 60 || die "the sink has $(sink_received) of $MESSAGES messages"
cpu1="$(cpu_ms "$RELAY_PID")"
thread_cpu "$RELAY_PID" > "$WORK/threads.after"
[[ -z "$JFR" ]] || { jfr_stop "$RELAY_PID" "$JFR"; echo "JFR recording from first byte to last message: $JFR" >&2; }
sleep 0.5  # the sink flushes sink.times and many.stats every 200 ms
read -r received conn1 hs1 res1 dns1 < <(sink_stats)
txt1="$(world_txt_queries)"
relay_fetches="$(relay_counter sts_policy_fetch_duration_seconds_count)"
relay_failed="$(relay_counter sts_policy_fetch_failures_total)"
lookups="$(curl -fs "http://127.0.0.1:$METRICS_PORT/metrics" | awk '/^sts_policy_lookups_total\{/ && $NF > 0 {
  match($1, /result="[a-z_]+"/); printf "%s%s %d", sep, substr($1, RSTART + 8, RLENGTH - 9), $NF; sep = ", " }')"

# --- the table -------------------------------------------------------------------------------
python3 - "$SINK_DIR/sink.times" "$SINK_DIR/many.stats" "$MESSAGES" "$start" "$accepted" "$released" <<'PY' \
  > "$WORK/summary.txt"
import sys
times, stats, messages, start, accepted, released = sys.argv[1], sys.argv[2], int(sys.argv[3]), *map(float, sys.argv[4:])
rows = [line.split("\t") for line in open(times) if line.strip()]
last = max(int(r[0]) for r in rows) / 1000.0
tls = sum(1 for r in rows if r[2] != "none")
fetches = [int(line.split()[1]) for line in open(stats) if not line.startswith("txt-queries")]
print(len(rows), tls, f"{messages / (accepted - start):.0f}", f"{messages / (last - start):.0f}",
      f"{messages / (last - released):.0f}", f"{last - released:.1f}", min(fetches), max(fetches), sum(fetches),
      sum(1 for f in fetches if f != 1))
PY
read -r at_sink over_tls accept_rate e2e_rate release_rate release_seconds fmin fmax ftotal odd < "$WORK/summary.txt"
per_message() { python3 -c 'import sys; print(f"{int(sys.argv[1]) / int(sys.argv[2]):.2f}")' "$1" "$2"; }
printf '\n%s\n' "$MESSAGES x 10 KiB to $DOMAINS domains ($PER_DOMAIN each), verified TLS under enforce$($LIVE && echo ', live' || echo ', held then released')"
printf '%-58s %s\n' "messages at the sink (sent $MESSAGES)" "$at_sink" \
  "  of which over TLS" "$over_tls" \
  "messages/s accepted (first byte -> last 250)" "$accept_rate" \
  "messages/s end to end (first byte -> last at the sink)" "$e2e_rate"
$LIVE || printf '%-58s %s\n' "messages/s delivered (release -> last at the sink)" "$release_rate ($release_seconds s)"
printf '%-58s %s\n' "policy fetches per domain at the world, min / max" "$fmin / $fmax" \
  "policy fetches at the world, total ($DOMAINS domains)" "$ftotal" \
  "domains whose policy was not fetched exactly once" "$odd" \
  "policy fetches the relay counted (failed)" "$relay_fetches ($relay_failed)" \
  "policy lookups the relay counted, by result" "$lookups" \
  "TXT queries at the world" "$((txt1 - txt0))" \
  "DNS queries at the world, all types" "$((dns1 - dns0))" \
  "TCP connections / TLS handshakes (resumed) at the sink" "$((conn1 - conn0)) / $((hs1 - hs0)) ($((res1 - res0)))" \
  "relay CPU per message, ms, whole run (user + system)" "$(per_message $((cpu1 - cpu0)) "$MESSAGES")"
$LIVE || printf '%-58s %s\n' "relay CPU per message, ms, delivery alone" "$(per_message $((cpu1 - cpu_released)) "$MESSAGES")"
echo "relay CPU by thread, first byte to last message:"
thread_cpu_delta "$WORK/threads.before" "$WORK/threads.after" "$MESSAGES"
(( at_sink == MESSAGES )) || die "lost messages: $at_sink of $MESSAGES at the sink"
(( odd == 0 )) || die "$odd domains' policies were not fetched exactly once"
