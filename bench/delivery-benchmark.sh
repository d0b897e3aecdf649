#!/usr/bin/env bash
# End-to-end delivery throughput: 10 KiB messages from 32 smtp-source sessions, relayed over verified
# TLS to local TLS sink MXs, counted at the sink (zero loss: received == sent, checked per phase):
#   sts-relay, MTA-STS: to bench.test, MTA-STS policy "mode: enforce", certificate verified by PKIX;
#   sts-relay, DANE:    to dane.test, no MTA-STS policy, a DNSSEC-signed "3 1 1" TLSA record of its MX's
#                       key, so DANE alone authenticates (RFC 7672 §3.1.1);
#   Postfix 3.7 relaying with smtp_tls_security_level = secure to the MTA-STS sink, in the same run.
# Prints each throughput and the ratio DANE / MTA-STS.
#
# Fairness: the two relay phases use one relay process. Both warm-ups run first (the same number of
# messages to each domain), each ending with a /metrics scrape (relay_scrape in probes.sh, as in service), so
# each path's code, policy cache, DNS cache and connections are warm before anything is measured. The JVM still
# gets faster during the measured load (a short warm-up leaves the JIT compiling), so whichever phase ran first
# would look slower: on two shared cores, 5,000 messages after
# 1,000-message warm-ups measured 1.37 DANE/MTA-STS with MTA-STS first and 1.05 with DANE first. So each
# relay phase is measured in four quarters, in the order MTA-STS, DANE, DANE, MTA-STS, MTA-STS, DANE, DANE,
# MTA-STS: both phases sit at the same mean position, which cancels a steady drift, and the first quarter
# (the slowest, when the warm-up was short) is a quarter of its phase. A phase's rate is its messages over
# the sum of its quarters' durations; the per-segment row shows the drift.
#
# DNS: every answer of the sink's DNS is DNSSEC-signed with a TTL of 300 s (the tests' world uses TTL 0),
# so both phases make the same secure lookups (MX, A, AAAA, TLSA; bench.test's TLSA is a signed denial)
# and the relay serves them from its validated-answer cache, as it would in production. The MTA-STS path
# also resolves its MX host's address by the relay's plain lookup, which the relay does not cache: one
# query per message at the world. The "DNS queries at the world" row shows both.
#
# Builds nothing: needs relay/target/sts-relay.jar and the compiled test classes of policy-cache and
# src-test (`mvn -B -q package -DskipTests` in the repository root leaves all three). Needs Debian's
# postfix package (smtp-source; root for the private Postfix instance), python3 and curl. Everything
# listens on 127.0.0.0/8; all state lives in one temporary directory removed on exit.
#
# Usage: [JAVA_OPTS=...] bench/delivery-benchmark.sh [--jar PATH] [--messages N] [--warmup N]
#          [--policy mta-sts|dane|both] [--no-postfix] [--no-relay] [--jfr FILE]
# --policy chooses the relay phases (default both); --warmup is per phase (0: a cold start); --jfr records
# a JFR profile of the relay over the measured phases (after the warm-ups) into FILE (bench/jfr-top.py
# prints its top frames).
#
# The sink (org.stsrelay.world.BenchSink, in src-test) is a world of its own: a DNS server for the relay,
# the policy host serving bench.test's "mode: enforce", and the two sink MXs (mx.bench.test on
# 127.0.0.20, mx.dane.test on 127.0.0.21) with certificates from a test CA that both the relay
# (tls.extra-ca-file) and Postfix (smtp_tls_CAfile) trust. It records each message's receive time and the
# time in the top Received: header (the relay's or Postfix's acceptance, one-second resolution), and
# counts TCP connections, TLS handshakes and the DNS queries it answered.
#
# Reports per phase: messages/s (first smtp-source byte to last message at the sink), p50/p99 time in
# queue (sink receive time minus the Received: time of acceptance; the header has whole seconds, so each
# value is over-stated by up to 1 s: compare the columns, not the absolute values), connections and
# TLS handshakes (resumed ones apart) at the sink, DNS queries the world answered, DNSSEC-aware
# answers the relay used (sts_relay_dns_dnssec_answers_total) and the TLS sessions it counted as
# successes under an MTA-STS policy and under DANE (sts_relay_delivery_tls_results_total, policy_type
# sts and tlsa) during the phase; the relay's CPU time per message (user + system, /proc/<pid>/stat over
# the phase's segments) and the disk flushes per message (/sys/block/*/stat, the whole machine: in the
# Postfix phase, Postfix's), and the sink's CPU time per message.
set -euo pipefail

readonly SESSIONS=32 LENGTH=10240
MESSAGES=20000
WARMUP=2000
POLICY=both
POSTFIX=true
RELAY=true
JFR=""
readonly BENCH_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
# shellcheck source=bench/probes.sh
source "$BENCH_DIR/probes.sh"
# shellcheck source=bench/postfix.sh
source "$BENCH_DIR/postfix.sh"
# shellcheck source=bench/sink.sh
source "$BENCH_DIR/sink.sh"
readonly REPO="$(cd "$BENCH_DIR/.." && pwd)"
JAR="$REPO/relay/target/sts-relay.jar"

while [[ $# -gt 0 ]]; do
  case "$1" in
    --jar) JAR="$2"; shift 2 ;;
    --messages) MESSAGES="$2"; shift 2 ;;
    --warmup) WARMUP="$2"; shift 2 ;;
    --policy) POLICY="$2"; shift 2 ;;
    --no-postfix) POSTFIX=false; shift ;;
    --no-relay) RELAY=false; shift ;;  # the Postfix side alone, e.g. before delivery exists
    --jfr) JFR="$(realpath -m "$2")"; shift 2 ;;
    -h|--help) sed -n '2,53p' "$0"; exit 0 ;;
    *) echo "unknown argument: $1 (see --help)" >&2; exit 2 ;;
  esac
done

die() { echo "delivery-benchmark: $*" >&2; exit 1; }
case "$POLICY" in
  both) PHASES=(mta-sts dane) ;;
  mta-sts|dane) PHASES=("$POLICY") ;;
  *) die "--policy takes mta-sts, dane or both, not '$POLICY'" ;;
esac
$RELAY || PHASES=()
[[ "$MESSAGES" =~ ^[0-9]+$ && "$WARMUP" =~ ^[0-9]+$ ]] || die "--messages and --warmup take a number of messages"
(( MESSAGES >= 4 )) || die "--messages must be at least 4 (the relay phases are measured in quarters)"
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
SINK_DIR="$WORK/sink"
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

now() { date +%s.%N; }

# --- the sink world --------------------------------------------------------------------------
sink_start "$JAR:$REPO/policy-cache/target/test-classes:$REPO/src-test/target/test-classes" "$WORK/sink.log" \
  || die "the sink did not start"
# shellcheck disable=SC1091 # written by BenchSink: DELIVERY_PORT, MX_ADDRESS, MX_NAME, CA_FILE, *_DOMAIN
source "$WORK/sink/world.env"
declare -A DOMAIN=([mta-sts]="$MTA_STS_DOMAIN" [dane]="$DANE_DOMAIN" [postfix]="$MTA_STS_DOMAIN")

# One measured run: smtp-source into $1 (host:port) for rcpt@$4, wait for the sink; prints "start end".
run_load() {
  local target="$1" label="$2" count="$3" domain="$4" before
  before="$(sink_received)"
  local start end
  start="$(now)"
  smtp-source -s "$SESSIONS" -m "$count" -l "$LENGTH" -f sender@client.test -t "rcpt@$domain" "$target" \
    || die "smtp-source against $label failed"
  await_sink $((before + count)) 60 || die "$label: the sink has $(( $(sink_received) - before )) of $count messages"
  end="$(now)"
  echo "$start $end"
}

# The sum of counter $1 over its series in the relay's /metrics whose labels contain $2 (default: all);
# 0 when absent or unreachable.
relay_counter() { relay_metric "$METRICS_PORT" "$@"; }

# The TLS sessions the relay counted as authenticated successes (TLS-RPT results): "<sts>/<tlsa>".
relay_sessions() {
  echo "$(relay_counter sts_relay_delivery_tls_results_total 'policy_type="sts",result="success"')/$(
    relay_counter sts_relay_delivery_tls_results_total 'policy_type="tlsa",result="success"')"
}

# Measures $3 messages of phase $1 (mta-sts, dane or postfix) against $2 (host:port) as one segment:
# appends its START END CONNECTIONS HANDSHAKES RESUMED DNS_QUERIES DNSSEC_ANSWERS STS_SESSIONS
# TLSA_SESSIONS CPU_MS FLUSHES SINK_CPU_MS TIMES_FILE to $WORK/$1.phase, TIMES_FILE holding the segment's lines of
# sink.times.
measure() {
  local phase="$1" target="$2" count="$3" start end answers0=0 answers1=0 sessions0=0/0 sessions1=0/0 segment
  local received0 conn0 hs0 res0 dns0 conn1 hs1 res1 dns1 cpu0=0 cpu1=0 flushes0 flushes1 sink0 sink1
  # sink.times has one line per message received, so the segment's lines follow the first $received0
  # (counting the file's lines could miss the previous load's last, not yet flushed, lines).
  read -r received0 conn0 hs0 res0 dns0 < <(sink_stats)
  [[ "$phase" == postfix ]] || answers0="$(relay_counter sts_relay_dns_dnssec_answers_total)"
  [[ "$phase" == postfix ]] || sessions0="$(relay_sessions)"
  [[ "$phase" == postfix ]] || cpu0="$(cpu_ms "$RELAY_PID")"
  flushes0="$(disk_flushes)" sink0="$(cpu_ms "$SINK_PID")"
  echo "$phase: smtp-source -s $SESSIONS -m $count -l $LENGTH -t rcpt@${DOMAIN[$phase]} $target" >&2
  read -r start end < <(run_load "$target" "$phase" "$count" "${DOMAIN[$phase]}")
  flushes1="$(disk_flushes)" sink1="$(cpu_ms "$SINK_PID")"
  [[ "$phase" == postfix ]] || cpu1="$(cpu_ms "$RELAY_PID")"
  read -r _ conn1 hs1 res1 dns1 < <(sink_stats)
  [[ "$phase" == postfix ]] || answers1="$(relay_counter sts_relay_dns_dnssec_answers_total)"
  [[ "$phase" == postfix ]] || sessions1="$(relay_sessions)"
  sleep 0.5  # the sink flushes sink.times every 200 ms
  segment="$WORK/$phase.$(wc -l < <(cat "$WORK/$phase.phase" 2>/dev/null)).times"
  tail -n +"$((received0 + 1))" "$WORK/sink/sink.times" | head -n "$count" > "$segment"
  echo "$start $end $((conn1 - conn0)) $((hs1 - hs0)) $((res1 - res0)) $((dns1 - dns0)) $((answers1 - answers0))" \
    "$((${sessions1%/*} - ${sessions0%/*})) $((${sessions1#*/} - ${sessions0#*/}))" \
    "$((cpu1 - cpu0)) $((flushes1 - flushes0)) $((sink1 - sink0))" "$segment" >> "$WORK/$phase.phase"
}

# --- sts-relay -------------------------------------------------------------------------------
if (( ${#PHASES[@]} > 0 )); then
SMTP_PORT="$(free_port)" METRICS_PORT="$(free_port)"
{
  relay_yaml_head bench.relay.test "$SMTP_PORT" "$METRICS_PORT" "$WORK"
  cat "$WORK/sink/world.yaml"
} > "$WORK/relay.yaml"
relay_start RELAY_PID "$JAR" "$WORK/relay.yaml" "$WORK/relay.log" "$METRICS_PORT" || die "the relay did not start"

# Every warm-up first, then the measured quarters in ABBAABBA order (see the header).
if (( WARMUP > 0 )); then
  for phase in "${PHASES[@]}"; do
    echo "sts-relay $phase: warm-up, $WARMUP messages to ${DOMAIN[$phase]}" >&2
    run_load "127.0.0.1:$SMTP_PORT" "sts-relay $phase" "$WARMUP" "${DOMAIN[$phase]}" > /dev/null
    relay_scrape "$METRICS_PORT"
  done
fi
[[ -z "$JFR" ]] || jfr_start "$RELAY_PID"
thread_cpu "$RELAY_PID" > "$WORK/threads.before"
if (( ${#PHASES[@]} == 2 )); then
  QUARTER=$((MESSAGES / 4)) QUARTERS_DONE=(0 0)
  for order in 0 1 1 0 0 1 1 0; do
    QUARTERS_DONE[order]=$((QUARTERS_DONE[order] + 1))
    count="$QUARTER"
    (( QUARTERS_DONE[order] < 4 )) || count=$((MESSAGES - 3 * QUARTER))  # the last quarter takes the rest
    measure "${PHASES[$order]}" "127.0.0.1:$SMTP_PORT" "$count"
  done
else
  measure "${PHASES[0]}" "127.0.0.1:$SMTP_PORT" "$MESSAGES"
fi
thread_cpu "$RELAY_PID" > "$WORK/threads.after"
{ echo "relay CPU by thread over the measured phases:"
  thread_cpu_delta "$WORK/threads.before" "$WORK/threads.after" $((MESSAGES * ${#PHASES[@]})); } > "$WORK/threads.txt"
[[ -z "$JFR" ]] || { jfr_stop "$RELAY_PID" "$JFR"; echo "JFR recording of the measured phases: $JFR" >&2; }
curl -fs "http://127.0.0.1:$METRICS_PORT/metrics" > "$WORK/relay-metrics.txt" || true
kill -9 "$RELAY_PID" 2>/dev/null || true
RELAY_PID=""
fi

# --- Postfix 3.7 as a relay to the same sink --------------------------------------------------
if $POSTFIX; then
  PF="$WORK/postfix" PF_PORT="$(free_port)"
  postfix_sink_instance "$PF" "$PF_PORT" "$MX_ADDRESS" "$DELIVERY_PORT" "$MX_NAME" "$CA_FILE"
  POSTFIX_ETC="$PF/etc"
  postfix_start "$POSTFIX_ETC" "$PF_PORT" || die "private Postfix did not start"
  if (( WARMUP > 0 )); then
    echo "postfix: warm-up, $WARMUP messages" >&2
    run_load "127.0.0.1:$PF_PORT" postfix "$WARMUP" "$MTA_STS_DOMAIN" > /dev/null \
      || { tail -n 20 "$PF/maillog" >&2; exit 1; }
  fi
  measure postfix "127.0.0.1:$PF_PORT" "$MESSAGES"
  P_VERIFIED="$(grep -c 'Verified TLS connection established' "$PF/maillog" || true)"
  P_SENT="$(grep -c 'status=sent' "$PF/maillog" || true)"
fi

# --- the table -------------------------------------------------------------------------------
# One column per phase: count, rate, p50, p99, over TLS, connections, handshakes, resumed, DNS, DNSSEC,
# the rate of each segment, sessions authenticated under MTA-STS / under DANE.
summary() {  # phase
  python3 - "$WORK/$1.phase" <<'PY'
import sys
segments = [line.split() for line in open(sys.argv[1]) if line.strip()]
rows, seconds, sums, rates = [], 0.0, [0] * 10, []
for start, end, *counts, times in segments:
    mine = [line.split("\t") for line in open(times) if line.strip()]
    last = max(int(r[0]) for r in mine) / 1000.0 if mine else float(end)
    seconds += last - float(start)
    rates.append(f"{len(mine) / (last - float(start)):.0f}")
    rows += mine
    sums = [total + int(c) for total, c in zip(sums, counts)]
count = len(rows)
tls = sum(1 for r in rows if r[2] != "none")
queue = sorted(int(r[0]) - int(r[1]) for r in rows if int(r[1]) > 0)
def pct(p):
    return queue[min(len(queue) - 1, int(p * len(queue)))] / 1000.0 if queue else float("nan")
conns, hs, res, dns, answers, sts, tlsa, cpu, flushes, sink = sums
print(f"{count}\t{count / seconds:.0f}\t{pct(0.50):.2f}\t{pct(0.99):.2f}\t{tls}\t{conns}\t{hs}\t{res}\t{dns}\t{answers}"
      f"\t{'/'.join(rates)}\t{sts} / {tlsa}\t{cpu / max(count, 1):.2f}\t{flushes / max(count, 1):.2f}\t{sink / max(count, 1):.2f}")
PY
}
COLUMNS_SHOWN=("${PHASES[@]}")
$POSTFIX && COLUMNS_SHOWN+=(postfix)
declare -A TITLE=([mta-sts]="relay MTA-STS" [dane]="relay DANE" [postfix]="postfix 3.7")
declare -A CELL
for phase in "${COLUMNS_SHOWN[@]}"; do
  IFS=$'\t' read -r -a values < <(summary "$phase")
  for i in "${!values[@]}"; do CELL[$phase,$i]="${values[$i]}"; done
done
CELL[postfix,8]=- CELL[postfix,9]=- CELL[postfix,11]=- CELL[postfix,12]=-  # Postfix: no DNS lookups here, no relay metrics
printf '\n%-48s' "$MESSAGES x 10 KiB, $SESSIONS sessions, verified TLS"
for phase in "${COLUMNS_SHOWN[@]}"; do printf ' %20s' "${TITLE[$phase]}"; done
printf '\n'
row() {  # label index
  printf '%-48s' "$1"
  for phase in "${COLUMNS_SHOWN[@]}"; do printf ' %20s' "${CELL[$phase,$2]}"; done
  printf '\n'
}
row "messages at the sink (sent $MESSAGES)" 0
row "  of which over TLS" 4
row "messages/s (smtp-source start -> last at sink)" 1
row "  per segment, in the order measured" 10
row "time in queue p50, s (+<=1 s, see --help)" 2
row "time in queue p99, s (+<=1 s, see --help)" 3
row "TCP connections at the sink" 5
row "TLS handshakes at the sink" 6
row "  of which resumed sessions" 7
row "DNS queries at the world" 8
row "DNSSEC-aware answers used by the relay" 9
row "TLS sessions authenticated: MTA-STS / DANE" 11
row "relay CPU per message, ms (user + system)" 12
row "disk flushes per message (whole machine)" 13
row "sink CPU per message, ms (TLS server, DNS)" 14
if [[ -n "${CELL[mta-sts,1]:-}" && -n "${CELL[dane,1]:-}" ]]; then
  python3 -c 'import sys; print(f"throughput DANE / MTA-STS: {int(sys.argv[2]) / int(sys.argv[1]):.2f}")' \
    "${CELL[mta-sts,1]}" "${CELL[dane,1]}"
fi
[[ -f "$WORK/threads.txt" ]] && cat "$WORK/threads.txt"
$POSTFIX && echo "postfix maillog (whole run incl. warm-up): status=sent $P_SENT, verified TLS connections $P_VERIFIED"
grep -E '^sts_relay_(delivery_(connections_(opened|reused)_total|attempts_total)|dns_dnssec_answers_total)' \
  "$WORK/relay-metrics.txt" 2>/dev/null | grep -v ' 0\.0$' | sed 's/^/relay metric (whole run incl. warm-ups): /' || true
for phase in "${COLUMNS_SHOWN[@]}"; do
  (( CELL[$phase,0] == MESSAGES )) || die "${TITLE[$phase]} lost messages: ${CELL[$phase,0]} of $MESSAGES at the sink"
done
