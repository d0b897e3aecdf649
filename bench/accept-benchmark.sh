#!/usr/bin/env bash
# Accept throughput and latency of sts-relay with fsync on (every 250 follows an fsync), and of Postfix 3.7's
# smtpd under the same load in the same run.
#
# The load is what the issue names: 32 sessions, a new connection per message, MAIL, RCPT, DATA of 10 KiB,
# QUIT. Two generators send it, one after the other, to each server:
#   smtp-source (Debian's postfix package): throughput only (client wall clock), as before;
#   bench-client (org.stsrelay.world.BenchClient, src-test): the same dialogue, and each message's latency
#     on the client side, from the start of the connect to the 250 after the final dot (what a sending
#     MTA waits), p50/p99/max, plus the final dot to the 250 alone. One bench-client process serves every
#     run, so the relay and Postfix meet the same, already compiled, generator (before the relay starts it
#     sends 20,000 messages to a responder in its own process, see bench/client.sh); one selector thread drives
#     its 32 sessions, so that on a 2-core machine the generator does not add 32 threads' scheduling delay
#     to the latency it measures.
# The measured window is the bench-client run against each server. Over the relay's window the script reads
# the relay's CPU time (user + system, /proc/<pid>/stat), per thread group (/proc/<pid>/task/*/stat), the
# disk flushes (/sys/block/*/stat: the whole machine, so other load on it counts too), the relay's own fsync
# counter and latency histograms (/metrics, percentiles derived from the buckets), and the generator's own
# CPU time, to show it is not the bottleneck; over Postfix's window the flushes and the generator's CPU.
# With --paced, bench-client then sends the same load to the relay at each given rate instead of flat out (an
# open loop: message i is due i/RATE s after the start and begins when due and a session is free; its latency
# counts from when it was due, so waiting for a session is not omitted). Flat out, 32 sessions in lock-step make
# the mean latency 32 divided by the throughput whatever the server does; paced, the latency is the server's at
# that load. Afterwards the relay holds 1,000 idle SMTP connections while its RSS (VmRSS) is read.
#
# Builds nothing: it runs the jar and the src-test classes that `mvn -B -q package -DskipTests` (repository
# root) leaves in relay/target/sts-relay.jar and src-test/target/test-classes (--jar for another jar). Needs
# Debian's postfix package for smtp-source (and for --postfix-baseline, a private Postfix instance, which
# needs root), python3 and curl. Everything listens on 127.0.0.1 only; all state lives in one temporary
# directory that is removed on exit.
#
# Usage: [JAVA_OPTS="-Xmx..."] bench/accept-benchmark.sh [--jar PATH] [--messages N] [--warmup N]
#          [--postfix-baseline] [--paced RATE[,RATE...]] [--jfr FILE]
#   --messages N        messages per generator and server (default 20000)
#   --warmup N          bench-client messages sent to the relay first and not measured, so the JIT has
#                       compiled the hot path of the relay and of the generator, then a /metrics scrape
#                       (relay_scrape in probes.sh: as in service) (default 5000; 0 measures a cold JVM)
#   --postfix-baseline  also run the same load against a private Postfix smtpd that queues the mail
#                       (defer_transports = smtp), for comparison
#   --paced RATES       after the flat-out window, --messages more messages to the relay at each of these
#                       rates (messages per second, comma-separated), each with its own latencies
#   --jfr FILE          record a JFR profile of the relay over its measured window into FILE
#                       (bench/jfr-top.py FILE prints its top frames)
set -euo pipefail

readonly SESSIONS=32 LENGTH=10240 IDLE_CONNECTIONS=1000
MESSAGES=20000
WARMUP=5000
JFR=""
PACED=""
readonly BENCH_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
# shellcheck source=bench/probes.sh
source "$BENCH_DIR/probes.sh"
# shellcheck source=bench/postfix.sh
source "$BENCH_DIR/postfix.sh"
# shellcheck source=bench/client.sh
source "$BENCH_DIR/client.sh"
readonly REPO="$(cd "$BENCH_DIR/.." && pwd)"
JAR="$REPO/relay/target/sts-relay.jar"
POSTFIX_BASELINE=false

while [[ $# -gt 0 ]]; do
  case "$1" in
    --jar) JAR="$2"; shift 2 ;;
    --messages) MESSAGES="$2"; shift 2 ;;
    --postfix-baseline) POSTFIX_BASELINE=true; shift ;;
    --warmup) WARMUP="$2"; shift 2 ;;
    --jfr) JFR="$(realpath -m "$2")"; shift 2 ;;
    --paced) PACED="${2//,/ }"; shift 2 ;;
    -h|--help) sed -n '2,42p' "$0"; exit 0 ;;
    *) echo "unknown argument: $1 (see --help)" >&2; exit 2 ;;
  esac
done

die() { echo "accept-benchmark: $*" >&2; exit 1; }
[[ "$MESSAGES" =~ ^[1-9][0-9]*$ && "$WARMUP" =~ ^[0-9]+$ ]] || die "--messages and --warmup take a number of messages"
for rate in $PACED; do [[ "$rate" =~ ^[1-9][0-9]*$ ]] || die "--paced takes rates in messages per second, not '$rate'"; done
[[ -f "$JAR" ]] || die "no relay jar at $JAR: build it with 'mvn -B -q package -DskipTests' first (this script builds nothing)"
JAR="$(realpath "$JAR")"
[[ -d "$REPO/src-test/target/test-classes" ]] \
  || die "no src-test/target/test-classes (bench-client): run 'mvn -B -q package -DskipTests' first"
command -v smtp-source >/dev/null || die "smtp-source not found: install Debian's postfix package"
command -v python3 >/dev/null || die "python3 not found"
command -v curl >/dev/null || die "curl not found"
if $POSTFIX_BASELINE; then
  command -v postfix >/dev/null || die "--postfix-baseline needs Debian's postfix package"
  [[ "$(id -u)" == 0 ]] || die "--postfix-baseline needs root for a private Postfix instance"
fi

WORK="$(mktemp -d /tmp/sts-relay-bench.XXXXXX)"
RELAY_PID="" IDLE_PID="" CLIENT_PID="" POSTFIX_ETC=""
cleanup() {
  # only what this script started, by PID or by its own instance directory
  [[ -n "$IDLE_PID" ]] && kill "$IDLE_PID" 2>/dev/null || true
  [[ -n "$CLIENT_PID" ]] && kill "$CLIENT_PID" 2>/dev/null || true
  [[ -n "$RELAY_PID" ]] && kill -9 "$RELAY_PID" 2>/dev/null || true
  [[ -n "$POSTFIX_ETC" ]] && postfix -c "$POSTFIX_ETC" stop >/dev/null 2>&1 || true
  rm -rf "$WORK"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
now() { date +%s.%N; }
rate() { python3 -c "import sys; print(f'{int(sys.argv[1]) / (float(sys.argv[3]) - float(sys.argv[2])):.0f}')" "$@"; }
per() { python3 -c "import sys; print(f'{int(sys.argv[1]) / int(sys.argv[2]):.{sys.argv[3]}f}')" "$@"; }
ratio() { python3 -c "import sys; print(f'{float(sys.argv[1]) / float(sys.argv[2]):.2f}x')" "$@"; }
rss_kib() { awk '/^VmRSS:/ {print $2}' "/proc/$1/status"; }

# smtp-source with the benchmark's load against $1 (host:port); prints its messages/s.
source_run() {
  local start end
  echo "smtp-source -s $SESSIONS -m $MESSAGES -l $LENGTH 127.0.0.1:${1##*:}" >&2
  start="$(now)"
  smtp-source -s "$SESSIONS" -m "$MESSAGES" -l "$LENGTH" -f bench@example.test -t rcpt@example.test "$1" \
    || die "smtp-source against $1 failed"
  end="$(now)"
  rate "$MESSAGES" "$start" "$end"
}

# bench-client: $2 messages against $1 (host:port); sets ${3}_<key> for each key=value of its result line
# (messages failed seconds rate p50_ms p99_ms max_ms data_p50_ms data_p99_ms, see BenchClient.Result).
generate() { bench_client_run "$@" || die "the bench-client run against $1 failed"; }

# The measured window: bench-client against $1 (host:port) as $2 (RELAY or POSTFIX), with the relay's
# probes when $3 is its PID; sets ${2}_cpu_ms (the relay's), ${2}_client_cpu_ms and ${2}_flushes.
measure() {
  local target="$1" name="$2" pid="${3:-}" cpu0=0 cpu1=0 client0 client1 flushes0 flushes1
  echo "bench-client: $SESSIONS sessions, $MESSAGES messages of $LENGTH octets to $target" >&2
  flushes0="$(disk_flushes)" client0="$(cpu_ms "$CLIENT_PID")"
  [[ -z "$pid" ]] || cpu0="$(cpu_ms "$pid")"
  generate "$target" "$MESSAGES" "$name"
  [[ -z "$pid" ]] || cpu1="$(cpu_ms "$pid")"
  flushes1="$(disk_flushes)" client1="$(cpu_ms "$CLIENT_PID")"
  printf -v "${name}_cpu_ms" '%s' $((cpu1 - cpu0))
  printf -v "${name}_client_cpu_ms" '%s' $((client1 - client0))
  printf -v "${name}_flushes" '%s' $((flushes1 - flushes0))
}

# The generator: one process for the whole run, fed through two FIFOs (a coproc is taken by the idle
# connections below).
bench_client_start "$JAR:$REPO/src-test/target/test-classes" "$WORK" "$SESSIONS" "$LENGTH" \
  || die "bench-client did not warm itself up"

# The relay: fresh spool, loopback ports, connection limits raised for the idle-connection step, delivery
# held (delivery.paused) as Postfix's is (defer_transports), so both measure acceptance alone.
# Logging at WARN (STS_RELAY_LOG_LEVEL, read by the relay's logback.xml), and to a file.
SMTP_PORT="$(free_port)" METRICS_PORT="$(free_port)"
cat > "$WORK/relay.yaml" <<YAML
hostname: bench.relay.test
inbound:
  listen: ["127.0.0.1:$SMTP_PORT"]
  allowed-networks: ["127.0.0.0/8"]
  max-connections: $((IDLE_CONNECTIONS + 100))
  max-connections-per-ip: $((IDLE_CONNECTIONS + 100))
spool:
  directory: "$WORK/spool"
tlsrpt:
  directory: "$WORK/tlsrpt"
metrics:
  listen: "127.0.0.1:$METRICS_PORT"
delivery:
  paused: true
YAML
STS_RELAY_LOG_LEVEL=WARN relay_start RELAY_PID "$JAR" "$WORK/relay.yaml" "$WORK/relay.log" "$METRICS_PORT" \
  || die "the relay did not start"

RSS_IDLE="$(rss_kib "$RELAY_PID")"
if (( WARMUP > 0 )); then
  echo "bench-client: warm-up, $WARMUP messages to the relay" >&2
  generate "127.0.0.1:$SMTP_PORT" "$WARMUP" WARMUP
  relay_scrape "$METRICS_PORT"
fi
RELAY_SOURCE_RATE="$(source_run "127.0.0.1:$SMTP_PORT")"
curl -fs "http://127.0.0.1:$METRICS_PORT/metrics" > "$WORK/metrics-before.txt"
thread_cpu "$RELAY_PID" > "$WORK/threads.before"
[[ -z "$JFR" ]] || jfr_start "$RELAY_PID"
measure "127.0.0.1:$SMTP_PORT" RELAY "$RELAY_PID"
[[ -z "$JFR" ]] || { jfr_stop "$RELAY_PID" "$JFR"; echo "JFR recording of the relay's measured window: $JFR" >&2; }
thread_cpu "$RELAY_PID" > "$WORK/threads.after"
curl -fs "http://127.0.0.1:$METRICS_PORT/metrics" > "$WORK/metrics-after.txt"
RSS_LOADED="$(rss_kib "$RELAY_PID")"
eval "$(python3 "$BENCH_DIR/metrics-summary.py" "$WORK/metrics-before.txt" "$WORK/metrics-after.txt")"

# Paced runs: the same load at each rate, after the flat-out window (so they meet a relay as warm as it ends).
for rate in $PACED; do
  echo "bench-client: $MESSAGES messages to the relay at $rate per second" >&2
  generate "127.0.0.1:$SMTP_PORT" "$MESSAGES" "PACED_$rate" "$rate"
done

# Idle connections: opened, greeted, held while the relay's RSS is read.
coproc IDLE { exec python3 "$BENCH_DIR/idle-connections.py" 127.0.0.1 "$SMTP_PORT" "$IDLE_CONNECTIONS"; }
read -r -t 120 _ opened <&"${IDLE[0]}" || die "the idle connections were not all greeted"
RSS_CONNECTIONS="$(rss_kib "$RELAY_PID")"
eval "exec ${IDLE[1]}>&-"
wait "$IDLE_PID" 2>/dev/null || true
IDLE_PID=""

if $POSTFIX_BASELINE; then
  # A private instance as in /work/shared/notes/postfix-test-instance.md; mail stays in its
  # queue (defer_transports = smtp), so only the accept path, with Postfix's own fsyncs, is timed.
  PF="$WORK/postfix" PF_PORT="$(free_port)" UNREACHABLE="$(free_port)"
  mkdir -p "$PF/etc" "$PF/queue" "$PF/data" && chown postfix "$PF/data" && chmod 755 "$WORK" "$PF"
  { postfix_main_cf_base "$PF"; cat <<CF
relayhost = [127.0.0.1]:$UNREACHABLE
defer_transports = smtp
CF
  } > "$PF/etc/main.cf"
  postfix_master_cf "$PF_PORT" > "$PF/etc/master.cf"
  POSTFIX_ETC="$PF/etc"
  postfix_start "$POSTFIX_ETC" "$PF_PORT" || die "private Postfix did not start"
  POSTFIX_SOURCE_RATE="$(source_run "127.0.0.1:$PF_PORT")"
  measure "127.0.0.1:$PF_PORT" POSTFIX
  POSTFIX_QUEUED="$(find "$PF/queue/incoming" "$PF/queue/active" "$PF/queue/deferred" -type f | wc -l)"
fi

# --- the table -------------------------------------------------------------------------------
printf '\nsts-relay accept benchmark (%s sessions, a connection per message, %s octets, fsync on)\n' "$SESSIONS" "$LENGTH"
printf '%-52s %s\n' "jar" "$JAR"
printf '%-52s %s\n' "cpus" "$(nproc)"
printf '%-52s %s\n' "JAVA_OPTS" "${JAVA_OPTS:-(none)}"
printf '%-52s %s\n' "warm-up messages (bench-client, not measured)" "$WARMUP"
COLUMNS_SHOWN=(RELAY)
$POSTFIX_BASELINE && COLUMNS_SHOWN+=(POSTFIX)
printf '\n%-52s %14s' "$MESSAGES messages per generator" "sts-relay"
$POSTFIX_BASELINE && printf ' %14s %10s' "postfix 3.7" "relay/pf"
printf '\n'
row() {  # label, then one value per column shown
  local label="$1"; shift
  printf '%-52s' "$label"
  for value in "$@"; do printf ' %14s' "$value"; done
  printf '\n'
}
cells() {  # a variable suffix: its value for each column shown
  local name out=()
  for column in "${COLUMNS_SHOWN[@]}"; do name="${column}_$1"; out+=("${!name:--}"); done
  echo "${out[@]}"
}
ratio_cell() { $POSTFIX_BASELINE && ratio "$1" "$2" || true; }
# shellcheck disable=SC2046 # cells prints one word per column
row "messages/s, smtp-source (client wall clock)" $(cells SOURCE_RATE) $(ratio_cell "$RELAY_SOURCE_RATE" "${POSTFIX_SOURCE_RATE:-0}")
# shellcheck disable=SC2046
row "messages/s, bench-client (client wall clock)" $(cells rate) $(ratio_cell "$RELAY_rate" "${POSTFIX_rate:-0}")
# shellcheck disable=SC2046
row "connect to 250, p50 ms (bench-client)" $(cells p50_ms)
# shellcheck disable=SC2046
row "connect to 250, p99 ms (bench-client)" $(cells p99_ms)
# shellcheck disable=SC2046
row "connect to 250, max ms (bench-client)" $(cells max_ms)
# shellcheck disable=SC2046
row "final dot to 250, p50 ms (bench-client)" $(cells data_p50_ms)
# shellcheck disable=SC2046
row "final dot to 250, p99 ms (bench-client)" $(cells data_p99_ms)
RELAY_cpu_per="$(per "$RELAY_cpu_ms" "$MESSAGES" 3)"
row "relay CPU per message, ms (user + system)" "$RELAY_cpu_per"
for column in "${COLUMNS_SHOWN[@]}"; do
  flushes="${column}_flushes" client="${column}_client_cpu_ms"
  printf -v "${column}_flushes_per" '%s' "$(per "${!flushes}" "$MESSAGES" 3)"
  printf -v "${column}_client_per" '%s' "$(per "${!client}" "$MESSAGES" 3)"
done
# shellcheck disable=SC2046
row "disk flushes per message (whole machine)" $(cells flushes_per)
# shellcheck disable=SC2046
row "generator CPU per message, ms (bench-client)" $(cells client_per)
row "relay fsyncs per message (its own counter)" "$fsyncs_per_message"
row "relay: end of DATA to 250, p50 / p99 ms (buckets)" "$reply_p50_ms/$reply_p99_ms"
row "relay: spool commit, p50 / p99 ms (buckets)" "$commit_p50_ms/$commit_p99_ms"
row "relay: messages committed in the window" "$committed"
$POSTFIX_BASELINE && row "postfix: messages in its queue (both generators)" - "$POSTFIX_QUEUED"
printf '%-52s %s MiB\n' "relay RSS after start" "$((RSS_IDLE / 1024))"
printf '%-52s %s MiB\n' "relay RSS after the load" "$((RSS_LOADED / 1024))"
printf '%-52s %s MiB\n' "relay RSS with $opened idle SMTP connections" "$((RSS_CONNECTIONS / 1024))"
echo "relay CPU by thread over its measured window:"
thread_cpu_delta "$WORK/threads.before" "$WORK/threads.after" "$MESSAGES"
if [[ -n "$PACED" ]]; then
  printf '\nthe relay paced (%s messages per rate, %s sessions; latency from when each message was due, ms)\n' \
    "$MESSAGES" "$SESSIONS"
  printf '%-14s %10s %8s %8s %8s %14s\n' "offered msg/s" "achieved" "p50" "p99" "max" "dot-250 p99"
  for rate in $PACED; do
    fields=(rate p50_ms p99_ms max_ms data_p99_ms) values=()
    for field in "${fields[@]}"; do name="PACED_${rate}_$field"; values+=("${!name}"); done
    printf '%-14s %10s %8s %8s %8s %14s\n' "$rate" "${values[@]}"
  done
fi
