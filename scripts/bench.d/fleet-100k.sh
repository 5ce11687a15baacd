# shellcheck shell=bash
# Sourced by scripts/bench: 100,000 services at a 10 s interval (10,000 probes/s, `reuse`) with
# every statistic full and persistence on (`--fleet-100k`, and part of the full run).
#
# bench.StateFiller writes the state of 100,000 services as a 10 s check leaves it after 30 days
# (availability in each of the 720 hours, an hour of latency and 100 results of history at 10 s).
# The orchestrator starts from it (restart time: process start to the last service answering with
# its restored counts), runs a warm-up and a window against bench.LoadTarget (schedule lag p99 from
# GET /health/schedule, false failures = failed checks in the window + services not healthy at its
# end, RSS at the end, heap after a full GC), is stopped with SIGTERM (it writes its state) and
# started again from the state it wrote itself: that restart is the one the goal is about.
# Uses from scripts/bench: log, fail, free_port, now_ns, cpu_us, rss_mb, heap_used_mb, java_pid_of,
# stop, wait_http, target_count, summarise_status, pids, work, repo, JAR, HOST, OUT, PROCESS_LIMIT.

readonly FLEET_100K_BEGIN="<!-- scripts/bench --fleet-100k: begin -->"
readonly FLEET_100K_END="<!-- scripts/bench --fleet-100k: end -->"

# Starts the orchestrator over the fleet's services file and data directory; sets orch_pid,
# orch_port, orch_log and fleet_started_ns.
fleet_100k_start() { # dir, [more JVM options]
  local more=("${@:2}")
  orch_port="$(free_port)"
  orch_log="$1/orchestrator-$RANDOM.log"
  fleet_started_ns="$(now_ns)"
  (cd "$1/run" && HTTP_HOST=$HOST HTTP_PORT=$orch_port SERVICES_FILE="$1/services.json" \
    DATA_DIR="$1/data" HEALTH_CHECK_INTERVAL=10 HEALTH_CHECK_TIMEOUT=5 MAX_IN_FLIGHT_PROBES=1000 \
    PROBE_CONNECTION=reuse LOG_LEVEL=WARN MALLOC_ARENA_MAX=2 \
    exec timeout "$PROCESS_LIMIT" java @"$repo/conf/jvm.options" "-Xms$fleet_100k_initial_heap" \
    "-Xmx$fleet_100k_heap" \
    "${more[@]}" -jar "$JAR" >"$orch_log" 2>&1) &
  orch_pid=$!
  pids+=("$orch_pid")
}

# Milliseconds from the start until the last service answers with at least `checks` checks (its
# restored counts); "timeout" after `seconds`.
fleet_100k_restored_ms() { # last service, checks, seconds
  local deadline=$((SECONDS + $3)) total
  while ((SECONDS < deadline)); do
    total="$(curl -fs --max-time 2 "http://$HOST:$orch_port/health/status/$1" 2>/dev/null |
      python3 -c 'import json, sys; print(json.load(sys.stdin)["total_checks"])' 2>/dev/null)" ||
      total=0
    if ((total >= $2)); then
      echo $((($(now_ns) - fleet_started_ns) / 1000000))
      return 0
    fi
    sleep 0.1
  done
  echo timeout
}

fleet_100k_scenario() {
  local n="${FLEET_100K_SERVICES:-100000}" warm=60 window=120 dir="$work/fleet-100k"
  $quick && warm=20 window=30
  fleet_100k_heap="${FLEET_100K_XMX:-1g}"
  # Started at the size the fleet's statistics need: from conf/jvm.options' 64 MB the serial
  # collector grows the heap 5 % at a time, a full collection each, while the state arrives
  # (20.6 s of pauses restoring 30,000 services). docs/operations.md says the same to operators.
  fleet_100k_initial_heap="${FLEET_100K_XMS:-640m}"
  mkdir -p "$dir/run/conf" "$dir/data"
  log "fleet-100k: filling the state of $n services at 10 s (bench.StateFiller)"
  local filler
  filler="$(timeout 1800 java -XX:+UseSerialGC -Xmx3g -cp "$JAR" \
    io.extrophi.orchestrator.bench.StateFiller --services "$n" --interval-seconds 10 \
    --time-restore 1 --dir "$dir/data")" || { fail "fleet-100k: StateFiller failed"; return; }
  fleet_100k_heap_each="$(sed -nE 's/.*full services hold ([0-9]+) bytes of heap each.*/\1/p' <<<"$filler")"
  # The decoding alone, on one thread, in CPU time: what a restart costs on an idle machine.
  fleet_100k_decode_cpu_ms="$(sed -nE 's/.*restored [0-9]+ services in ([0-9]+) ms of CPU.*/\1/p' <<<"$filler")"
  fleet_100k_restored_each="$(sed -nE 's/.*they hold ([0-9]+) bytes of heap each.*/\1/p' <<<"$filler")"
  fleet_100k_state_mb="$(python3 -c "import os; print(round(os.path.getsize('$dir/data/state.bin') / 1048576))")"
  # JSON, not YAML: the YAML parser refuses documents over 3 million characters (9 MB here).
  awk -v n="$n" -v port="$target_port" 'BEGIN {
    printf "{\"services\": ["
    for (i = 0; i < n; i++) {
      printf "%s{\"name\": \"s%d\", \"url\": \"http://127.0.0.1:%d/s/%d\", \"interval\": 10, \"timeout\": 5}", (i ? ",\n" : "\n"), i, port, i
    }
    print "\n]}"
  }' >"$dir/services.json"
  local last="s$((n - 1))" filled_checks=$((719 + 360))

  log "fleet-100k: start from the filled state (heap -Xms$fleet_100k_initial_heap -Xmx$fleet_100k_heap)"
  # BENCH_JFR=1: a recording of this start and the window too (beside the restart's, which is
  # always made), for where the lag and the heap go; BENCH_KEEP=1 keeps it.
  local first_jfr=()
  [[ -n "${BENCH_JFR:-}" ]] && first_jfr=("-XX:StartFlightRecording=filename=$dir/first.jfr,settings=profile")
  fleet_100k_start "$dir" "${first_jfr[@]}"
  fleet_100k_first_ms="$(fleet_100k_restored_ms "$last" "$filled_checks" 180)"
  if [[ "$fleet_100k_first_ms" == timeout ]]; then
    tail -5 "$orch_log" >&2
    fail "fleet-100k: the filled state was not restored within 180 s (exit status of a stopped JVM: see above)"
    stop "$orch_pid"
    return
  fi
  local pid
  pid="$(java_pid_of "$orch_pid")"
  log "fleet-100k: restored in $fleet_100k_first_ms ms; warm-up ${warm}s, window ${window}s"
  sleep "$warm"
  local c0 c1 cpu0 cpu1 t0 t1 checks0 failed0 checks1 failed1 unhealthy1
  read -r checks0 failed0 _ < <(curl -fs --max-time 120 "http://$HOST:$orch_port/health/status" | summarise_status) ||
    { fail "fleet-100k: no status at the start of the window"; stop "$orch_pid"; return; }
  c0="$(target_count)"; cpu0="$(cpu_us "$pid")"; t0="$(now_ns)"
  sleep "$window"
  c1="$(target_count)"; cpu1="$(cpu_us "$pid")"; t1="$(now_ns)"
  # The lag before the status snapshot below, which is itself work for the event loop.
  read -r fleet_100k_lag50 fleet_100k_lag99 fleet_100k_missed < <(curl -s --max-time 60 \
    "http://$HOST:$orch_port/health/schedule" | python3 -c '
import json, sys
s = json.load(sys.stdin)
print(s["lag"]["p50_ms"], s["lag"]["p99_ms"], s["missed_slots"])') || fleet_100k_lag99=n/a
  fleet_100k_rss="$(rss_mb "$pid")"
  # Where the heap goes, for the notes under the section (kept beside the run's logs).
  jcmd "$pid" GC.class_histogram 2>/dev/null | head -25 >"$dir/class-histogram.txt" || true
  read -r checks1 failed1 unhealthy1 < <(curl -fs --max-time 120 "http://$HOST:$orch_port/health/status" | summarise_status) ||
    { fail "fleet-100k: no status at the end of the window"; stop "$orch_pid"; return; }
  jcmd "$pid" GC.run >/dev/null 2>&1 || true
  fleet_100k_heap_mb="$(heap_used_mb "$pid")"
  read -r fleet_100k_rate fleet_100k_us < <(python3 -c "d=($c1-$c0); print(f'{d/(($t1-$t0)/1e9):.0f} {($cpu1-$cpu0)/max(d,1):.1f}')")
  fleet_100k_false=$((failed1 - failed0 + unhealthy1))
  local before_stop
  before_stop="$(curl -fs --max-time 5 "http://$HOST:$orch_port/health/status/$last" |
    python3 -c 'import json, sys; print(json.load(sys.stdin)["total_checks"])')" || before_stop="$filled_checks"
  fleet_100k_writes_failed="$(grep -c 'could not write' "$orch_log" || true)"
  grep -m3 -i 'OutOfMemory\|blocked' "$orch_log" >&2 || true
  stop "$orch_pid"

  log "fleet-100k: restart from the state the service wrote (JFR: $dir/restart.jfr)"
  fleet_100k_start "$dir" "-XX:StartFlightRecording=filename=$dir/restart.jfr,settings=profile"
  fleet_100k_restart_ms="$(fleet_100k_restored_ms "$last" "$before_stop" 180)"
  local restart_rss=n/a
  fleet_100k_restart_cpu_s=n/a
  if [[ "$fleet_100k_restart_ms" != timeout ]]; then
    pid="$(java_pid_of "$orch_pid")"
    restart_rss="$(rss_mb "$pid")"
    # CPU time from the start to the restored answer: what a busy machine does not inflate.
    fleet_100k_restart_cpu_s="$(python3 -c "print(round($(cpu_us "$pid") / 1e6, 1))")"
  fi
  stop "$orch_pid"
  fleet_100k_others="$(ps -eo pcpu=,comm= --sort=-pcpu | awk '$1 >= 5 {printf "%s%s (%.0f %%)", sep, $2, $1; sep=", "}' | head -c 300)"
  log "fleet-100k: ${fleet_100k_rate}/s, ${fleet_100k_us} µs/probe, lag p50/p99 $fleet_100k_lag50/$fleet_100k_lag99 ms, false failures $fleet_100k_false, RSS $fleet_100k_rss MB, heap $fleet_100k_heap_mb MB, restart $fleet_100k_restart_ms ms ($fleet_100k_restart_cpu_s s of CPU, RSS then $restart_rss MB), decoding $fleet_100k_decode_cpu_ms ms of CPU, state $fleet_100k_state_mb MB"

  ((fleet_100k_false == 0)) || fail "fleet-100k: $fleet_100k_false false failures"
  ((fleet_100k_writes_failed == 0)) || fail "fleet-100k: $fleet_100k_writes_failed state writes failed"
  ((checks1 > n * filled_checks)) || fail "fleet-100k: the statistics were not restored ($checks1 checks in all)"
  fleet_100k_verdicts=()
  fleet_100k_goal "lag p99 < 200 ms" "$(python3 -c "print(1 if '$fleet_100k_lag99' != 'n/a' and float('$fleet_100k_lag99') < 200 else 0)")"
  fleet_100k_goal "RSS <= 1024 MB" "$((fleet_100k_rss <= 1024 ? 1 : 0))"
  fleet_100k_goal "restart <= 10 s" "$([[ "$fleet_100k_restart_ms" != timeout ]] && ((fleet_100k_restart_ms <= 10000)) && echo 1 || echo 0)"
  fleet_100k_goal "probes on schedule (>= 98 % of 10,000/s)" "$((fleet_100k_rate * 100 >= n / 10 * 98 ? 1 : 0))"
  fleet_100k_write_section "$n" "$warm" "$window" "$restart_rss"
}

# A goal's verdict goes in the table, as every other row's does; only the self-checks above (false
# failures, failed writes, statistics not restored) fail the run: a goal not met is a figure.
fleet_100k_goal() { # goal, 1 when met
  if [[ "$2" == 1 ]]; then
    fleet_100k_verdicts+=("$1: met")
  else
    fleet_100k_verdicts+=("$1: NOT MET")
    log "fleet-100k: goal not met: $1"
  fi
}

fleet_100k_write_section() { # n, warm-up, window, RSS after the restart
  local commit section
  commit="$(git -C "$repo" rev-parse --short HEAD 2>/dev/null || echo unknown)"
  section="$(cat <<SECTION
$FLEET_100K_BEGIN
### 100,000 services at 10 s, every statistic full, persistence on (\`scripts/bench --fleet-100k\`)

$1 services at a 10 s interval with \`PROBE_CONNECTION=reuse\` against one bench.LoadTarget
on 127.0.0.1 (its kept-alive pool needs a few hundred connections, so one address is enough),
state written every 5 s (the default), \`conf/jvm.options\` with \`-Xms$fleet_100k_initial_heap -Xmx$fleet_100k_heap\`. The
state comes from \`bench.StateFiller --interval-seconds 10\` (30 days of hourly availability, an
hour of latency and 100 results at 10 s: $fleet_100k_heap_each bytes of heap per service in the
filler, state file $fleet_100k_state_mb MB). $2 s warm-up, $3 s window.

| probes/s | CPU µs/probe | schedule lag p50 / p99 | missed slots | false failures | RSS MB | heap after GC MB | restart with state restored | RSS after restart MB |
|---:|---:|---|---:|---:|---:|---:|---:|---:|
| $fleet_100k_rate | $fleet_100k_us | $fleet_100k_lag50 / $fleet_100k_lag99 ms | $fleet_100k_missed | $fleet_100k_false | $fleet_100k_rss | $fleet_100k_heap_mb | $fleet_100k_restart_ms ms, $fleet_100k_restart_cpu_s s of CPU (from the filled state: $fleet_100k_first_ms ms) | $4 |

Decoding the filled state alone (\`StateFiller --time-restore\`, one thread): ${fleet_100k_decode_cpu_ms:-n/a} ms
of CPU; the restored statuses hold ${fleet_100k_restored_each:-n/a} bytes of heap each.

Goals: $(IFS=';'; echo "${fleet_100k_verdicts[*]}" | sed 's/;/; /g').
Restart is the process start to the last service answering with its restored counts, after a
SIGTERM whose last state write it reads. Measured on $(date -u +%Y-%m-%d) at commit \`$commit\`,
load average $(cut -d' ' -f1 /proc/loadavg) on $(nproc) cores at its end; busy besides this run:
${fleet_100k_others:-nothing above 5 % of a core}.
$FLEET_100K_END
SECTION
)"
  python3 - "$OUT" "$section" <<'PY'
import re, sys
path, section = sys.argv[1], sys.argv[2]
text = open(path).read()
pattern = re.compile(r"<!-- scripts/bench --fleet-100k: begin -->.*?<!-- scripts/bench --fleet-100k: end -->", re.S)
text = pattern.sub(lambda m: section, text) if pattern.search(text) else text.rstrip("\n") + "\n\n" + section + "\n"
open(path, "w").write(text)
PY
  log "wrote the fleet-100k section of $OUT"
}
