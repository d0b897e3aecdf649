# Shared by the benchmark scripts that deliver into the benchmark world (org.stsrelay.world.BenchSink): a free
# port, the sink's counters and a bounded wait for its messages. Source it and set SINK_DIR to the directory
# BenchSink writes into; it defines functions only.

# A free TCP port on 127.0.0.1.
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }

# received connections handshakes resumptions dns-queries, as BenchSink writes them.
sink_stats() { cat "$SINK_DIR/sink.stats" 2>/dev/null || echo "0 0 0 0 0"; }

# Messages the sink has received so far.
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

# Starts the world: sink_start CLASSPATH LOG [OPTION...] runs org.stsrelay.world.BenchSink in $SINK_DIR with the
# options (BenchSinkOptions) and its output in LOG, sets SINK_PID at once (for the caller's cleanup) and waits
# up to 20 s for its first sink.stats; prints LOG and returns 1 when it does not come.
sink_start() {
  local classpath="$1" log="$2"
  shift 2
  mkdir -p "$SINK_DIR"
  java -cp "$classpath" org.stsrelay.world.BenchSink "$SINK_DIR" "$@" > "$log" 2>&1 &
  SINK_PID=$!
  disown "$SINK_PID"
  for _ in $(seq 1 200); do [[ -f "$SINK_DIR/sink.stats" ]] && return 0; sleep 0.1; done
  cat "$log" >&2
  return 1
}
