# Sourced by scripts/bench: the cluster scenario (--cluster, and the full run).
#
# One node alone, then three nodes on this machine, over the same fleet (10,000 services at 1 s,
# reused connections, one LoadTarget; 1,000 with --quick), each run started from the same state
# file in which every statistic is full (bench.StateFiller), persistence on. The first cluster node
# restores that state; the second and third join it and copy it (the join time, in chunks). Then,
# over the same window: per node its own probes/s (its orchestrator_checks_total), the remote
# results it applied/s (its status's total_checks minus its own), its CPU, and the replication
# messages and bytes it sent and received (orchestrator_cluster_messages/bytes_total).
#
# Every sample (scripts/bench.d/cluster-sample.py) reads all the nodes and the target at once, in
# parallel, and says when each read began and ended; the figures (cluster-figures.py) place each
# counter at the middle of its read, take CPU over the time between the samples that no read took,
# and compare like with like: rates against rates. Self-checks: the nodes' own probes add up to the
# target's count, and every node applied what the others probed, each within a base margin plus
# how long the reads took against the window. BENCH_JFR=1 records every JVM with JFR (default
# settings) and adds where each spent its CPU over the window (BENCH_JFR_SETTINGS=file.jfc records
# with other settings; BENCH_KEEP=1 keeps the recordings and the nodes' logs, in the run's work
# directory under cluster/). BENCH_CLUSTER_SERVICES=N measures a
# fleet of N instead (when the machine is too loaded for 10,000).

readonly CLUSTER_BEGIN="<!-- scripts/bench --cluster: begin -->"
readonly CLUSTER_END="<!-- scripts/bench --cluster: end -->"
# What the counters may differ by beyond how long their reads took: a batch of results on its way
# between nodes at either end of the window.
readonly CLUSTER_MARGIN_PERCENT=2

# Samples the JVMs pid:port... (and the target) at one instant into file $1.
cluster_sample() {
  local out="$1"
  shift
  timeout 600 python3 "$script_dir/bench.d/cluster-sample.py" "$HOST" "$target_port" "$clk_tck" "$@" >"$out"
}

# JFR options for a JVM whose recording goes to $1, when BENCH_JFR asks for it.
cluster_jfr_options() {
  [[ -n "${BENCH_JFR:-}" ]] && printf '%s\n' "-XX:StartFlightRecording=name=bench,settings=${BENCH_JFR_SETTINGS:-default},filename=$1"
  return 0
}

# Writes the recording of JVM $1 to $2, and its summary over the window $4..$5 to $3 (label $6).
cluster_jfr_dump() {
  [[ -n "${BENCH_JFR:-}" ]] || return 0
  timeout 120 jcmd "$1" JFR.dump name=bench filename="$2" >/dev/null 2>&1 || { log "cluster: JFR dump of $1 failed"; return 0; }
  # The summary reads the recording after the JVMs are gone (it is a JVM too): only queued here.
  jfr_summaries+=("$6|$2|$4|$5|$3")
}

# Starts cluster node $1 (0-2) over $2 services with DATA_DIR $3; sets cluster_tpid[$1].
start_cluster_node() {
  local i="$1" n="$2" data="$3" dir="$work/cluster-node$1" jfr
  mkdir -p "$dir/conf" "$data"
  write_services "$dir/services.yaml" "$n"
  mapfile -t jfr < <(cluster_jfr_options "$dir/node$i.jfr")
  echo "$i $(now_ns)" >>"$cluster_dir/launch"
  (cd "$dir" && HTTP_HOST=$HOST HTTP_PORT=${cluster_http[$i]} SERVICES_FILE="$dir/services.yaml" \
    DATA_DIR="$data" HEALTH_CHECK_INTERVAL=1 HEALTH_CHECK_TIMEOUT=5 MAX_IN_FLIGHT_PROBES=1000 \
    PROBE_CONNECTION=reuse CLUSTER_ENABLED=true CLUSTER_NAME="$cluster_name" CLUSTER_HOST=$HOST \
    CLUSTER_PORT="${cluster_ports[$i]}" CLUSTER_MEMBERS="$cluster_members" LOG_LEVEL=INFO \
    MALLOC_ARENA_MAX=2 exec timeout "$PROCESS_LIMIT" java @"$repo/conf/jvm.options" \
    "${cds_options[@]}" "${jfr[@]}" -jar "$JAR" >"$dir/orchestrator.log" 2>&1) &
  cluster_tpid[$i]=$!
  pids+=("$!")
}

# Waits until the node on port $1 sees $2 members and says ok.
await_cluster_members() {
  local port="$1" count="$2" deadline=$((SECONDS + $3))
  until curl -fs --max-time 5 "http://$HOST:$port/" | python3 -c "
import json, sys
j = json.load(sys.stdin)
sys.exit(0 if j.get('cluster') == 'ok' and j.get('cluster_members') == $count else 1)" 2>/dev/null; do
    ((SECONDS < deadline)) || return 1
    sleep 1
  done
}

# The target's count every half second ("ns count" lines into $1) until killed.
trace_target() {
  local count
  while :; do
    count="$(curl -fs --max-time 2 "http://$HOST:$target_port/count" | sed -n 's/.*"requests":\([0-9]*\).*/\1/p')" &&
      [[ -n "$count" ]] && echo "$(now_ns) $count"
    sleep 0.5
  done >"$1"
}

cluster_scenario() {
  local n warmup_s window_s
  cluster_table="(not measured: the scenario failed, see the FAIL lines of the run)"
  if $quick; then n=1000 warmup_s=15 window_s=20; else n=10000 warmup_s=40 window_s=60; fi
  n="${BENCH_CLUSTER_SERVICES:-$n}"
  cluster_load_start="$(cut -d' ' -f1 /proc/loadavg)"
  log "cluster: $n services at 1 s, every statistic full, persistence on: one node, then three (load average $cluster_load_start)"
  cluster_dir="$work/cluster"
  jfr_summaries=()
  mkdir -p "$cluster_dir"
  : >"$cluster_dir/launch"
  local full="$work/cluster-state"
  timeout 900 java -cp "$JAR" io.extrophi.orchestrator.bench.StateFiller --services "$n" \
    --dir "$full" >&2 || { fail "cluster: StateFiller failed"; return; }
  cluster_state_mb="$(python3 -c "import os; print(round(os.path.getsize('$full/state.bin') / 1048576))")"

  # 1. One node: CPU per probe at this fleet.
  mkdir -p "$work/cluster-single" && cp "$full/state.bin" "$work/cluster-single/"
  local single_jfr=()
  mapfile -t single_jfr < <(cluster_jfr_options "$cluster_dir/single.jfr")
  cds_options_saved=("${cds_options[@]}")
  cds_options=("${cds_options[@]}" "${single_jfr[@]}")
  start_orchestrator "$n" "$work/cluster-single"
  cds_options=("${cds_options_saved[@]}")
  wait_http "http://$HOST:$orch_port/health" 300 || { fail "cluster: the single node did not start"; stop "$orch_pid"; return; }
  local pid t0 t1
  pid="$(java_pid_of "$orch_pid")"
  sleep "$warmup_s"
  t0="$(now_ns)"
  cluster_sample "$cluster_dir/single-start.json" "$pid:$orch_port" || fail "cluster: the first sample of the single node failed"
  sleep "$window_s"
  cluster_sample "$cluster_dir/single-end.json" "$pid:$orch_port" || fail "cluster: the last sample of the single node failed"
  t1="$(now_ns)"
  cluster_jfr_dump "$pid" "$cluster_dir/single.jfr" "$cluster_dir/jfr-0-single.txt" "$t0" "$t1" "One node alone"
  stop "$orch_pid"

  # 2. Three nodes: the first restores the full state, the others join and copy it.
  cluster_name="bench-$RANDOM$RANDOM"
  cluster_ports=("$(free_port)" "$(free_port)" "$(free_port)")
  cluster_http=("$(free_port)" "$(free_port)" "$(free_port)")
  cluster_members="$HOST:${cluster_ports[0]},$HOST:${cluster_ports[1]},$HOST:${cluster_ports[2]}"
  cluster_tpid=()
  mkdir -p "$work/cluster-data0" && cp "$full/state.bin" "$work/cluster-data0/"
  start_cluster_node 0 "$n" "$work/cluster-data0"
  if ! wait_http "http://$HOST:${cluster_http[0]}/health" 300; then
    fail "cluster: node 0 did not start"; stop "${cluster_tpid[0]}"; return
  fi
  sleep 10
  trace_target "$cluster_dir/trace" &
  local tracer=$!
  pids+=("$tracer")
  local i
  for i in 1 2; do
    start_cluster_node "$i" "$n" "$work/cluster-data$i"
    if ! await_cluster_members "${cluster_http[$i]}" $((i + 1)) 900; then
      fail "cluster: node $i did not join"
    fi
    sleep 5
  done
  kill "$tracer" 2>/dev/null || true
  wait "$tracer" 2>/dev/null || true
  sleep "$warmup_s"
  local cpids=() nodes=()
  for i in 0 1 2; do
    cpids+=("$(java_pid_of "${cluster_tpid[$i]}")")
    nodes+=("${cpids[$i]}:${cluster_http[$i]}")
  done
  t0="$(now_ns)"
  cluster_sample "$cluster_dir/start.json" "${nodes[@]}" || fail "cluster: the first sample of the three nodes failed"
  sleep "$window_s"
  cluster_sample "$cluster_dir/end.json" "${nodes[@]}" || fail "cluster: the last sample of the three nodes failed"
  t1="$(now_ns)"
  for i in 0 1 2; do
    cluster_jfr_dump "${cpids[$i]}" "$cluster_dir/node$i.jfr" "$cluster_dir/jfr-$((i + 1))-node$i.txt" "$t0" "$t1" "Node $i of three"
  done
  for i in 0 1 2; do stop "${cluster_tpid[$i]}"; done
  for i in 0 1 2; do cp "$work/cluster-node$i/orchestrator.log" "$cluster_dir/node$i.log"; done
  local summary
  for summary in "${jfr_summaries[@]}"; do
    IFS='|' read -r label file from to out <<<"$summary"
    timeout 600 python3 "$script_dir/bench.d/cluster-jfr.py" "$label" "$file" "$from" "$to" >"$out" ||
      log "cluster: the JFR summary of $file failed"
  done

  cluster_table="$(python3 "$script_dir/bench.d/cluster-figures.py" "$cluster_dir" "$n" "$cluster_state_mb" \
    "$CLUSTER_MARGIN_PERCENT")" || fail "cluster: the figures do not add up (see the CHECK FAILED lines above)"
  [[ -n "$cluster_table" ]] || cluster_table="(not measured: the figures could not be computed, see the run's log)"
  log "cluster:"$'\n'"$cluster_table"
}

# Puts the cluster section into the document in place of the last one (or at its end).
write_cluster_section() {
  local section
  section="$CLUSTER_BEGIN"$'\n'"### Cluster: three nodes on one machine (\`scripts/bench --cluster\`)"$'\n\n'"$cluster_table"$'\n\n'"Three orchestrator JVMs (the shipped JVM options, \`PROBE_CONNECTION=reuse\`) and one LoadTarget on 127.0.0.1 with $(nproc) cores, each node probing its third; the same fleet and state file for the single node, measured first in the same run${BENCH_JFR:+; every JVM recorded by JFR (default settings, \`BENCH_JFR=1\`), the same small cost in each}. Measured on $(date -u +%Y-%m-%d) at commit \`$(git -C "$repo" rev-parse --short HEAD 2>/dev/null || echo unknown)\`, load average ${cluster_load_start:-?} at its start and $(cut -d' ' -f1 /proc/loadavg) at its end: the machine is shared and busy, so compare the rows of one run, not runs."$'\n'"$CLUSTER_END"
  SECTION="$section" python3 - "$OUT" "$CLUSTER_BEGIN" "$CLUSTER_END" <<'PY'
import os, re, sys
path, begin, end = sys.argv[1:4]
section = os.environ["SECTION"]
text = open(path).read() if os.path.exists(path) else "# Benchmarks\n"
pattern = re.compile(re.escape(begin) + ".*?" + re.escape(end), re.S)
text = pattern.sub(lambda _: section, text) if pattern.search(text) else text.rstrip("\n") + "\n\n" + section + "\n"
open(path, "w").write(text)
PY
  log "wrote the cluster section of $OUT"
}
