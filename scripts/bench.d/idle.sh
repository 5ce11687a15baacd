# Sourced by scripts/bench: the idle row (--idle) and the start-up row (--startup).
#
# Idle: the common deployment, 3 services every 30 s, started the way an operator starts it
# (scripts/run, the shipped conf/jvm.options and conf/config.yaml, persistence on), beside
# prometheus-blackbox-exporter doing the same work (3 probes every 30 s, driven by a scrape loop
# as Prometheus would drive it). Both run for a warm-up of one round, then $idle_seconds seconds are
# measured: CPU (utime+stime) as a share of one core, wake-ups per second (voluntary and
# involuntary context switches summed over every thread, from /proc/PID/task/*/status), and
# resident memory (VmRSS at the end and the highest seen, sampled every 10 s). The self-checks:
# the orchestrator made the checks its schedule promises, none failed, and every blackbox probe
# succeeded. With podman and a localhost/orchestrator image, the image runs beside them (its
# JVM options are its own /app/jvm.options), measured in the same window.
#
# Start-up: scripts/run (the whole script: its checks, then java) and a minimal Vert.x server
# (bench.ConstantJsonServer, plain `java -cp`), alternately, from the launch to the first 200;
# with podman and the localhost/orchestrator image, the image too (scripts/container-startup).
#
# Uses from scripts/bench: log, fail, free_port, wait_http, java_pid_of, stop, cpu_us, rss_mb,
# median, pids, work, repo, JAR, HOST, OUT, PROCESS_LIMIT, target_port.

readonly IDLE_BEGIN="<!-- scripts/bench --idle: begin -->"
readonly IDLE_END="<!-- scripts/bench --idle: end -->"
readonly STARTUP_BEGIN="<!-- scripts/bench --startup: begin -->"
readonly STARTUP_END="<!-- scripts/bench --startup: end -->"
# The goals of issue 19: a share of one core over the window, resident memory, start-up.
readonly IDLE_CPU_GOAL_PERCENT=0.2 IDLE_RSS_GOAL_MB=80 STARTUP_GOAL_MS=1000
readonly IDLE_INTERVAL_S=30
readonly STARTUP_IMAGE=localhost/orchestrator:latest

# "cpu_us wakeups" of a process: CPU in microseconds and context switches summed over its threads.
# Also writes one line per thread (tid, name, cpu_us, switches) to $2 when given.
process_sample() { # pid [per-thread file]
  python3 - "$1" "${2:-}" <<'PY'
import os, sys
pid, out = sys.argv[1], sys.argv[2]
tck = os.sysconf("SC_CLK_TCK")
total_cpu = total_switches = 0
lines = []
for tid in os.listdir(f"/proc/{pid}/task"):
    try:
        stat = open(f"/proc/{pid}/task/{tid}/stat").read()
        status = open(f"/proc/{pid}/task/{tid}/status").read()
    except OSError:
        continue  # the thread ended meanwhile
    name = stat[stat.index("(") + 1 : stat.rindex(")")]
    fields = stat[stat.rindex(")") + 2 :].split()
    cpu = (int(fields[11]) + int(fields[12])) * 1_000_000 // tck
    switches = sum(int(l.split()[1]) for l in status.splitlines() if l.split(":")[0].endswith("ctxt_switches"))
    total_cpu += cpu
    total_switches += switches
    lines.append(f"{tid}\t{name}\t{cpu}\t{switches}")
if out:
    open(out, "w").write("\n".join(lines) + "\n")
print(total_cpu, total_switches)
PY
}

# The threads that woke most between two per-thread files, as "name N/s (M ms CPU)" joined by ", ".
top_wakers() { # before after seconds
  python3 - "$1" "$2" "$3" <<'PY'
import sys, re, collections
def read(path):
    rows = {}
    for line in open(path):
        if line.strip():
            tid, name, cpu, sw = line.rstrip("\n").split("\t")
            rows[tid] = (name, int(cpu), int(sw))
    return rows
before, after, seconds = read(sys.argv[1]), read(sys.argv[2]), float(sys.argv[3])
groups = collections.defaultdict(lambda: [0, 0, 0])
for tid, (name, cpu, sw) in after.items():
    _, cpu0, sw0 = before.get(tid, (name, 0, 0))
    # Pools are grouped: "vert.x-eventloop-thread-3" and "vert.x-worker-thread-12" by their pool.
    group = re.sub(r"-?[0-9]+$", "", name.strip()) or name
    g = groups[group]
    g[0] += sw - sw0
    g[1] += cpu - cpu0
    g[2] += 1
top = sorted(groups.items(), key=lambda kv: -kv[1][0])[:6]
print(", ".join(f"{name}{' ×' + str(n) if n > 1 else ''} {sw / seconds:.1f}/s ({cpu / 1000:.0f} ms)" for name, (sw, cpu, n) in top))
PY
}

# Peak RSS tracking: call every 10 s or so during the window.
idle_rss_peak_update() { # pid var-name
  local now
  now="$(rss_mb "$1" 2>/dev/null || echo 0)"
  if ((now > ${!2:-0})); then printf -v "$2" '%s' "$now"; fi
}

# Sum of total_checks and of failed checks over the orchestrator's status on port $1.
idle_checks() { # port
  curl -fs --max-time 10 "http://$HOST:$1/health/status" | python3 -c '
import json, sys
s = json.load(sys.stdin)["services"].values()
print(sum(v["total_checks"] for v in s), sum(v["total_checks"] - v["successful_checks"] for v in s))'
}

# Starts a scrape loop that asks blackbox_exporter on port $1 to probe the 3 target paths every
# 30 s, as Prometheus with a 30 s scrape interval would; counts successes and failures in $2.
start_blackbox_scrapes() { # exporter port, tally file
  # Its output goes to a file: an inherited stdout would hold the caller's $(...) open for ever.
  timeout "$PROCESS_LIMIT" python3 - "$1" "$target_port" "$2" "$IDLE_INTERVAL_S" >"$2.log" 2>&1 <<'PY' &
import sys, time, urllib.request
port, target, tally, interval = sys.argv[1], sys.argv[2], sys.argv[3], float(sys.argv[4])
ok = failed = 0
next_round = time.monotonic()
while True:
    for i in range(3):
        url = f"http://127.0.0.1:{port}/probe?module=http_2xx&target=http://127.0.0.1:{target}/s/{i}"
        try:
            body = urllib.request.urlopen(url, timeout=10).read().decode()
            success = "\nprobe_success 1" in "\n" + body
        except OSError:
            success = False
        ok, failed = ok + success, failed + (not success)
    open(tally, "w").write(f"{ok} {failed}\n")
    next_round += interval
    time.sleep(max(0, next_round - time.monotonic()))
PY
  echo $!
}

idle_scenario() {
  local seconds="$idle_seconds"
  log "idle: 3 services at ${IDLE_INTERVAL_S} s through scripts/run, beside blackbox_exporter (3 probes per ${IDLE_INTERVAL_S} s); ${seconds} s window"
  local dir="$work/idle" orch_port bb_port orch_timeout_pid opid bb_timeout_pid bpid scrape_pid
  mkdir -p "$dir/data"
  awk -v port="$target_port" -v every="$IDLE_INTERVAL_S" 'BEGIN {
    print "services:"
    for (i = 0; i < 3; i++) printf "  - name: s%d\n    url: http://127.0.0.1:%d/s/%d\n    interval: %d\n", i, port, i, every
  }' >"$dir/services.yaml"
  orch_port="$(free_port)"
  # The shipped way: scripts/run with conf/config.yaml and conf/jvm.options; only the address,
  # the services file and the data directory are the bench's (persistence stays on).
  HTTP_HOST=$HOST HTTP_PORT=$orch_port SERVICES_FILE="$dir/services.yaml" DATA_DIR="$dir/data" \
    timeout "$PROCESS_LIMIT" "$repo/scripts/run" >"$dir/orchestrator.log" 2>&1 &
  orch_timeout_pid=$!
  pids+=("$orch_timeout_pid")
  wait_http "http://$HOST:$orch_port/health" 120 || { tail -20 "$dir/orchestrator.log" >&2; fail "idle: scripts/run did not answer /health within 120 s"; return 1; }
  opid="$(java_pid_of "$orch_timeout_pid")"

  bb_port="$(free_port)"
  cat >"$dir/blackbox.yml" <<'YAML'
modules:
  http_2xx:
    prober: http
    timeout: 5s
    http:
      preferred_ip_protocol: ip4
YAML
  timeout "$PROCESS_LIMIT" prometheus-blackbox-exporter --config.file="$dir/blackbox.yml" \
    --web.listen-address="$HOST:$bb_port" >"$dir/blackbox.log" 2>&1 &
  bb_timeout_pid=$!
  pids+=("$bb_timeout_pid")
  wait_http "http://$HOST:$bb_port/metrics" 30 || { cat "$dir/blackbox.log" >&2; fail "idle: blackbox_exporter did not start"; return 1; }
  bpid="$(pgrep -P "$bb_timeout_pid" -f blackbox || echo "$bb_timeout_pid")"
  scrape_pid="$(start_blackbox_scrapes "$bb_port" "$dir/blackbox-tally")"
  pids+=("$scrape_pid")

  # The container image beside them, when podman and the image are there.
  local cname="" cport cpid="" image="${IDLE_IMAGE:-localhost/orchestrator:latest}"
  idle_container_row="| container image (\`$image\`) | not measured: no podman or no image (scripts/container-build makes it) | | | |"
  if command -v podman >/dev/null && CONTAINERS_CONF="$("$repo/scripts/podman-conf")" && export CONTAINERS_CONF &&
    podman image exists "$image" 2>/dev/null; then
    cname="orchestrator-idle-bench-$$"
    cport="$(free_port)"
    # Removed by name when the bench ends, whatever happens.
    trap 'podman rm -f -t 0 '"$cname"' >/dev/null 2>&1 || true; cleanup' EXIT
    if podman run -d --rm --name "$cname" --network host -e HTTP_HOST=$HOST -e HTTP_PORT="$cport" \
      -e SERVICES_FILE=/app/services.yaml -v "$dir/services.yaml:/app/services.yaml:ro,Z" "$image" \
      >"$dir/podman.log" 2>&1 && wait_http "http://$HOST:$cport/health" 120; then
      cpid="$(podman inspect -f '{{.State.Pid}}' "$cname")"
    else
      tail -3 "$dir/podman.log" >&2
      idle_container_row="| container image (\`$image\`) | not measured: podman run failed ($(tail -1 "$dir/podman.log" | cut -c1-80)) | | | |"
      podman rm -f -t 0 "$cname" >/dev/null 2>&1 || true
      cname=""
    fi
  else
    log "idle: no podman or no $image: the container image is not measured"
  fi

  # One round of each before the window: the first probes, the state file's first write and the
  # JIT's start-up work are not what idling costs.
  sleep "$IDLE_INTERVAL_S"
  local o_cpu0 o_sw0 b_cpu0 b_sw0 c_cpu0=0 c_sw0=0 t0 checks0 failed0 bb0 tc0 tc1
  tc0="$(date +%s%N)"
  read -r checks0 failed0 < <(idle_checks "$orch_port") || { fail "idle: no status"; return 1; }
  bb0="$(cat "$dir/blackbox-tally" 2>/dev/null || echo "0 0")"
  read -r o_cpu0 o_sw0 < <(process_sample "$opid" "$dir/orch-threads-0")
  read -r b_cpu0 b_sw0 < <(process_sample "$bpid" "$dir/bb-threads-0")
  [[ -z "$cpid" ]] || read -r c_cpu0 c_sw0 < <(process_sample "$cpid")
  t0="$(date +%s%N)"
  local o_peak=0 b_peak=0 c_peak=0 deadline=$((SECONDS + seconds))
  while ((SECONDS < deadline)); do
    idle_rss_peak_update "$opid" o_peak
    idle_rss_peak_update "$bpid" b_peak
    [[ -z "$cpid" ]] || idle_rss_peak_update "$cpid" c_peak
    sleep "$((deadline - SECONDS < 10 ? (deadline - SECONDS > 0 ? deadline - SECONDS : 0) : 10))"
  done
  local o_cpu1 o_sw1 b_cpu1 b_sw1 c_cpu1=0 c_sw1=0 t1 elapsed checks1 failed1 bb1
  read -r o_cpu1 o_sw1 < <(process_sample "$opid" "$dir/orch-threads-1")
  read -r b_cpu1 b_sw1 < <(process_sample "$bpid" "$dir/bb-threads-1")
  [[ -z "$cpid" ]] || read -r c_cpu1 c_sw1 < <(process_sample "$cpid")
  t1="$(date +%s%N)"
  idle_rss_peak_update "$opid" o_peak
  idle_rss_peak_update "$bpid" b_peak
  local o_rss b_rss c_rss=0
  o_rss="$(rss_mb "$opid")"
  b_rss="$(rss_mb "$bpid")"
  if [[ -n "$cpid" ]]; then
    idle_rss_peak_update "$cpid" c_peak
    c_rss="$(rss_mb "$cpid")"
  fi
  read -r checks1 failed1 < <(idle_checks "$orch_port") || { fail "idle: no status at the end"; return 1; }
  tc1="$(date +%s%N)"
  bb1="$(cat "$dir/blackbox-tally")"
  elapsed="$(python3 -c "print(($t1 - $t0) / 1e9)")"
  idle_top="$(top_wakers "$dir/orch-threads-0" "$dir/orch-threads-1" "$elapsed")"
  stop "$orch_timeout_pid"
  kill "$scrape_pid" 2>/dev/null || true
  stop "$bb_timeout_pid"
  [[ -z "$cname" ]] || podman rm -f -t 10 "$cname" >/dev/null 2>&1 || true

  local c_cpu c_wake
  read -r idle_o_cpu idle_o_wake idle_b_cpu idle_b_wake c_cpu c_wake < <(python3 -c "
e = $elapsed
print(f'{($o_cpu1 - $o_cpu0) / 1e4 / e:.3f}', f'{($o_sw1 - $o_sw0) / e:.1f}',
      f'{($b_cpu1 - $b_cpu0) / 1e4 / e:.3f}', f'{($b_sw1 - $b_sw0) / e:.1f}',
      f'{($c_cpu1 - $c_cpu0) / 1e4 / e:.3f}', f'{($c_sw1 - $c_sw0) / e:.1f}')")
  if [[ -n "$cpid" ]]; then
    idle_container_row="| container image (\`$image\`, $(podman image inspect -f '{{.Created}}' "$image" | cut -c1-16)) | $c_cpu % | $c_wake | $c_rss MB ($c_peak) | $(python3 -c "print('meets' if $c_cpu <= $IDLE_CPU_GOAL_PERCENT else 'misses')") / $( ((c_peak <= IDLE_RSS_GOAL_MB)) && echo meets || echo misses) |"
    log "idle: container image ${c_cpu} % of a core, ${c_wake} wake-ups/s, RSS ${c_rss} MB (peak ${c_peak})"
  fi
  idle_o_rss="$o_rss" idle_o_peak="$o_peak" idle_b_rss="$b_rss" idle_b_peak="$b_peak"
  idle_elapsed="$(printf '%.0f' "$elapsed")"
  # Self-checks: the schedule kept (3 services, one check each per interval between the two
  # status reads, give or take one round of each at either end), no failed check, every blackbox
  # probe answered with success.
  local checks=$((checks1 - checks0)) expected bb_ok bb_failed
  expected="$(python3 -c "print(round(3 * ($tc1 - $tc0) / 1e9 / $IDLE_INTERVAL_S))")"
  idle_checks_made="$checks" idle_checks_expected="$expected"
  ((checks >= expected - 6 && checks <= expected + 6)) ||
    fail "idle: the orchestrator made $checks checks in ${idle_elapsed} s, its schedule promises $expected"
  ((failed1 - failed0 == 0)) || fail "idle: $((failed1 - failed0)) of the orchestrator's checks failed against a target that answers every one"
  read -r bb_ok bb_failed <<<"$(python3 -c "a, b = '$bb0'.split(), '$bb1'.split(); print(int(b[0]) - int(a[0]), int(b[1]) - int(a[1]))")"
  idle_bb_probes="$bb_ok"
  ((bb_failed == 0)) || fail "idle: $bb_failed blackbox_exporter probes failed"
  ((bb_ok >= expected - 6)) || fail "idle: blackbox_exporter made $bb_ok probes in the window, the scrape loop asked for $expected"
  idle_cpu_verdict="$(python3 -c "print('meets' if $idle_o_cpu <= $IDLE_CPU_GOAL_PERCENT else 'misses')")"
  idle_rss_verdict="$( ((idle_o_peak <= IDLE_RSS_GOAL_MB)) && echo meets || echo misses)"
  log "idle: orchestrator ${idle_o_cpu} % of a core, ${idle_o_wake} wake-ups/s, RSS ${idle_o_rss} MB (peak ${idle_o_peak}); blackbox_exporter ${idle_b_cpu} %, ${idle_b_wake}/s, RSS ${idle_b_rss} MB (peak ${idle_b_peak}); ${checks} checks, ${bb_ok} blackbox probes"
  log "idle: the orchestrator's threads that woke most: $idle_top"
}

# Replaces the text between two markers in docs/benchmarks.md, or appends it.
write_bench_section() { # begin end text
  SECTION="$3" python3 - "$OUT" "$1" "$2" <<'PY'
import os, sys
path, begin, end = sys.argv[1:]
section = begin + "\n" + os.environ["SECTION"].strip("\n") + "\n" + end
try:
    text = open(path).read()
except FileNotFoundError:
    text = "# Benchmarks\n"
start, stop = text.find(begin), text.find(end)
if start >= 0 and stop > start:
    text = text[:start] + section + text[stop + len(end):]
else:
    text = text.rstrip("\n") + "\n\n" + section + "\n"
open(path, "w").write(text)
PY
}

write_idle_section() {
  local commit
  commit="$(git -C "$repo" rev-parse --short HEAD 2>/dev/null || echo unknown)"
  write_bench_section "$IDLE_BEGIN" "$IDLE_END" "$(cat <<SECTION
### Idle: 3 services at ${IDLE_INTERVAL_S} s (\`scripts/bench --idle\`)

The common small deployment, started as an operator starts it: \`scripts/run\` (the shipped
\`conf/jvm.options\` and \`conf/config.yaml\`, persistence on) monitoring 3 services every 30 s,
beside blackbox_exporter probing the same 3 targets every 30 s (a scrape loop asks it, as
Prometheus would). After one round, ${idle_elapsed} s are measured: CPU (utime+stime of every
thread) as a share of one core, wake-ups (voluntary and involuntary context switches of every
thread) per second, resident memory (\`VmRSS\`) at the end and the highest seen (sampled every
10 s). Measured on $(date -u +%Y-%m-%d) at commit \`$commit\`, load average
$(cut -d' ' -f1 /proc/loadavg) on $(nproc) cores at the end.

| monitor | CPU, % of a core (goal ≤ ${IDLE_CPU_GOAL_PERCENT} %) | wake-ups/s | RSS at the end (highest) (goal ≤ ${IDLE_RSS_GOAL_MB} MB) | goals: CPU / RSS |
|---|---:|---:|---:|---|
| orchestrator (\`scripts/run\`), ${idle_checks_made} checks (schedule: ${idle_checks_expected}) | ${idle_o_cpu} % | ${idle_o_wake} | ${idle_o_rss} MB (${idle_o_peak}) | ${idle_cpu_verdict} / ${idle_rss_verdict} |
| blackbox_exporter, ${idle_bb_probes} probes | ${idle_b_cpu} % | ${idle_b_wake} | ${idle_b_rss} MB (${idle_b_peak}) | |
${idle_container_row}

The orchestrator's threads that woke most over the window (pools grouped; wake-ups/s, CPU):
${idle_top}.
SECTION
)"
  log "wrote the idle section of $OUT"
}

# --- start-up: scripts/run against a minimal Vert.x server ---------------------------------------
# Milliseconds from launching the command (the rest of the arguments) until $1 answers 200.
time_to_200() { # url log command...
  local url="$1" logfile="$2" t0 t1 launched
  shift 2
  t0="$(date +%s%N)"
  timeout 120 "$@" >"$logfile" 2>&1 &
  launched=$!
  pids+=("$launched")
  local deadline=$((SECONDS + 60))
  until curl -fs -o /dev/null --max-time 1 "$url"; do
    ((SECONDS < deadline)) || { stop "$launched"; echo -1; return 1; }
    sleep 0.01
  done
  t1="$(date +%s%N)"
  stop "$launched"
  echo $(((t1 - t0) / 1000000))
}

startup_scenario() {
  local runs="${startup_runs:-7}" run_ms=() minimal_ms=() i port ms dir="$work/startup-run"
  mkdir -p "$dir/data"
  printf 'services:\n  - name: s0\n    url: http://127.0.0.1:%s/s/0\n' "$target_port" >"$dir/services.yaml"
  log "start-up: scripts/run and a minimal Vert.x server, alternately, $runs times each"
  for i in $(seq "$runs"); do
    port="$(free_port)"
    ms="$(HTTP_HOST=$HOST HTTP_PORT=$port SERVICES_FILE="$dir/services.yaml" DATA_DIR="$dir/data" \
      time_to_200 "http://$HOST:$port/health" "$dir/run-$i.log" "$repo/scripts/run")"
    ((ms >= 0)) || { tail -5 "$dir/run-$i.log" >&2; fail "start-up: scripts/run gave no 200 within 60 s"; continue; }
    run_ms+=("$ms")
    port="$(free_port)"
    ms="$(time_to_200 "http://$HOST:$port/" "$dir/minimal-$i.log" \
      java -cp "$JAR" io.extrophi.orchestrator.bench.ConstantJsonServer --port "$port")"
    ((ms >= 0)) || { fail "start-up: the minimal server gave no 200 within 60 s"; continue; }
    minimal_ms+=("$ms")
  done
  ((${#run_ms[@]} > 0 && ${#minimal_ms[@]} > 0)) || return
  startup_container_rows=""
  if command -v podman >/dev/null && podman image exists "$STARTUP_IMAGE" 2>/dev/null; then
    startup_container "$runs"
  else
    log "start-up: no $STARTUP_IMAGE image (scripts/container-build makes it): no container row"
  fi
  startup_run_median="$(median "${run_ms[@]}")"
  startup_minimal_median="$(median "${minimal_ms[@]}")"
  startup_runs_list="${run_ms[*]}" startup_minimal_list="${minimal_ms[*]}"
  startup_verdict="$(python3 -c "print('meets' if $startup_run_median <= $STARTUP_GOAL_MS else 'misses')")"
  log "start-up: scripts/run median ${startup_run_median} ms (${run_ms[*]}); minimal Vert.x server median ${startup_minimal_median} ms (${minimal_ms[*]})"
}

# The image, through scripts/container-startup (`podman run -d`, host network, to the first 200),
# and the JVM's own "started in" line inside it; sets startup_container_rows.
startup_container() { # runs
  local out first=() own=() line built
  log "start-up: the image $STARTUP_IMAGE, $1 times"
  out="$("$repo/scripts/container-startup" "$1" "$STARTUP_IMAGE" 2>&1)" ||
    { fail "start-up: scripts/container-startup failed: $(tail -3 <<<"$out")"; return; }
  while read -r line; do
    [[ "$line" =~ after\ ([0-9]+)\ ms\ \(the\ service:\ started\ in\ ([0-9?]+) ]] || continue
    first+=("${BASH_REMATCH[1]}")
    [[ "${BASH_REMATCH[2]}" == "?" ]] || own+=("${BASH_REMATCH[2]}")
  done <<<"$out"
  ((${#first[@]} > 0)) || { fail "start-up: no container run answered"; return; }
  built="$(podman image inspect --format '{{.Created}}' "$STARTUP_IMAGE" 2>/dev/null | cut -c1-16)"
  local first_median own_median="n/a" verdict
  first_median="$(median "${first[@]}")"
  ((${#own[@]} > 0)) && own_median="$(median "${own[@]}")"
  verdict="$(python3 -c "print('meets' if $first_median <= $STARTUP_GOAL_MS else 'misses')")"
  startup_container_rows="| the image (\`$STARTUP_IMAGE\`, built $built): \`podman run -d\` to the first 200 | ${first_median} ms (${verdict}) | ${first[*]} ms |
| the same runs: the JVM's own \`started in\` line (from the JVM's start) | ${own_median} ms | ${own[*]} ms |"
  log "start-up: the image: median ${first_median} ms to the first 200, ${own_median} ms by its own line"
}

write_startup_section() {
  [[ -n "${startup_run_median:-}" ]] || return
  local commit
  commit="$(git -C "$repo" rev-parse --short HEAD 2>/dev/null || echo unknown)"
  write_bench_section "$STARTUP_BEGIN" "$STARTUP_END" "$(cat <<SECTION
### Start-up through \`scripts/run\` (\`scripts/bench --startup\`)

From launching the command to the first 200, polled every 10 ms, alternately: \`scripts/run\`
(the whole script: its checks, the class data sharing archive, then \`java\` with
\`conf/jvm.options\`; 1 service, persistence on) answering \`GET /health\`, and a minimal Vert.x
server (\`bench.ConstantJsonServer\`, \`java -cp target/orchestrator.jar\`, no options) answering
\`GET /\`. Measured on $(date -u +%Y-%m-%d) at commit \`$commit\`, load average
$(cut -d' ' -f1 /proc/loadavg) on $(nproc) cores.

| start | median (goal ≤ ${STARTUP_GOAL_MS} ms) | runs |
|---|---:|---|
| \`scripts/run\` to the first 200 on \`/health\` | ${startup_run_median} ms (${startup_verdict}) | ${startup_runs_list} ms |
| minimal Vert.x server to the first 200 | ${startup_minimal_median} ms | ${startup_minimal_list} ms |
${startup_container_rows}
SECTION
)"
  log "wrote the start-up section of $OUT"
}
