#!/usr/bin/env bash
# End-to-end delivery throughput: 10 KiB messages from 32 smtp-source sessions, relayed over verified
# TLS under an MTA-STS enforce policy to one local TLS sink MX, counted at the sink (zero loss:
# received == sent), and the same load through Postfix 3.7 relaying with
# smtp_tls_security_level = secure to the same sink, in the same run.
#
# Builds nothing: needs relay/target/sts-relay.jar and the compiled test classes of policy-cache and
# src-test (`mvn -B -q package -DskipTests` in the repository root leaves all three). Needs Debian's
# postfix package (smtp-source; root for the private Postfix instance), python3 and curl. Everything
# listens on 127.0.0.0/8; all state lives in one temporary directory removed on exit.
#
# Usage: [JAVA_OPTS=...] bench/delivery-benchmark.sh [--jar PATH] [--messages N] [--warmup N] [--no-postfix] [--no-relay]
#
# The sink (org.stsrelay.world.BenchSink, in src-test) is a world of its own: a DNS server for the relay
# (bench.test MX mx.bench.test), the policy host serving "mode: enforce", and the sink MX on 127.0.0.20
# with a certificate from a test CA that both the relay (tls.extra-ca-file) and Postfix (smtp_tls_CAfile)
# trust. It records each message's receive time and the time in the top Received: header (the relay's or
# Postfix's acceptance, one-second resolution), and counts TCP connections and TLS handshakes.
#
# Reports per system: messages/s (first smtp-source byte to last message at the sink), p50/p99 time in
# queue (sink receive time minus the Received: time of acceptance; the header has whole seconds, so each
# value is over-stated by up to 1 s: compare the two systems, not the absolute values), connections and
# TLS handshakes (resumed ones apart) at the sink.
set -euo pipefail

readonly SESSIONS=32 LENGTH=10240
MESSAGES=20000
WARMUP=2000
POSTFIX=true
RELAY=true
readonly BENCH_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
# shellcheck source=bench/postfix.sh
source "$BENCH_DIR/postfix.sh"
readonly REPO="$(cd "$BENCH_DIR/.." && pwd)"
JAR="$REPO/relay/target/sts-relay.jar"

while [[ $# -gt 0 ]]; do
  case "$1" in
    --jar) JAR="$2"; shift 2 ;;
    --messages) MESSAGES="$2"; shift 2 ;;
    --warmup) WARMUP="$2"; shift 2 ;;
    --no-postfix) POSTFIX=false; shift ;;
    --no-relay) RELAY=false; shift ;;  # the Postfix side alone, e.g. before delivery exists
    -h|--help) sed -n '2,25p' "$0"; exit 0 ;;
    *) echo "unknown argument: $1 (see --help)" >&2; exit 2 ;;
  esac
done

die() { echo "delivery-benchmark: $*" >&2; exit 1; }
[[ -f "$JAR" ]] || die "no relay jar at $JAR: run 'mvn -B -q package -DskipTests' first (this script builds nothing)"
JAR="$(realpath "$JAR")"
for classes in "$REPO/policy-cache/target/test-classes" "$REPO/src-test/target/test-classes"; do
  [[ -d "$classes" ]] || die "no $classes: run 'mvn -B -q package -DskipTests' first"
done
command -v smtp-source >/dev/null || die "smtp-source not found: install Debian's postfix package"
command -v python3 >/dev/null || die "python3 not found"
command -v curl >/dev/null || die "curl not found"
if $POSTFIX; then
  [[ "$(id -u)" == 0 ]] || die "the Postfix comparison needs root for a private instance (or --no-postfix)"
fi

WORK="$(mktemp -d /tmp/sts-relay-delivery-bench.XXXXXX)"
chmod 755 "$WORK"
SINK_PID="" RELAY_PID="" POSTFIX_ETC=""
cleanup() {
  # only what this script started: by PID, or Postfix by its own instance directory
  [[ -n "$RELAY_PID" ]] && kill -9 "$RELAY_PID" 2>/dev/null || true
  [[ -n "$SINK_PID" ]] && kill -9 "$SINK_PID" 2>/dev/null || true
  [[ -n "$POSTFIX_ETC" ]] && postfix -c "$POSTFIX_ETC" stop >/dev/null 2>&1 || true
  rm -rf "$WORK"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
now() { date +%s.%N; }
sink_stats() { cat "$WORK/sink/sink.stats" 2>/dev/null || echo "0 0 0 0"; }
sink_received() { read -r received _ < <(sink_stats); echo "$received"; }

# Waits until the sink has counted $1 messages; fails after $2 seconds without progress.
await_sink() {
  local target="$1" patience="$2" last=-1 still=0 count
  while true; do
    count="$(sink_received)"
    (( count >= target )) && return 0
    if (( count == last )); then
      still=$((still + 1))
      (( still > patience * 5 )) && return 1
    else
      still=0 last="$count"
    fi
    sleep 0.2
  done
}

# --- the sink world --------------------------------------------------------------------------
mkdir -p "$WORK/sink"
CLASSPATH_SINK="$JAR:$REPO/policy-cache/target/test-classes:$REPO/src-test/target/test-classes"
java -cp "$CLASSPATH_SINK" org.stsrelay.world.BenchSink "$WORK/sink" > "$WORK/sink.log" 2>&1 &
SINK_PID=$!
disown "$SINK_PID"
for _ in $(seq 1 200); do [[ -f "$WORK/sink/sink.stats" ]] && break; sleep 0.1; done
[[ -f "$WORK/sink/sink.stats" ]] || { cat "$WORK/sink.log" >&2; die "the sink did not start"; }
# shellcheck disable=SC1091 # written by BenchSink: DELIVERY_PORT, MX_ADDRESS, MX_NAME, CA_FILE
source "$WORK/sink/world.env"

# One measured run: smtp-source into $1 (host:port), wait for the sink; prints "start end" epoch seconds.
run_load() {
  local target="$1" label="$2" count="$3" before
  before="$(sink_received)"
  local start end
  start="$(now)"
  smtp-source -s "$SESSIONS" -m "$count" -l "$LENGTH" -f sender@client.test -t rcpt@bench.test "$target" \
    || die "smtp-source against $label failed"
  await_sink $((before + count)) 60 || die "$label: the sink has $(( $(sink_received) - before )) of $count messages"
  end="$(now)"
  echo "$start $end"
}

# --- sts-relay -------------------------------------------------------------------------------
if $RELAY; then
SMTP_PORT="$(free_port)" METRICS_PORT="$(free_port)"
{
  cat <<YAML
hostname: bench.relay.test
inbound:
  listen: ["127.0.0.1:$SMTP_PORT"]
  allowed-networks: ["127.0.0.0/8"]
spool:
  directory: "$WORK/spool"
metrics:
  listen: "127.0.0.1:$METRICS_PORT"
YAML
  cat "$WORK/sink/world.yaml"
} > "$WORK/relay.yaml"
# shellcheck disable=SC2086 # JAVA_OPTS is a list of JVM flags, split on purpose
STS_RELAY_LOG_LEVEL=WARN java ${JAVA_OPTS:-} -jar "$JAR" run --config "$WORK/relay.yaml" > "$WORK/relay.log" 2>&1 &
RELAY_PID=$!
disown "$RELAY_PID"
for _ in $(seq 1 400); do
  curl -fs "http://127.0.0.1:$METRICS_PORT/readyz" >/dev/null 2>&1 && break
  kill -0 "$RELAY_PID" 2>/dev/null || { tail -n 30 "$WORK/relay.log" >&2; die "relay exited during start-up"; }
  sleep 0.1
done
curl -fs "http://127.0.0.1:$METRICS_PORT/readyz" >/dev/null || die "relay not ready within 40 s"

if (( WARMUP > 0 )); then
  echo "sts-relay: warm-up, $WARMUP messages" >&2
  run_load "127.0.0.1:$SMTP_PORT" sts-relay "$WARMUP" > /dev/null
fi
read -r _ R_CONN0 R_HS0 R_RES0 < <(sink_stats)
R_LINE0="$(wc -l < "$WORK/sink/sink.times")"
echo "sts-relay: smtp-source -s $SESSIONS -m $MESSAGES -l $LENGTH 127.0.0.1:$SMTP_PORT" >&2
read -r R_START R_END < <(run_load "127.0.0.1:$SMTP_PORT" sts-relay "$MESSAGES")
read -r _ R_CONN1 R_HS1 R_RES1 < <(sink_stats)
sleep 0.5  # the sink flushes sink.times every 200 ms
tail -n +"$((R_LINE0 + 1))" "$WORK/sink/sink.times" | head -n "$MESSAGES" > "$WORK/relay.times"
curl -fs "http://127.0.0.1:$METRICS_PORT/metrics" > "$WORK/relay-metrics.txt" || true
kill -9 "$RELAY_PID" 2>/dev/null || true
RELAY_PID=""
fi

# --- Postfix 3.7 as a relay to the same sink --------------------------------------------------
if $POSTFIX; then
  PF="$WORK/postfix" PF_PORT="$(free_port)"
  mkdir -p "$PF/etc" "$PF/queue" "$PF/data" && chown postfix "$PF/data" && chmod 755 "$PF"
  chmod 644 "$CA_FILE"
  # The sink's name is not in any DNS Postfix uses, so the next hop is its address and the policy
  # table says which name the certificate must carry (match=), as a "secure" policy would for a
  # smarthost: verified chain to smtp_tls_CAfile and a matching name, or no delivery.
  echo "[$MX_ADDRESS]:$DELIVERY_PORT secure match=$MX_NAME" > "$PF/etc/tls_policy"
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
message_size_limit = 60000000
relayhost = [$MX_ADDRESS]:$DELIVERY_PORT
smtp_tls_security_level = secure
smtp_tls_CAfile = $CA_FILE
smtp_tls_secure_cert_match = $MX_NAME
smtp_tls_policy_maps = texthash:$PF/etc/tls_policy
smtp_tls_session_cache_database = btree:$PF/data/smtp_scache
smtp_tls_loglevel = 1
CF
  postfix_master_cf "$PF_PORT" > "$PF/etc/master.cf"
  POSTFIX_ETC="$PF/etc"
  postfix_start "$POSTFIX_ETC" "$PF_PORT" || die "private Postfix did not start"
  if (( WARMUP > 0 )); then
    echo "postfix: warm-up, $WARMUP messages" >&2
    run_load "127.0.0.1:$PF_PORT" postfix "$WARMUP" > /dev/null || { tail -n 20 "$PF/maillog" >&2; exit 1; }
  fi
  read -r _ P_CONN0 P_HS0 P_RES0 < <(sink_stats)
  P_LINE0="$(wc -l < "$WORK/sink/sink.times")"
  echo "postfix: smtp-source -s $SESSIONS -m $MESSAGES -l $LENGTH 127.0.0.1:$PF_PORT" >&2
  read -r P_START P_END < <(run_load "127.0.0.1:$PF_PORT" postfix "$MESSAGES")
  read -r _ P_CONN1 P_HS1 P_RES1 < <(sink_stats)
  sleep 0.5
  tail -n +"$((P_LINE0 + 1))" "$WORK/sink/sink.times" | head -n "$MESSAGES" > "$WORK/postfix.times"
  P_VERIFIED="$(grep -c 'Verified TLS connection established' "$PF/maillog" || true)"
  P_SENT="$(grep -c 'status=sent' "$PF/maillog" || true)"
fi

# --- the table -------------------------------------------------------------------------------
summary() {  # file start end connections handshakes resumed
  python3 - "$@" <<'PY'
import sys
path, start, end, conns, hs, res = sys.argv[1], float(sys.argv[2]), float(sys.argv[3]), *sys.argv[4:7]
rows = [line.split("\t") for line in open(path) if line.strip()]
count = len(rows)
last = max(int(r[0]) for r in rows) / 1000.0 if rows else end
tls = sum(1 for r in rows if r[2] != "none")
queue = sorted(int(r[0]) - int(r[1]) for r in rows if int(r[1]) > 0)
def pct(p):
    return queue[min(len(queue) - 1, int(p * len(queue)))] / 1000.0 if queue else float("nan")
print(f"{count}\t{count / (last - start):.0f}\t{pct(0.50):.2f}\t{pct(0.99):.2f}\t{tls}\t{conns}\t{hs}\t{res}")
PY
}
R_COUNT=- R_RATE=- R_P50=- R_P99=- R_TLS=- R_C=- R_H=- R_R=-
$RELAY && IFS=$'\t' read -r R_COUNT R_RATE R_P50 R_P99 R_TLS R_C R_H R_R < <(summary "$WORK/relay.times" "$R_START" "$R_END" \
  $((R_CONN1 - R_CONN0)) $((R_HS1 - R_HS0)) $((R_RES1 - R_RES0)))
printf '\n%-44s %14s' "$MESSAGES x 10 KiB, $SESSIONS sessions, verified TLS" "sts-relay"
$POSTFIX && printf ' %14s' "postfix 3.7"
printf '\n'
row() { printf '%-44s %14s' "$1" "$2"; $POSTFIX && printf ' %14s' "$3"; printf '\n'; }
if $POSTFIX; then
  IFS=$'\t' read -r P_COUNT P_RATE P_P50 P_P99 P_TLS P_C P_H P_R < <(summary "$WORK/postfix.times" "$P_START" \
    "$P_END" $((P_CONN1 - P_CONN0)) $((P_HS1 - P_HS0)) $((P_RES1 - P_RES0)))
fi
row "messages at the sink (sent $MESSAGES)" "$R_COUNT" "${P_COUNT:-}"
row "  of which over TLS" "$R_TLS" "${P_TLS:-}"
row "messages/s (smtp-source start -> last at sink)" "$R_RATE" "${P_RATE:-}"
row "time in queue p50, s (+<=1 s, see --help)" "$R_P50" "${P_P50:-}"
row "time in queue p99, s (+<=1 s, see --help)" "$R_P99" "${P_P99:-}"
row "TCP connections at the sink" "$R_C" "${P_C:-}"
row "TLS handshakes at the sink" "$R_H" "${P_H:-}"
row "  of which resumed sessions" "$R_R" "${P_R:-}"
$POSTFIX && echo "postfix maillog (whole run incl. warm-up): status=sent $P_SENT, verified TLS connections $P_VERIFIED"
grep -E '^sts_relay_delivery_(connections_(opened|reused)_total|attempts_total)' "$WORK/relay-metrics.txt" 2>/dev/null \
  | sed 's/^/relay metric (whole run incl. warm-up): /' || true
! $RELAY || (( R_COUNT == MESSAGES )) || die "sts-relay lost messages: $R_COUNT of $MESSAGES at the sink"
if $POSTFIX; then (( P_COUNT == MESSAGES )) || die "postfix lost messages: $P_COUNT of $MESSAGES at the sink"; fi
