# Sourced by scripts/bench: the cluster scenario (--cluster, and the full run).
#
# One node alone, then three nodes on this machine, over the same fleet (10,000 services at 1 s,
# reused connections, one LoadTarget; 1,000 with --quick), each run started from the same state
# file in which every statistic is full (bench.StateFiller), persistence on. The first cluster node
# restores that state; the second and third join it and copy it (the join time, in chunks). Then,
# over the same window: per node its own probes/s (its orchestrator_checks_total), the remote
# results it applied/s (its status's total_checks minus its own), its CPU, and the replication
# messages and bytes it sent and received (orchestrator_cluster_messages/bytes_total). Self-checks:
# the nodes' own probes add up to the target's count, and every node applied what the others probed.

readonly CLUSTER_BEGIN="<!-- scripts/bench --cluster: begin -->"
readonly CLUSTER_END="<!-- scripts/bench --cluster: end -->"
# Own probes against the target's count, and applied results against the others' probes: the
# three nodes are read one after the other while 10,000 results a second go on.
readonly CLUSTER_MARGIN_PERCENT=5

# Prints "own_checks status_checks events_sent_msgs events_sent_bytes events_recv_msgs
# events_recv_bytes" of the node on $1 (its HTTP port).
cluster_node_counters() {
  local port="$1"
  python3 - "$HOST" "$port" <<'PY'
import json, re, sys, urllib.request
host, port = sys.argv[1], sys.argv[2]
def get(path):
    return urllib.request.urlopen(f"http://{host}:{port}{path}", timeout=120).read().decode()
metrics = get("/metrics")
own = 0.0
traffic = {}
for line in metrics.splitlines():
    if line.startswith("orchestrator_checks_total{"):
        own += float(line.rsplit(" ", 1)[1])
    m = re.match(r'orchestrator_cluster_(messages|bytes)_total\{(.*)\} (\S+)', line)
    if m:
        labels = dict(re.findall(r'(\w+)="([^"]*)"', m.group(2)))
        traffic[(m.group(1), labels.get("direction"), labels.get("kind"))] = float(m.group(3))
status = json.loads(get("/health/status"))
total = sum(s["total_checks"] for s in status["services"].values())
t = lambda *k: int(traffic.get(k, 0))
print(int(own), total, t("messages", "sent", "events"), t("bytes", "sent", "events"),
      t("messages", "received", "events"), t("bytes", "received", "events"))
PY
}

# Starts cluster node $1 (0-2, or 3) over $2 services with DATA_DIR $3; sets cluster_tpid[$1].
start_cluster_node() {
  local i="$1" n="$2" data="$3" dir="$work/cluster-node$1"
  mkdir -p "$dir/conf" "$data"
  write_services "$dir/services.yaml" "$n"
  (cd "$dir" && HTTP_HOST=$HOST HTTP_PORT=${cluster_http[$i]} SERVICES_FILE="$dir/services.yaml" \
    DATA_DIR="$data" HEALTH_CHECK_INTERVAL=1 HEALTH_CHECK_TIMEOUT=5 MAX_IN_FLIGHT_PROBES=1000 \
    PROBE_CONNECTION=reuse CLUSTER_ENABLED=true CLUSTER_NAME="$cluster_name" CLUSTER_HOST=$HOST \
    CLUSTER_PORT="${cluster_ports[$i]}" CLUSTER_MEMBERS="$cluster_members" LOG_LEVEL=INFO \
    MALLOC_ARENA_MAX=2 exec timeout "$PROCESS_LIMIT" java @"$repo/conf/jvm.options" \
    "${cds_options[@]}" -jar "$JAR" >"$dir/orchestrator.log" 2>&1) &
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

# The join of node $1 from its log: "ms chunks bytes largest blocked" (the copy's own report, or,
# from a build that copies in one message, the time from the Hazelcast join to the copy's line);
# "blocked" counts Vert.x's blocked-thread warnings in the node's whole log.
cluster_join_figures() {
  python3 - "$work/cluster-node$1/orchestrator.log" <<'PY'
import re, sys
from datetime import datetime
text = open(sys.argv[1], errors="replace").read()
blocked = text.count("has been blocked for")
new = re.search(r"continued from the state of node \S+: (\d+) services in (\d+) ms \((\d+) chunks, (\d+) bytes, the largest (\d+) bytes\)", text)
if new:
    print(new.group(2), new.group(3), new.group(4), new.group(5), blocked)
    sys.exit(0)
def at(line):
    return datetime.strptime(line[:23], "%Y-%m-%dT%H:%M:%S.%f")
old = re.search(r"^(.*)continued from the state of node \S+ \((\d+) bytes\)", text, re.M)
joined = re.search(r"^(.*)Members \{size:", text, re.M)
if old and joined:
    ms = int((at(old.group(1)) - at(joined.group(1))).total_seconds() * 1000)
    print(ms, 1, old.group(2), old.group(2), blocked)
else:
    print("n/a n/a n/a n/a", blocked)
PY
}

cluster_scenario() {
  local n warmup_s window_s
  cluster_table="(not measured: the scenario failed, see the FAIL lines of the run)"
  if $quick; then n=1000 warmup_s=15 window_s=15; else n=10000 warmup_s=30 window_s=30; fi
  log "cluster: $n services at 1 s, every statistic full, persistence on: one node, then three"
  local full="$work/cluster-state"
  timeout 600 java -cp "$JAR" io.extrophi.orchestrator.bench.StateFiller --services "$n" \
    --dir "$full" >&2 || { fail "cluster: StateFiller failed"; return; }
  local state_mb
  state_mb="$(python3 -c "import os; print(round(os.path.getsize('$full/state.bin') / 1048576))")"

  # 1. One node: CPU per probe at this fleet.
  mkdir -p "$work/cluster-single" && cp "$full/state.bin" "$work/cluster-single/"
  start_orchestrator "$n" "$work/cluster-single"
  wait_http "http://$HOST:$orch_port/health" 300 || { fail "cluster: the single node did not start"; stop "$orch_pid"; return; }
  local pid c0 c1 t0 t1 k0 k1 single_cpu single_rate
  pid="$(java_pid_of "$orch_pid")"
  sleep "$warmup_s"
  read -r k0 _ < <(status_json | summarise_status); c0="$(cpu_us "$pid")"; t0="$(now_ns)"
  sleep "$window_s"
  read -r k1 _ < <(status_json | summarise_status); c1="$(cpu_us "$pid")"; t1="$(now_ns)"
  stop "$orch_pid"
  read -r single_rate single_cpu < <(python3 -c "
k=$k1-$k0; s=($t1-$t0)/1e9
print(f'{k/s:.0f} {($c1-$c0)/max(k,1):.1f}')")
  log "cluster: one node: ${single_rate} probes/s, ${single_cpu} us/probe"

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
  local i
  for i in 1 2; do
    start_cluster_node "$i" "$n" "$work/cluster-data$i"
    if ! await_cluster_members "${cluster_http[$i]}" $((i + 1)) 600; then
      fail "cluster: node $i did not join"
    fi
  done
  sleep "$warmup_s"
  local cpids=() before=() after=() cpu0=() cpu1=()
  for i in 0 1 2; do cpids+=("$(java_pid_of "${cluster_tpid[$i]}")"); done
  t0="$(now_ns)"
  for i in 0 1 2; do cpu0[$i]="$(cpu_us "${cpids[$i]}")"; before[$i]="$(cluster_node_counters "${cluster_http[$i]}")"; done
  local target0 target1
  target0="$(target_count)"
  sleep "$window_s"
  target1="$(target_count)"
  for i in 0 1 2; do cpu1[$i]="$(cpu_us "${cpids[$i]}")"; after[$i]="$(cluster_node_counters "${cluster_http[$i]}")"; done
  t1="$(now_ns)"
  local joins=()
  for i in 1 2; do joins+=("$(cluster_join_figures "$i")"); done
  local blocked0
  blocked0="$(grep -c 'has been blocked for' "$work/cluster-node0/orchestrator.log" || true)"
  for i in 0 1 2; do stop "${cluster_tpid[$i]}"; done

  cluster_table="$(python3 - "$n" "$state_mb" "$single_rate" "$single_cpu" "$t0" "$t1" "$target0" "$target1" \
    "$CLUSTER_MARGIN_PERCENT" "$blocked0" \
    "${cpu0[0]}" "${cpu1[0]}" "${before[0]}" "${after[0]}" \
    "${cpu0[1]}" "${cpu1[1]}" "${before[1]}" "${after[1]}" \
    "${cpu0[2]}" "${cpu1[2]}" "${before[2]}" "${after[2]}" \
    "${joins[0]}" "${joins[1]}" <<'PY'
import sys
a = sys.argv[1:]
n, state_mb = int(a[0]), a[1]
single_rate, single_cpu = float(a[2]), float(a[3])
secs = (float(a[5]) - float(a[4])) / 1e9
target = float(a[7]) - float(a[6])
margin, blocked0 = float(a[8]), a[9]
nodes = []
for i in range(3):
    c0, c1, b, e = a[10 + 4 * i: 14 + 4 * i]
    b, e = list(map(int, b.split())), list(map(int, e.split()))
    d = [y - x for x, y in zip(b, e)]
    nodes.append(dict(cpu=float(c1) - float(c0), own=d[0], seen=d[1], sent=d[2], sent_b=d[3], recv=d[4], recv_b=d[5]))
joins = [j.split() for j in a[22:24]]
own_total = sum(x["own"] for x in nodes)
checks = []
if abs(own_total - target) > target * margin / 100:
    checks.append(f"own probes of the nodes ({own_total}) and the target's count ({target:.0f}) differ by more than {margin:.0f} %")
rows = []
for i, x in enumerate(nodes):
    applied = x["seen"] - x["own"]
    others = own_total - x["own"]
    if abs(applied - others) > max(others, 1) * margin / 100:
        checks.append(f"node {i} applied {applied} remote results, the others probed {others}")
    # What the node spends beyond what a single node spends on as many probes of its own.
    extra = x["cpu"] - x["own"] * single_cpu
    rows.append(f"| node {i} | {x['own'] / secs:.0f} | {applied / secs:.0f} | {x['cpu'] / secs / 1e4:.0f} % | "
                f"{x['cpu'] / max(x['own'], 1):.1f} | {extra / max(applied, 1):.1f} | "
                f"{x['sent'] / secs:.0f} / {x['sent_b'] / secs / 1024:.0f} KiB | {x['recv'] / secs:.0f} / {x['recv_b'] / secs / 1024:.0f} KiB |")
cluster_cpu = sum(x["cpu"] for x in nodes) / max(own_total, 1)
ratio = cluster_cpu / single_cpu
join_rows = []
for i, j in enumerate(joins, start=1):
    ms, chunks, total, largest, blocked = j
    mb = lambda v: "n/a" if v == "n/a" else f"{int(v) / 1048576:.1f} MB"
    join_rows.append(f"| node {i} joins node 0 | {ms} ms | {chunks} | {mb(total)} | {mb(largest)} | {blocked} |")
print(f"""| | own probes/s | remote results applied/s | CPU (share of a core) | CPU µs per own probe (all of the node's CPU) | CPU µs per applied result (beyond a single node's per own probe) | replication sent: msgs/s / bytes/s | received: msgs/s / bytes/s |
|---|---:|---:|---:|---:|---:|---:|---:|
| one node alone | {single_rate:.0f} | 0 | {single_rate * single_cpu / 1e6 * 100:.0f} % | {single_cpu:.1f} | | | |
{chr(10).join(rows)}

**Cluster CPU per probe: {cluster_cpu:.1f} µs against {single_cpu:.1f} µs for one node alone = {ratio:.2f}×** (goal ≤ 1.5×: {"met" if ratio <= 1.5 else "not met"}).

Joining a node that holds {n:,} services with every statistic full ({state_mb} MB state file; the
copy's size, time and chunks as the joining node reports them; blocked: Vert.x blocked-thread
warnings in the joining node's whole log, {blocked0} in node 0's):

| join | copy time | chunks | copied | largest message | blocked-thread warnings |
|---|---:|---:|---:|---:|---:|
{chr(10).join(join_rows)}
""")
for c in checks:
    print("CHECK FAILED: " + c, file=sys.stderr)
sys.exit(1 if checks else 0)
PY
)" || fail "cluster: the figures do not add up (see above)"
  log "cluster:"$'\n'"$cluster_table"
}

# Puts the cluster section into the document in place of the last one (or at its end).
write_cluster_section() {
  local section
  section="$CLUSTER_BEGIN"$'\n'"### Cluster: three nodes on one machine (\`scripts/bench --cluster\`)"$'\n\n'"$cluster_table"$'\n\n'"Three orchestrator JVMs (the shipped JVM options, \`PROBE_CONNECTION=reuse\`) and one LoadTarget on 127.0.0.1 with $(nproc) cores, each node probing its third; the same fleet and state file for the single node, measured first in the same run. Measured on $(date -u +%Y-%m-%d) at commit \`$(git -C "$repo" rev-parse --short HEAD 2>/dev/null || echo unknown)\`, load average $(cut -d' ' -f1 /proc/loadavg) at its end: the machine is shared and busy, so compare the rows of one run, not runs."$'\n'"$CLUSTER_END"
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
