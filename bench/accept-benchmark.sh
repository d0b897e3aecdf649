#!/usr/bin/env bash
# Accept throughput and latency of sts-relay with fsync on (every 250 follows an fsync).
#
# Builds nothing: it runs the jar that `mvn -B -q package -DskipTests` (repository root) left in
# relay/target/sts-relay.jar, or the one given with --jar. Needs Debian's postfix package for
# smtp-source (and for --postfix-baseline, a private Postfix instance, which needs root),
# python3 and curl. Everything listens on 127.0.0.1 only; all state lives in one temporary
# directory that is removed on exit.
#
# Usage: [JAVA_OPTS="-Xmx..."] bench/accept-benchmark.sh [--jar PATH] [--warmup N] [--postfix-baseline]
#   --warmup N          messages sent first and not measured, so the JIT has compiled the hot
#                       path (default 5000; 0 measures a cold JVM)
#   --postfix-baseline  also run the same load against a private Postfix smtpd that queues
#                       the mail (defer_transports = smtp), for comparison
#
# Reports: messages/s (client-side wall clock of smtp-source), p50/p99 commit latency derived
# from the sts_relay_spool_commit_seconds histogram buckets, fsyncs per message, and the relay's
# RSS (VmRSS) after the load and while it holds 1,000 idle SMTP connections.
set -euo pipefail

readonly SESSIONS=32 MESSAGES=20000 LENGTH=10240 IDLE_CONNECTIONS=1000
WARMUP=5000
readonly BENCH_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
# shellcheck source=bench/postfix.sh
source "$BENCH_DIR/postfix.sh"
JAR="$BENCH_DIR/../relay/target/sts-relay.jar"
POSTFIX_BASELINE=false

while [[ $# -gt 0 ]]; do
  case "$1" in
    --jar) JAR="$2"; shift 2 ;;
    --postfix-baseline) POSTFIX_BASELINE=true; shift ;;
    --warmup) WARMUP="$2"; shift 2 ;;
    -h|--help) sed -n '2,20p' "$0"; exit 0 ;;
    *) echo "unknown argument: $1 (see --help)" >&2; exit 2 ;;
  esac
done

die() { echo "accept-benchmark: $*" >&2; exit 1; }
[[ -f "$JAR" ]] || die "no relay jar at $JAR: build it with 'mvn -B -q package -DskipTests' first (this script builds nothing)"
JAR="$(realpath "$JAR")"
command -v smtp-source >/dev/null || die "smtp-source not found: install Debian's postfix package"
command -v python3 >/dev/null || die "python3 not found"
command -v curl >/dev/null || die "curl not found"

WORK="$(mktemp -d /tmp/sts-relay-bench.XXXXXX)"
RELAY_PID="" IDLE_PID="" POSTFIX_ETC=""
cleanup() {
  # only what this script started, by PID or by its own instance directory
  [[ -n "$IDLE_PID" ]] && kill "$IDLE_PID" 2>/dev/null || true
  [[ -n "$RELAY_PID" ]] && kill -9 "$RELAY_PID" 2>/dev/null || true
  [[ -n "$POSTFIX_ETC" ]] && postfix -c "$POSTFIX_ETC" stop >/dev/null 2>&1 || true
  rm -rf "$WORK"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
now() { date +%s.%N; }
rate() { python3 -c "import sys; print(f'{int(sys.argv[1]) / (float(sys.argv[3]) - float(sys.argv[2])):.0f}')" "$@"; }
seconds() { python3 -c "import sys; print(f'{float(sys.argv[2]) - float(sys.argv[1]):.2f}')" "$@"; }
rss_kib() { awk '/^VmRSS:/ {print $2}' "/proc/$1/status"; }

# The relay: fresh spool, loopback ports, connection limits raised for the idle-connection step.
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
metrics:
  listen: "127.0.0.1:$METRICS_PORT"
YAML
# shellcheck disable=SC2086 # JAVA_OPTS is a list of JVM flags, split on purpose
STS_RELAY_LOG_LEVEL=WARN java ${JAVA_OPTS:-} -jar "$JAR" run --config "$WORK/relay.yaml" > "$WORK/relay.log" 2>&1 &
RELAY_PID=$!
disown "$RELAY_PID"  # the trap kills it; bash need not report that
for _ in $(seq 1 400); do
  curl -fs "http://127.0.0.1:$METRICS_PORT/readyz" >/dev/null 2>&1 && break
  kill -0 "$RELAY_PID" 2>/dev/null || { tail -n 30 "$WORK/relay.log" >&2; die "relay exited during start-up"; }
  sleep 0.1
done
curl -fs "http://127.0.0.1:$METRICS_PORT/readyz" >/dev/null || { tail -n 30 "$WORK/relay.log" >&2; die "relay not ready within 40 s"; }

RSS_IDLE="$(rss_kib "$RELAY_PID")"
SOURCE=(smtp-source -s "$SESSIONS" -m "$MESSAGES" -l "$LENGTH" -f bench@example.test -t rcpt@example.test)
if (( WARMUP > 0 )); then
  smtp-source -s "$SESSIONS" -m "$WARMUP" -l "$LENGTH" -f bench@example.test -t rcpt@example.test \
    "127.0.0.1:$SMTP_PORT" || die "warm-up against the relay failed"
fi
curl -fs "http://127.0.0.1:$METRICS_PORT/metrics" > "$WORK/metrics-before.txt"
echo "relay:   ${SOURCE[*]} 127.0.0.1:$SMTP_PORT" >&2
START="$(now)"
"${SOURCE[@]}" "127.0.0.1:$SMTP_PORT" || { tail -n 30 "$WORK/relay.log" >&2; die "smtp-source against the relay failed"; }
END="$(now)"
curl -fs "http://127.0.0.1:$METRICS_PORT/metrics" > "$WORK/metrics-after.txt"
RSS_LOADED="$(rss_kib "$RELAY_PID")"
eval "$(python3 "$BENCH_DIR/metrics-summary.py" "$WORK/metrics-before.txt" "$WORK/metrics-after.txt")"

# Idle connections: opened, greeted, held while the relay's RSS is read.
coproc IDLE { exec python3 "$BENCH_DIR/idle-connections.py" 127.0.0.1 "$SMTP_PORT" "$IDLE_CONNECTIONS"; }
read -r -t 120 _ opened <&"${IDLE[0]}" || die "the idle connections were not all greeted"
RSS_CONNECTIONS="$(rss_kib "$RELAY_PID")"
eval "exec ${IDLE[1]}>&-"
wait "$IDLE_PID" 2>/dev/null || true
IDLE_PID=""

POSTFIX_RATE="" POSTFIX_TIME="" POSTFIX_QUEUED=""
if $POSTFIX_BASELINE; then
  # A private instance as in /work/shared/notes/postfix-test-instance.md; mail stays in its
  # queue (defer_transports = smtp), so only the accept path, with Postfix's own fsyncs, is timed.
  command -v postfix >/dev/null || die "--postfix-baseline needs Debian's postfix package"
  [[ "$(id -u)" == 0 ]] || die "--postfix-baseline needs root for a private Postfix instance"
  PF="$WORK/postfix" PF_PORT="$(free_port)" UNREACHABLE="$(free_port)"
  mkdir -p "$PF/etc" "$PF/queue" "$PF/data" && chown postfix "$PF/data" && chmod 755 "$WORK" "$PF"
  cat > "$PF/etc/main.cf" <<CF
compatibility_level = 3.6
queue_directory = $PF/queue
data_directory = $PF/data
mail_owner = postfix
setgid_group = postdrop
maillog_file = $PF/maillog
maillog_file_prefixes = $PF
inet_interfaces = 127.0.0.1
inet_protocols = ipv4
myhostname = postfix.bench.test
mydestination =
alias_maps =
alias_database =
mynetworks = 127.0.0.0/8
relayhost = [127.0.0.1]:$UNREACHABLE
defer_transports = smtp
message_size_limit = 60000000
CF
  postfix_master_cf "$PF_PORT" > "$PF/etc/master.cf"
  POSTFIX_ETC="$PF/etc"
  postfix_start "$POSTFIX_ETC" "$PF_PORT" || die "private Postfix did not start"
  echo "postfix: ${SOURCE[*]} 127.0.0.1:$PF_PORT" >&2
  PF_START="$(now)"
  "${SOURCE[@]}" "127.0.0.1:$PF_PORT" || die "smtp-source against Postfix failed"
  PF_END="$(now)"
  POSTFIX_RATE="$(rate "$MESSAGES" "$PF_START" "$PF_END")"
  POSTFIX_TIME="$(seconds "$PF_START" "$PF_END")"
  POSTFIX_QUEUED="$(find "$PF/queue/incoming" "$PF/queue/active" "$PF/queue/deferred" -type f | wc -l)"
fi

printf '\nsts-relay accept benchmark (%s sessions, %s messages of %s payload bytes, fsync on)\n' \
  "$SESSIONS" "$MESSAGES" "$LENGTH"
printf '%-46s %s\n' "jar" "$JAR"
printf '%-46s %s\n' "cpus" "$(nproc)"
printf '%-46s %s s\n' "smtp-source wall time" "$(seconds "$START" "$END")"
printf '%-46s %s\n' "messages/s (client wall clock)" "$(rate "$MESSAGES" "$START" "$END")"
printf '%-46s %s\n' "messages committed (metrics)" "$committed"
printf '%-46s %s\n' "JAVA_OPTS" "${JAVA_OPTS:-(none)}"
printf '%-46s %s\n' "warm-up messages (not measured)" "$WARMUP"
printf '%-46s %s ms\n' "end of DATA to 250, p50 (bucket-derived)" "$reply_p50_ms"
printf '%-46s %s ms\n' "end of DATA to 250, p99 (bucket-derived)" "$reply_p99_ms"
printf '%-46s %s ms\n' "commit latency p50 (bucket-derived)" "$commit_p50_ms"
printf '%-46s %s ms\n' "commit latency p99 (bucket-derived)" "$commit_p99_ms"
printf '%-46s %s (%s fsyncs, %s buckets)\n' "fsyncs per message" "$fsyncs_per_message" "$fsyncs" "$commit_buckets"
printf '%-46s %s MiB\n' "relay RSS after start" "$((RSS_IDLE / 1024))"
printf '%-46s %s MiB\n' "relay RSS after the load" "$((RSS_LOADED / 1024))"
printf '%-46s %s MiB\n' "relay RSS with $opened idle SMTP connections" "$((RSS_CONNECTIONS / 1024))"
if $POSTFIX_BASELINE; then
  printf '%-46s %s s\n' "postfix 3.7 smtpd: smtp-source wall time" "$POSTFIX_TIME"
  printf '%-46s %s\n' "postfix 3.7 smtpd: messages/s" "$POSTFIX_RATE"
  printf '%-46s %s\n' "postfix 3.7: messages in its queue" "$POSTFIX_QUEUED"
fi
