#!/usr/bin/env bash
# Fleet mode (issue 13, the `cluster:` section) under load, with a private PostgreSQL as the fleet database, in one
# run:
#   1. delivery end to end: 10 KiB messages from 32 smtp-source sessions in total, relayed over verified TLS under
#      MTA-STS "mode: enforce" to the sink of bench/delivery-benchmark.sh (org.stsrelay.world.BenchSink), counted
#      at the sink, zero loss checked per segment:
#        A  one relay, node-1, with cluster on, takes all 32 sessions;
#        B  two relays, node-1 and node-2, both with cluster on and the same database, take 16 sessions each (two
#           smtp-source runs in parallel, the messages split evenly);
#        Postfix 3.7 relaying to the same sink with smtp_tls_security_level = secure, as in
#           delivery-benchmark.sh (--no-postfix leaves it out).
#      Prints messages/s of each and the ratio B / A (issue 13: a fleet of 2 on this machine delivers at least as
#      much as one node), the relays' CPU per message (summed over the relay processes), PostgreSQL's and the
#      sink's CPU per message and the disk flushes per message.
#   2. accept rate with cluster off and with cluster on, delivery held (delivery.paused) as in
#      bench/accept-benchmark.sh: bench-client's load (32 sessions, a connection per message) against two relays
#      that differ only in their cluster section; prints both rates and the ratio on / off (issue 13: at least
#      0.95), p99 latency and CPU per message.
#   3. the fleet database per 1,000 delivered messages, over each measured phase of 1.: commits
#      (pg_stat_database.xact_commit), statements (pg_stat_statements calls, user stsrelay), rows written
#      (pg_stat_user_tables n_tup_ins + n_tup_upd + n_tup_del, per table) and the top statements by calls; and
#      the same per second. Most of the fleet's database work is per time, not per message: each node beats a
#      heartbeat every 10 s and ships its TLS-RPT results every cluster.ship-interval (--ship-interval, default
#      10 s), one row per batch. So a figure per 1,000 messages falls as the rate rises, and two nodes beat
#      twice as often as one: compare the per-second figures too. The accept phase with cluster on (delivery
#      held) shows the background alone.
#
# Fairness. Both delivery relays run from the start to the end of part 1 (in phase A node-2 is idle: its
# heartbeat goes on, nothing else), each had its own warm-up of --warmup messages, and each has its own spool,
# TLS-RPT journal, ports and node name. The JVMs still get faster during the measured load, so each phase is
# measured in two halves, in the order A, B, B, A: both phases sit at the same mean position, which cancels a
# steady drift. A phase's rate is its messages over the sum of its halves' durations (first smtp-source byte to
# the last message at the sink); the per-segment row shows the drift. Each segment is followed by a quiet tail of
# ship-interval + 2 s, so that the TLS results of the segment's deliveries are shipped, and PostgreSQL's
# statistics flushed, inside the segment's database window; the database window is load + tail, and the tails'
# CPU and disk flushes are shown apart (they are the deferred work of the fleet: shipping, heartbeats). The two
# relays of phase B share the machine's cores with each other, the sink, PostgreSQL and smtp-source, so B cannot
# gain from more cores: the ratio B / A shows what coordination through the database costs, not scaling.
# The accept comparison works the same way: two relays started together (cluster off, cluster on against the
# same PostgreSQL, after part 1), the same bench-client process for both, a warm-up each, then halves in the
# order off, on, on, off.
#
# PostgreSQL is the real thing (bench/postgres.sh): fsync, synchronous_commit and full_page_writes at their
# defaults (on), password authentication on 127.0.0.1, a free port, its own temporary directory;
# pg_stat_statements loaded. Its commits are disk flushes too: they are in the "disk flushes" rows (whole
# machine, /sys/block/*/stat).
#
# Builds nothing: needs relay/target/sts-relay.jar and the compiled test classes of policy-cache and src-test
# (`mvn -B -q package -DskipTests` in the repository root leaves all three). Needs root (PostgreSQL runs as the
# postgres user, Postfix as a private instance), Debian's postgresql package (15 or later, with
# pg_stat_statements) and postfix package (smtp-source, and the Postfix phase), python3 and curl. Everything
# listens on 127.0.0.0/8; all state lives in one temporary directory removed on exit.
#
# Usage: [JAVA_OPTS=...] bench/fleet-benchmark.sh [--jar PATH] [--messages N] [--warmup N]
#          [--accept-messages N] [--accept-warmup N] [--no-postfix] [--no-accept] [--ship-interval SECONDS]
#          [--top N]
#   --messages N         messages per delivery phase (A, B, Postfix; default 20000)
#   --warmup N           messages each relay (and Postfix) gets first, not measured (default 2000; 0: cold)
#   --accept-messages N  messages per accept phase (cluster off, cluster on; default: --messages)
#   --accept-warmup N    bench-client messages each accept relay gets first (default 5000, as accept-benchmark.sh)
#   --no-postfix         leave out the Postfix delivery phase
#   --no-accept          leave out part 2
#   --ship-interval S    the relays' cluster.ship-interval in seconds (default 10, as the relay's default)
#   --top N              statements listed by calls (default 10)
set -euo pipefail

readonly SESSIONS=32 LENGTH=10240
MESSAGES=20000
WARMUP=2000
ACCEPT_MESSAGES=""
ACCEPT_WARMUP=5000
POSTFIX=true
ACCEPT=true
SHIP_INTERVAL=10
TOP=10
readonly BENCH_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
# shellcheck source=bench/probes.sh
source "$BENCH_DIR/probes.sh"
# shellcheck source=bench/postfix.sh
source "$BENCH_DIR/postfix.sh"
# shellcheck source=bench/sink.sh
source "$BENCH_DIR/sink.sh"
# shellcheck source=bench/client.sh
source "$BENCH_DIR/client.sh"
# shellcheck source=bench/postgres.sh
source "$BENCH_DIR/postgres.sh"
readonly REPO="$(cd "$BENCH_DIR/.." && pwd)"
JAR="$REPO/relay/target/sts-relay.jar"

while [[ $# -gt 0 ]]; do
  case "$1" in
    --jar) JAR="$2"; shift 2 ;;
    --messages) MESSAGES="$2"; shift 2 ;;
    --warmup) WARMUP="$2"; shift 2 ;;
    --accept-messages) ACCEPT_MESSAGES="$2"; shift 2 ;;
    --accept-warmup) ACCEPT_WARMUP="$2"; shift 2 ;;
    --no-postfix) POSTFIX=false; shift ;;
    --no-accept) ACCEPT=false; shift ;;
    --ship-interval) SHIP_INTERVAL="$2"; shift 2 ;;
    --top) TOP="$2"; shift 2 ;;
    -h|--help) sed -n '2,64p' "$0"; exit 0 ;;
    *) echo "unknown argument: $1 (see --help)" >&2; exit 2 ;;
  esac
done

die() { echo "fleet-benchmark: $*" >&2; exit 1; }
ACCEPT_MESSAGES="${ACCEPT_MESSAGES:-$MESSAGES}"
for number in "$MESSAGES" "$WARMUP" "$ACCEPT_MESSAGES" "$ACCEPT_WARMUP" "$SHIP_INTERVAL" "$TOP"; do
  [[ "$number" =~ ^[0-9]+$ ]] || die "--messages, --warmup, --accept-*, --ship-interval and --top take a number"
done
(( MESSAGES >= 4 && ACCEPT_MESSAGES >= 2 )) || die "--messages must be at least 4 and --accept-messages at least 2 (measured in halves)"
(( SHIP_INTERVAL >= 1 && SHIP_INTERVAL <= 300 )) || die "--ship-interval takes 1 to 300 seconds (cluster.ship-interval)"
[[ -f "$JAR" ]] || die "no relay jar at $JAR: run 'mvn -B -q package -DskipTests' first (this script builds nothing)"
JAR="$(realpath "$JAR")"
for classes in "$REPO/policy-cache/target/test-classes" "$REPO/src-test/target/test-classes"; do
  [[ -d "$classes" ]] || die "no $classes: run 'mvn -B -q package -DskipTests' first"
done
[[ "$(id -u)" == 0 ]] || die "needs root: PostgreSQL runs as the postgres user, Postfix as a private instance"
command -v smtp-source >/dev/null || die "smtp-source not found: install Debian's postfix package"
ls /usr/lib/postgresql/*/lib/pg_stat_statements.so >/dev/null 2>&1 \
  || die "PostgreSQL with pg_stat_statements not found: install Debian's postgresql package"
command -v python3 >/dev/null || die "python3 not found"
command -v curl >/dev/null || die "curl not found"

WORK="$(mktemp -d /tmp/sts-relay-fleet-bench.XXXXXX)"
SINK_DIR="$WORK/sink"
chmod 755 "$WORK"
SINK_PID="" CLIENT_PID="" POSTFIX_ETC="" NODE1_PID="" NODE2_PID="" OFF_PID="" ON_PID=""
cleanup() {
  # only what this script started: by PID, Postfix and PostgreSQL by their own stop commands
  local pid
  for pid in "$NODE1_PID" "$NODE2_PID" "$OFF_PID" "$ON_PID" "$CLIENT_PID" "$SINK_PID"; do
    [[ -n "$pid" ]] && kill -9 "$pid" 2>/dev/null || true
  done
  [[ -n "$POSTFIX_ETC" ]] && postfix -c "$POSTFIX_ETC" stop >/dev/null 2>&1 || true
  pg_stop
  rm -rf "$WORK"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

now() { date +%s.%N; }
readonly TAIL=$((SHIP_INTERVAL + 2))
readonly HALF=$((MESSAGES / 2)) ACCEPT_HALF=$((ACCEPT_MESSAGES / 2))

# --- the fleet database and the world ----------------------------------------------------------
echo "PostgreSQL: a private server in $WORK/postgres" >&2
pg_start "$WORK/postgres" || die "PostgreSQL did not start"
PG_VERSION="$(pg_sql stsrelay -qAt -c 'SHOW server_version')"
PG_DURABILITY="$(pg_sql stsrelay -qAt -F ' ' -c "SELECT string_agg(name || '=' || setting, ', ' ORDER BY name)
  FROM pg_settings WHERE name IN ('fsync', 'synchronous_commit', 'full_page_writes', 'wal_sync_method')")"

sink_start "$JAR:$REPO/policy-cache/target/test-classes:$REPO/src-test/target/test-classes" "$WORK/sink.log" \
  || die "the sink did not start"
# shellcheck disable=SC1091 # written by BenchSink: DELIVERY_PORT, MX_ADDRESS, MX_NAME, CA_FILE, *_DOMAIN
source "$SINK_DIR/world.env"

# A relay's configuration: relay_config DIR NODE PAUSED SMTP_PORT METRICS_PORT writes DIR/relay.yaml, its spool
# and journal under DIR; NODE is its cluster.node-name, or "-" for no cluster section; PAUSED true holds delivery
# (the accept phases, without the world), false delivers into the world.
relay_config() {
  local dir="$1" node="$2" paused="$3" hostname="$2.relay.test"
  [[ "$node" != - ]] || hostname=single.relay.test
  mkdir -p "$dir"
  {
    relay_yaml_head "$hostname" "$4" "$5" "$dir"
    if $paused; then
      printf 'delivery:\n  paused: true\n'
    else
      cat "$SINK_DIR/world.yaml"
    fi
    [[ "$node" == - ]] || cat <<YAML
cluster:
  database: "jdbc:postgresql://127.0.0.1:$PG_PORT/stsrelay"
  user: stsrelay
  password-file: "$PG_DIR/password"
  node-name: $node
  ship-interval: ${SHIP_INTERVAL}s
YAML
  } > "$dir/relay.yaml"
}

# --- 1. delivery: one node, two nodes, Postfix ------------------------------------------------
NODE1_SMTP="$(free_port)" NODE1_METRICS="$(free_port)" NODE2_SMTP="$(free_port)" NODE2_METRICS="$(free_port)"
relay_config "$WORK/node-1" node-1 false "$NODE1_SMTP" "$NODE1_METRICS"
relay_config "$WORK/node-2" node-2 false "$NODE2_SMTP" "$NODE2_METRICS"
relay_start NODE1_PID "$JAR" "$WORK/node-1/relay.yaml" "$WORK/node-1/relay.log" "$NODE1_METRICS" \
  || die "node-1 did not start"
relay_start NODE2_PID "$JAR" "$WORK/node-2/relay.yaml" "$WORK/node-2/relay.log" "$NODE2_METRICS" \
  || die "node-2 did not start"

relays_cpu() { echo $(( $(cpu_ms "$NODE1_PID") + $(cpu_ms "$NODE2_PID") )); }
# Messages the relays delivered under an MTA-STS policy in enforce mode (their metrics, summed).
relays_enforced() {
  echo $(( $(relay_metric "$NODE1_METRICS" sts_relay_delivery_attempts_total 'mode="enforce",outcome="delivered"')
    + $(relay_metric "$NODE2_METRICS" sts_relay_delivery_attempts_total 'mode="enforce",outcome="delivered"') ))
}

# Sends $1 messages to bench.test split evenly over the targets that follow (host:port), $SESSIONS sessions
# split evenly too, all smtp-source runs at once, and waits until the sink has them all.
run_split() {
  local count="$1" before target i=0 pids=() share sessions
  shift
  before="$(sink_received)"
  sessions=$((SESSIONS / $#))
  for target in "$@"; do
    share=$((count / $# + (i < count % $# ? 1 : 0)))
    i=$((i + 1))
    echo "  smtp-source -s $sessions -m $share -l $LENGTH -t rcpt@$MTA_STS_DOMAIN $target" >&2
    smtp-source -s "$sessions" -m "$share" -l "$LENGTH" -f sender@client.test -t "rcpt@$MTA_STS_DOMAIN" "$target" &
    pids+=($!)
  done
  for i in "${pids[@]}"; do wait "$i" || die "smtp-source failed"; done
  await_sink $((before + count)) 60 || die "the sink has $(( $(sink_received) - before )) of $count messages"
}

# One measured segment of phase $1 (a, b or postfix): $2 messages split over the targets that follow, then (relay
# phases) the quiet tail and a database snapshot. Appends to $WORK/$1.phase: START LAST_AT_SINK MESSAGES
# RECEIVED RELAY_CPU_MS RELAY_TAIL_CPU_MS PG_CPU_MS FLUSHES TAIL_FLUSHES SINK_CPU_MS ENFORCED SNAPSHOT_BEFORE
# SNAPSHOT_AFTER. The database window is from the previous snapshot ($SNAPSHOT) to this segment's.
measure() {
  local phase="$1" count="$2" received0 start last cpu0=0 cpu1=0 cpu2=0 pg0 pg1 flushes0 flushes1 flushes2
  local sink0 sink1 enforced0=0 enforced1=0 received snapshot=-
  shift 2
  read -r received0 _ < <(sink_stats)
  [[ "$phase" == postfix ]] || { cpu0="$(relays_cpu)" enforced0="$(relays_enforced)"; }
  flushes0="$(disk_flushes)" sink0="$(cpu_ms "$SINK_PID")" pg0="$(cpu_ms_with_children "$(pg_pid)")"
  start="$(now)"
  run_split "$count" "$@"
  [[ "$phase" == postfix ]] || cpu1="$(relays_cpu)"
  flushes1="$(disk_flushes)" sink1="$(cpu_ms "$SINK_PID")" pg1="$(cpu_ms_with_children "$(pg_pid)")"
  if [[ "$phase" == postfix ]]; then
    sleep 1  # the sink flushes sink.times every 200 ms; a duplicate would show here
  else
    echo "  quiet tail of $TAIL s (shipping, statistics)" >&2
    sleep "$TAIL"
    cpu2="$(relays_cpu)" enforced1="$(relays_enforced)"
    snapshot="$WORK/db.$((++SNAPSHOTS))"
    pg_snapshot "$snapshot"
  fi
  flushes2="$(disk_flushes)"
  read -r received _ < <(sink_stats)
  # the last of the segment's messages at the sink: the largest receive time (ms) of its lines of sink.times
  last="$(tail -n +"$((received0 + 1))" "$SINK_DIR/sink.times" | head -n "$count" \
    | awk -F '\t' '$1 > max { max = $1 } END { printf "%.3f\n", max / 1000 }')"
  echo "$start $last $count $((received - received0)) $((cpu1 - cpu0)) $((cpu2 - cpu1)) $((pg1 - pg0))" \
    "$((flushes1 - flushes0)) $((flushes2 - flushes1)) $((sink1 - sink0)) $((enforced1 - enforced0))" \
    "${SNAPSHOT_LAST:--} $snapshot" >> "$WORK/$phase.phase"
  [[ "$snapshot" == - ]] || SNAPSHOT_LAST="$snapshot"
}

if (( WARMUP > 0 )); then
  for target in "127.0.0.1:$NODE1_SMTP" "127.0.0.1:$NODE2_SMTP"; do
    echo "warm-up: $WARMUP messages to $MTA_STS_DOMAIN through $target" >&2
    run_split "$WARMUP" "$target"
  done
fi
echo "quiet for $TAIL s, then the first database snapshot" >&2
sleep "$TAIL"
SNAPSHOTS=0 SNAPSHOT_LAST="$WORK/db.0"
pg_snapshot "$SNAPSHOT_LAST"
for phase in a b b a; do
  count="$HALF"
  [[ -f "$WORK/$phase.phase" ]] && count=$((MESSAGES - HALF))  # the second half takes the rest
  if [[ "$phase" == a ]]; then
    echo "phase A (node-1 alone): $count messages" >&2
    measure a "$count" "127.0.0.1:$NODE1_SMTP"
  else
    echo "phase B (node-1 and node-2): $count messages" >&2
    measure b "$count" "127.0.0.1:$NODE1_SMTP" "127.0.0.1:$NODE2_SMTP"
  fi
done
NODES_SEEN="$(pg_sql stsrelay -qAt -c "SELECT string_agg(name || ' (last seen '
  || round(extract(epoch FROM now() - last_seen)) || ' s ago)', ', ' ORDER BY name) FROM nodes" 2>/dev/null || echo '?')"
# Failed database calls of the relay whose metrics are on port $1, by operation: "heartbeat 1, ..." or "none". A
# relay goes on without the database, so many of them would make the figures not fleet mode's.
db_errors() {
  curl -fs "http://127.0.0.1:$1/metrics" 2>/dev/null | awk '/^sts_relay_cluster_database_errors_total\{/ && $NF > 0 {
      match($1, /operation="[^"]*"/); printf "%s%s %d", sep, substr($1, RSTART + 11, RLENGTH - 12), $NF; sep = ", " }
    END { if (!sep) printf "none" }'
}
DB_ERRORS="node-1: $(db_errors "$NODE1_METRICS"); node-2: $(db_errors "$NODE2_METRICS")"
DB_WARNINGS="$(grep -h 'fleet database' "$WORK"/node-[12]/relay.log | grep -v INFO | head -n 6 || true)"
kill -9 "$NODE1_PID" "$NODE2_PID" 2>/dev/null || true
NODE1_PID="" NODE2_PID=""

if $POSTFIX; then
  PF="$WORK/postfix" PF_PORT="$(free_port)"
  postfix_sink_instance "$PF" "$PF_PORT" "$MX_ADDRESS" "$DELIVERY_PORT" "$MX_NAME" "$CA_FILE"
  POSTFIX_ETC="$PF/etc"
  postfix_start "$POSTFIX_ETC" "$PF_PORT" || die "private Postfix did not start"
  if (( WARMUP > 0 )); then
    echo "postfix: warm-up, $WARMUP messages" >&2
    run_split "$WARMUP" "127.0.0.1:$PF_PORT"
  fi
  echo "postfix: $MESSAGES messages" >&2
  measure postfix "$MESSAGES" "127.0.0.1:$PF_PORT"
  P_VERIFIED="$(grep -c 'Verified TLS connection established' "$PF/maillog" || true)"
  postfix -c "$POSTFIX_ETC" stop >/dev/null 2>&1 || true
  POSTFIX_ETC=""
fi

# --- 2. accept: cluster off, cluster on --------------------------------------------------------
if $ACCEPT; then
  OFF_SMTP="$(free_port)" OFF_METRICS="$(free_port)" ON_SMTP="$(free_port)" ON_METRICS="$(free_port)"
  relay_config "$WORK/accept-off" - true "$OFF_SMTP" "$OFF_METRICS"
  relay_config "$WORK/accept-on" accept-node true "$ON_SMTP" "$ON_METRICS"
  STS_RELAY_LOG_LEVEL=WARN relay_start OFF_PID "$JAR" "$WORK/accept-off/relay.yaml" "$WORK/accept-off/relay.log" \
    "$OFF_METRICS" || die "the relay without cluster did not start"
  STS_RELAY_LOG_LEVEL=WARN relay_start ON_PID "$JAR" "$WORK/accept-on/relay.yaml" "$WORK/accept-on/relay.log" \
    "$ON_METRICS" || die "the relay with cluster did not start"
  bench_client_start "$JAR:$REPO/src-test/target/test-classes" "$WORK" "$SESSIONS" "$LENGTH" \
    || die "bench-client did not warm itself up"
  declare -A ACCEPT_PID=([off]="$OFF_PID" [on]="$ON_PID") ACCEPT_TARGET=([off]="127.0.0.1:$OFF_SMTP" [on]="127.0.0.1:$ON_SMTP")
  if (( ACCEPT_WARMUP > 0 )); then
    for side in off on; do
      echo "accept warm-up: bench-client, $ACCEPT_WARMUP messages to the relay with cluster $side" >&2
      bench_client_run "${ACCEPT_TARGET[$side]}" "$ACCEPT_WARMUP" WARM || die "bench-client failed"
    done
  fi
  pg_snapshot "$WORK/db.accept.0"
  ACCEPT_SNAPSHOTS=0
  for side in off on on off; do
    count="$ACCEPT_HALF"
    [[ -f "$WORK/accept-$side.phase" ]] && count=$((ACCEPT_MESSAGES - ACCEPT_HALF))
    echo "accept, cluster $side: bench-client, $SESSIONS sessions, $count messages to ${ACCEPT_TARGET[$side]}" >&2
    cpu0="$(cpu_ms "${ACCEPT_PID[$side]}")" flushes0="$(disk_flushes)"
    bench_client_run "${ACCEPT_TARGET[$side]}" "$count" RUN || die "bench-client failed"
    cpu1="$(cpu_ms "${ACCEPT_PID[$side]}")" flushes1="$(disk_flushes)"
    before="$WORK/db.accept.$ACCEPT_SNAPSHOTS" after="$WORK/db.accept.$((++ACCEPT_SNAPSHOTS))"
    pg_snapshot "$after"
    # MESSAGES SECONDS P99_MS RELAY_CPU_MS FLUSHES SNAPSHOT_BEFORE SNAPSHOT_AFTER
    # shellcheck disable=SC2154 # RUN_* are set by bench_client_run
    echo "$RUN_messages $RUN_seconds $RUN_p99_ms $((cpu1 - cpu0)) $((flushes1 - flushes0)) $before $after" \
      >> "$WORK/accept-$side.phase"
  done
  ACCEPT_DB_ERRORS="$(db_errors "$ON_METRICS")"
fi

# --- the tables ----------------------------------------------------------------------------------
# One delivery phase's cells: count, rate, per-segment rates, enforced, relay CPU, relay CPU in the tails,
# PostgreSQL CPU, flushes, flushes in the tails, sink CPU, received (all segments), the snapshot pairs.
delivery_summary() {
  python3 - "$WORK/$1.phase" <<'PY'
import sys
segments = [line.split() for line in open(sys.argv[1]) if line.strip()]
seconds = sum(float(s[1]) - float(s[0]) for s in segments)
sent = sum(int(s[2]) for s in segments)
received = sum(int(s[3]) for s in segments)
total = lambda i: sum(int(s[i]) for s in segments)
per = lambda value: f"{value / max(sent, 1):.3f}"
rates = "/".join(f"{int(s[2]) / (float(s[1]) - float(s[0])):.0f}" for s in segments)
pairs = ",".join(f"{s[11]},{s[12]}" for s in segments if s[12] != "-")
print("\t".join([str(received), f"{sent / seconds:.0f}", rates, str(total(10)), per(total(4)), per(total(5)),
                 per(total(6)), per(total(7)), per(total(8)), per(total(9)), pairs or "-"]))
PY
}
declare -A CELL TITLE=([a]="A: 1 relay" [b]="B: 2 relays" [postfix]="postfix 3.7")
SHOWN=(a b)
$POSTFIX && SHOWN+=(postfix)
for phase in "${SHOWN[@]}"; do
  IFS=$'\t' read -r -a values < <(delivery_summary "$phase")
  for i in "${!values[@]}"; do CELL[$phase,$i]="${values[$i]}"; done
done
CELL[postfix,3]=- CELL[postfix,4]=- CELL[postfix,5]=- CELL[postfix,6]=- CELL[postfix,8]=-
ratio() { python3 -c 'import sys; print(f"{float(sys.argv[1]) / float(sys.argv[2]):.2f}")' "$@"; }

printf '\nsts-relay fleet benchmark (issue 13)\n'
printf '%-60s %s\n' "jar" "$JAR" "cpus" "$(nproc)" "JAVA_OPTS" "${JAVA_OPTS:-(none)}" \
  "PostgreSQL" "$PG_VERSION ($PG_DURABILITY)" "cluster.ship-interval; quiet tail per segment" "${SHIP_INTERVAL} s; $TAIL s" \
  "warm-up messages per relay (and Postfix), not measured" "$WARMUP" "nodes in the fleet database after part 1" "$NODES_SEEN" \
  "failed database calls in part 1 (relay metrics, whole run)" "$DB_ERRORS"
[[ -z "$DB_WARNINGS" ]] || printf 'the relays logged in part 1:\n%s\n' "$DB_WARNINGS"

printf '\n1. Delivery end to end: %s x 10 KiB per phase, %s sessions in total, verified TLS, MTA-STS enforce\n' \
  "$MESSAGES" "$SESSIONS"
printf '%-60s' ""
for phase in "${SHOWN[@]}"; do printf ' %22s' "${TITLE[$phase]}"; done
printf '\n'
row() {  # label index
  printf '%-60s' "$1"
  for phase in "${SHOWN[@]}"; do printf ' %22s' "${CELL[$phase,$2]}"; done
  printf '\n'
}
row "messages at the sink (sent $MESSAGES per phase)" 0
row "messages/s (smtp-source start -> last at sink)" 1
row "  per segment, in the order measured (A B B A)" 2
row "delivered under MTA-STS enforce (relay metrics)" 3
row "relay CPU per message, ms (all relay processes, load)" 4
row "relay CPU per message in the tails, ms (deferred work)" 5
row "PostgreSQL CPU per message, ms (load)" 6
row "disk flushes per message (whole machine, load)" 7
row "disk flushes per message in the tails" 8
row "sink CPU per message, ms (TLS server, DNS)" 9
printf 'throughput B / A (2 relays / 1 relay): %s   (issue 13: at least 1.00)\n' "$(ratio "${CELL[b,1]}" "${CELL[a,1]}")"
if $POSTFIX; then
  echo "postfix maillog (warm-up and measured): verified TLS connections $P_VERIFIED"
  printf 'throughput A / Postfix: %s, B / Postfix: %s\n' "$(ratio "${CELL[a,1]}" "${CELL[postfix,1]}")" \
    "$(ratio "${CELL[b,1]}" "${CELL[postfix,1]}")"
fi

if $ACCEPT; then
  accept_summary() {  # side: rate, per-segment rates, per-segment p99, CPU per message, flushes per message, pairs
    python3 - "$WORK/accept-$1.phase" <<'PY'
import sys
segments = [line.split() for line in open(sys.argv[1]) if line.strip()]
messages = sum(int(s[0]) for s in segments)
seconds = sum(float(s[1]) for s in segments)
print("\t".join([f"{messages / seconds:.0f}", "/".join(f"{int(s[0]) / float(s[1]):.0f}" for s in segments),
                 "/".join(s[2] for s in segments), f"{sum(int(s[3]) for s in segments) / messages:.3f}",
                 f"{sum(int(s[4]) for s in segments) / messages:.3f}", ",".join(f"{s[5]},{s[6]}" for s in segments)]))
PY
  }
  declare -A ACELL
  for side in off on; do
    IFS=$'\t' read -r -a values < <(accept_summary "$side")
    for i in "${!values[@]}"; do ACELL[$side,$i]="${values[$i]}"; done
  done
  printf '\n2. Accept rate, delivery held: bench-client, %s sessions, a connection per message, %s messages per side\n' \
    "$SESSIONS" "$ACCEPT_MESSAGES"
  printf '%-60s %22s %22s\n' "" "cluster off" "cluster on"
  arow() { printf '%-60s %22s %22s\n' "$1" "${ACELL[off,$2]}" "${ACELL[on,$2]}"; }
  arow "messages/s (bench-client, sum of its runs)" 0
  arow "  per segment, in the order measured (off on on off)" 1
  arow "  connect to 250, p99 ms, per segment" 2
  arow "relay CPU per message, ms (user + system)" 3
  arow "disk flushes per message (whole machine)" 4
  printf 'accept rate cluster on / off: %s   (issue 13: at least 0.95)\n' "$(ratio "${ACELL[on,0]}" "${ACELL[off,0]}")"
  printf 'warm-up: %s bench-client messages per relay; failed database calls of the cluster-on relay: %s\n' \
    "$ACCEPT_WARMUP" "$ACCEPT_DB_ERRORS"
fi

printf '\n3. The fleet database over each measured phase (load + tails), per 1,000 messages and per second\n'
# a phase: "title:messages:snapshot pairs" (the title holds no colon)
DB_PHASES=("A, 1 relay:$MESSAGES:${CELL[a,10]}" "B, 2 relays:$MESSAGES:${CELL[b,10]}")
$ACCEPT && DB_PHASES+=("accept, cluster on:$ACCEPT_MESSAGES:${ACELL[on,5]}")
pg_window_table "$TOP" "${DB_PHASES[@]}"
$ACCEPT && ACCEPT_NOTE="
In the accept column delivery is held and only the cluster-on relay is in the fleet: the background of one idle
node, counted per accepted message."
cat <<NOTE
Most of this is per time, not per message: every node beats a heartbeat every 10 s and ships its TLS-RPT
results every ${SHIP_INTERVAL} s (one row per batch), so a figure per 1,000 messages falls as the rate rises; the
per-second figures show the rate. Both delivery nodes run through A and B (node-2 idle in A: its heartbeat goes
on), so B differs from A by node-2's deliveries and shipments.${ACCEPT_NOTE:-}
Statements are what pg_stat_statements counts for user stsrelay: the JDBC driver's BEGIN, not all its COMMITs
(PostgreSQL 15 counted 1 of 3 in a check with the relay's driver), and not the pool's check of a connection
before each call (an empty query). Commits count every transaction, and that check and each new connection's
start-up too: 2 or more per database call. The script's own snapshots are left out of both.
NOTE

for phase in "${SHOWN[@]}"; do
  (( CELL[$phase,0] == MESSAGES )) || die "${TITLE[$phase]}: ${CELL[$phase,0]} of $MESSAGES messages at the sink"
done
for phase in a b; do
  (( CELL[$phase,3] == MESSAGES )) || die "${TITLE[$phase]}: ${CELL[$phase,3]} of $MESSAGES delivered under MTA-STS enforce"
done
