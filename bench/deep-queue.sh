#!/usr/bin/env bash
# A deep queue: N small messages (default 100,000) that every MX defers, held by one relay.
#
# The world (org.stsrelay.world.DeferringSink, in src-test) has a few recipient domains (deep1.test ...),
# each with an MTA-STS enforce policy and one TLS MX that answers every RCPT with "451 4.3.0", so nothing
# is ever delivered. The relay starts on a fresh spool pointed at it; smtp-source injects the messages (one
# recipient each, the domains taking turns, 32 sessions in all), and the script waits until the sink has
# deferred every one of them once (its count of 4xx RCPT replies), so every message is in the queue with a
# next attempt. The retry delay (--retry, default 30 min) is longer than the run, so nothing is retried
# while it is measured. Then it measures:
#   - the relay's RSS (VmRSS, /proc/<pid>/status) with the whole queue deferred, and its heap after a full
#     GC (jcmd GC.run, then GC.heap_info) for context, and the RSS after that GC;
#   - the wall time of `java -jar sts-relay.jar queue list --config ...` of the whole queue (a new JVM
#     reading the spool, as an operator runs it, output to a file), and that it lists N messages;
#   - the retry spread: the next-attempt times that list shows, as a histogram of due times (10 s buckets
#     or wider, so at most 30 rows), the most recipients due in any one second and the mean per second
#     over the span of due times;
#   - restarts: a clean stop (SIGTERM; the time it took to exit), then a start, then kill -9, then a
#     start; each start is timed from exec to the SMTP port accepting a TCP connection and to /readyz
#     answering 200 (and the relay's CPU time until then, /proc/<pid>/stat; the first start, on the empty
#     spool, is the baseline), and the relay's spool gauge (sts_relay_spool_messages) must hold N messages
#     again.
#     The RSS after the last start (the queue recovered from the spool) is printed too.
#
# Builds nothing: needs relay/target/sts-relay.jar and the compiled test classes of policy-cache and
# src-test (`mvn -B -q package -DskipTests` in the repository root leaves all three). Needs Debian's
# postfix package (for smtp-source), jcmd (the JDK), python3 and curl. Everything listens on
# 127.0.0.0/8; all state lives in one temporary directory removed on exit.
#
# Usage: [JAVA_OPTS=...] bench/deep-queue.sh [--jar PATH] [--messages N] [--domains N] [--retry SECONDS]
#   --messages N      messages injected (default 100000; e.g. 5000 while developing)
#   --domains N       recipient domains, each with its own deferring MX (default 4)
#   --retry SECONDS   the relay's retry delay (delivery.retry-schedule, default 1800)
# JAVA_OPTS goes to the relay only (not to `queue list`); unset, it is -Xmx256m, the heap limit of the shipped
# systemd unit (deploy/systemd/sts-relay.service); JAVA_OPTS="" runs the relay with the JVM's default heap
# sizing (a quarter of the machine's memory), whose RSS is the heap G1 chose to grow, not what the queue needs.
set -euo pipefail

readonly SESSIONS=32 LENGTH=512
JAVA_OPTS="${JAVA_OPTS--Xmx256m}"
MESSAGES=100000
DOMAIN_COUNT=4
RETRY=1800
readonly BENCH_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
# shellcheck source=bench/probes.sh
source "$BENCH_DIR/probes.sh"
readonly REPO="$(cd "$BENCH_DIR/.." && pwd)"
JAR="$REPO/relay/target/sts-relay.jar"

while [[ $# -gt 0 ]]; do
  case "$1" in
    --jar) JAR="$2"; shift 2 ;;
    --messages) MESSAGES="$2"; shift 2 ;;
    --domains) DOMAIN_COUNT="$2"; shift 2 ;;
    --retry) RETRY="$2"; shift 2 ;;
    -h|--help) sed -n '2,36p' "$0"; exit 0 ;;
    *) echo "unknown argument: $1 (see --help)" >&2; exit 2 ;;
  esac
done

die() { echo "deep-queue: $*" >&2; exit 1; }
for number in "$MESSAGES" "$DOMAIN_COUNT" "$RETRY"; do
  [[ "$number" =~ ^[1-9][0-9]*$ ]] || die "--messages, --domains and --retry take a positive number"
done
(( MESSAGES >= DOMAIN_COUNT )) || die "--messages must be at least --domains"
[[ -f "$JAR" ]] || die "no relay jar at $JAR: run 'mvn -B -q package -DskipTests' first (this script builds nothing)"
JAR="$(realpath "$JAR")"
for classes in "$REPO/policy-cache/target/test-classes" "$REPO/src-test/target/test-classes"; do
  [[ -d "$classes" ]] || die "no $classes: run 'mvn -B -q package -DskipTests' first"
done
for tool in smtp-source jcmd python3 curl; do
  command -v "$tool" >/dev/null || die "$tool not found"
done

WORK="$(mktemp -d /tmp/sts-relay-deep-queue.XXXXXX)"
SINK_PID="" RELAY_PID=""
cleanup() {
  # only what this script started, by PID
  [[ -n "$RELAY_PID" ]] && kill -9 "$RELAY_PID" 2>/dev/null || true
  [[ -n "$SINK_PID" ]] && kill -9 "$SINK_PID" 2>/dev/null || true
  rm -rf "$WORK"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
now() { date +%s.%N; }
elapsed() { python3 -c 'import sys; print(f"{float(sys.argv[2]) - float(sys.argv[1]):.2f}")' "$1" "$2"; }
rss_mib() { awk '/^VmRSS:/ { printf "%.0f\n", $2 / 1024 }' "/proc/$1/status"; }
sink_deferred() { read -r deferred _ < "$WORK/sink/sink.stats"; echo "$deferred"; }
relay_gauge() {  # the value of metric $1 (first series whose labels contain $2), or empty
  curl -fs "http://127.0.0.1:$METRICS_PORT/metrics" 2>/dev/null \
    | awk -v name="$1" -v labels="${2:-}" '($1 == name || index($1, name "{") == 1) && index($1, labels) > 0 {
        printf "%d\n", $NF; exit }'
}

# --- the deferring world ---------------------------------------------------------------------
mkdir -p "$WORK/sink"
java -cp "$JAR:$REPO/policy-cache/target/test-classes:$REPO/src-test/target/test-classes" \
  org.stsrelay.world.DeferringSink "$WORK/sink" "$DOMAIN_COUNT" "$RETRY" > "$WORK/sink.log" 2>&1 &
SINK_PID=$!
disown "$SINK_PID"
for _ in $(seq 1 200); do [[ -f "$WORK/sink/sink.stats" ]] && break; sleep 0.1; done
[[ -f "$WORK/sink/sink.stats" ]] || { cat "$WORK/sink.log" >&2; die "the sink did not start"; }
# shellcheck disable=SC1091 # written by DeferringSink: DOMAINS
source "$WORK/sink/world.env"
read -r -a DOMAIN_LIST <<< "$DOMAINS"

# --- the relay -------------------------------------------------------------------------------
SMTP_PORT="$(free_port)" METRICS_PORT="$(free_port)"
{
  relay_yaml_head deep.relay.test "$SMTP_PORT" "$METRICS_PORT" "$WORK"
  cat "$WORK/sink/world.yaml"
} > "$WORK/relay.yaml"

# Starts the relay on the spool and waits for it; sets RELAY_PID, TO_SMTP and TO_READY (seconds from exec) and
# CPU_TO_READY (the relay's CPU time until then, in ms: less sensitive than wall time to a busy machine).
start_relay() {
  local start listening="" ready=""
  start="$(now)"
  # shellcheck disable=SC2086 # JAVA_OPTS is a list of JVM flags, split on purpose
  STS_RELAY_LOG_LEVEL=WARN java "$(relay_jvm_options)" ${JAVA_OPTS:-} -jar "$JAR" run --config "$WORK/relay.yaml" >> "$WORK/relay.log" 2>&1 &
  RELAY_PID=$!
  disown "$RELAY_PID"
  for _ in $(seq 1 1200); do
    kill -0 "$RELAY_PID" 2>/dev/null || { tail -n 30 "$WORK/relay.log" >&2; die "relay exited during start-up"; }
    if [[ -z "$listening" ]] && (exec 3<>"/dev/tcp/127.0.0.1/$SMTP_PORT") 2>/dev/null; then
      listening="$(now)"
    fi
    if [[ -n "$listening" ]] && curl -fs "http://127.0.0.1:$METRICS_PORT/readyz" >/dev/null 2>&1; then
      ready="$(now)"
      CPU_TO_READY="$(cpu_ms "$RELAY_PID")"
      break
    fi
    sleep 0.05
  done
  [[ -n "$ready" ]] || die "relay not ready within 60 s"
  TO_SMTP="$(elapsed "$start" "$listening")" TO_READY="$(elapsed "$start" "$ready")"
}

# Waits for the spool gauge to read $1; fails after 60 s.
await_spool() {
  for _ in $(seq 1 600); do
    [[ "$(relay_gauge sts_relay_spool_messages)" == "$1" ]] && return 0
    sleep 0.1
  done
  die "the relay's spool holds $(relay_gauge sts_relay_spool_messages) messages, not $1"
}

start_relay
EMPTY_LISTEN="$TO_SMTP" EMPTY_READY="$TO_READY" EMPTY_CPU="$CPU_TO_READY"
echo "relay started (pid $RELAY_PID); injecting $MESSAGES x $LENGTH octets to ${DOMAIN_LIST[*]}" >&2

# --- inject, and wait until every message was attempted once -----------------------------------
INJECT_START="$(now)"
LOADERS=()
for i in "${!DOMAIN_LIST[@]}"; do
  count=$((MESSAGES / DOMAIN_COUNT + (i < MESSAGES % DOMAIN_COUNT ? 1 : 0)))
  sessions=$((SESSIONS / DOMAIN_COUNT > 0 ? SESSIONS / DOMAIN_COUNT : 1))
  smtp-source -s "$sessions" -m "$count" -l "$LENGTH" -f sender@client.test -t "rcpt@${DOMAIN_LIST[$i]}" \
    "127.0.0.1:$SMTP_PORT" &
  LOADERS+=($!)
done
for loader in "${LOADERS[@]}"; do wait "$loader" || die "smtp-source failed"; done
INJECT_END="$(now)"
last=-1 still=0
while (( $(sink_deferred) < MESSAGES )); do
  count="$(sink_deferred)"
  if (( count == last )); then
    still=$((still + 1))
    (( still <= 600 )) || die "attempts stalled: the sink deferred $count of $MESSAGES"
  else
    still=0 last="$count"
  fi
  sleep 0.2
done
ATTEMPTED="$(now)"
await_spool "$MESSAGES"

# --- memory with the whole queue deferred ------------------------------------------------------
sleep 2  # the last PROGRESS records are written and the attempt threads settle
RSS_DEFERRED="$(rss_mib "$RELAY_PID")"
jcmd "$RELAY_PID" GC.run >/dev/null
HEAP_INFO="$(jcmd "$RELAY_PID" GC.heap_info)"
HEAP_USED="$(awk '/garbage-first heap|total .* used/ { for (i = 1; i <= NF; i++) if ($i == "used") { v = $(i + 1);
  sub(/K,?$/, "", v); printf "%.0f\n", v / 1024; exit } }' <<< "$HEAP_INFO")"
HEAP_COMMITTED="$(awk '/garbage-first heap|total .* used/ { for (i = 1; i <= NF; i++) if ($i == "total") { v = $(i + 1);
  sub(/K,?$/, "", v); printf "%.0f\n", v / 1024; exit } }' <<< "$HEAP_INFO")"
RSS_AFTER_GC="$(rss_mib "$RELAY_PID")"

# --- queue list of the whole queue --------------------------------------------------------------
LIST_START="$(now)"
java -jar "$JAR" queue list --config "$WORK/relay.yaml" > "$WORK/list.txt" 2> "$WORK/list.err" \
  || { cat "$WORK/list.err" >&2; die "queue list failed"; }
LIST_END="$(now)"
LISTED="$(awk '/ message\(s\)$/ { print $1 }' "$WORK/list.txt" | tail -n 1)"
[[ "$LISTED" == "$MESSAGES" ]] || die "queue list listed ${LISTED:-nothing}, not $MESSAGES messages"

# The retry spread, from the next-attempt times queue list shows.
SPREAD="$(python3 - "$WORK/list.txt" <<'PY'
import collections, datetime, re, sys
due = []
for line in open(sys.argv[1]):
    match = re.search(r"  next (\S+)", line)
    if match:
        due.append(datetime.datetime.fromisoformat(match.group(1).replace("Z", "+00:00")).timestamp())
if not due:
    print("no next-attempt times listed")
    sys.exit(0)
first, last = min(due), max(due)
per_second = collections.Counter(int(t) for t in due)
span = int(last) - int(first) + 1
print(f"recipients with a next attempt: {len(due)}; due between +0 s and +{last - first:.0f} s "
      f"({span} s); mean {len(due) / span:.1f}/s, most in any one second {max(per_second.values())}")
width = max(10, -(-span // 30))
buckets = collections.Counter(int((t - first) // width) for t in due)
for bucket in range(max(buckets) + 1):
    count = buckets.get(bucket, 0)
    print(f"  due +{bucket * width:>5} s .. +{(bucket + 1) * width:>5} s  {count:>7}  {'#' * round(60 * count / len(due))}")
PY
)"

# --- restarts -----------------------------------------------------------------------------------
STOP_START="$(now)"
kill -TERM "$RELAY_PID"
for _ in $(seq 1 1200); do kill -0 "$RELAY_PID" 2>/dev/null || break; sleep 0.05; done
kill -0 "$RELAY_PID" 2>/dev/null && die "the relay did not stop within 60 s of SIGTERM"
STOP_SECONDS="$(elapsed "$STOP_START" "$(now)")"
RELAY_PID=""
start_relay
CLEAN_LISTEN="$TO_SMTP" CLEAN_READY="$TO_READY" CLEAN_CPU="$CPU_TO_READY"
await_spool "$MESSAGES"
kill -9 "$RELAY_PID"
while kill -0 "$RELAY_PID" 2>/dev/null; do sleep 0.05; done
RELAY_PID=""
start_relay
KILL_LISTEN="$TO_SMTP" KILL_READY="$TO_READY" KILL_CPU="$CPU_TO_READY"
await_spool "$MESSAGES"
sleep 2
RSS_RECOVERED="$(rss_mib "$RELAY_PID")"
DEFERRED_GAUGE="$(relay_gauge sts_relay_queue_recipients 'state="deferred"')"

# --- the report ---------------------------------------------------------------------------------
cat <<REPORT

deep queue: $MESSAGES x $LENGTH octets to $DOMAIN_COUNT domains whose MX defers every RCPT (retry delay ${RETRY} s)
relay JVM options: ${JAVA_OPTS:-(none: JVM defaults)}
injected (smtp-source, $SESSIONS sessions)                $(elapsed "$INJECT_START" "$INJECT_END") s
every message attempted once (sink: $(sink_deferred) deferrals)     $(elapsed "$INJECT_START" "$ATTEMPTED") s after the first byte
relay RSS, whole queue deferred                          $RSS_DEFERRED MiB
heap after a full GC (jcmd GC.run): used / committed     $HEAP_USED / $HEAP_COMMITTED MiB
relay RSS after that GC                                  $RSS_AFTER_GC MiB
queue list of the whole queue (new JVM, to a file)       $(elapsed "$LIST_START" "$LIST_END") s, $LISTED message(s) listed
first start, empty spool: SMTP port / readyz / CPU       $EMPTY_LISTEN s / $EMPTY_READY s from exec / $EMPTY_CPU ms
clean stop (SIGTERM) until the process exited            $STOP_SECONDS s
start after the clean stop: SMTP port / readyz / CPU     $CLEAN_LISTEN s / $CLEAN_READY s from exec / $CLEAN_CPU ms
start after kill -9: SMTP port / readyz / CPU            $KILL_LISTEN s / $KILL_READY s from exec / $KILL_CPU ms
spool after each restart (sts_relay_spool_messages)      $MESSAGES
relay RSS after the last start (queue recovered)         $RSS_RECOVERED MiB; deferred recipients (gauge) ${DEFERRED_GAUGE:-?}
retry spread (next attempts in queue list):
$SPREAD
REPORT
