# shellcheck shell=bash
# --- the API at 100,000 services (--fleet-query) --------------------------------------------------
# Sourced by scripts/bench. One orchestrator over $fleet_query_n services (one in 50 refusing
# connections, the rest on bench.LoadTarget; interval 1 h, so the fleet is probed once and then
# idle) for this build, and the same for BENCH_BASELINE_JAR (the build before streaming) when it is
# given, one after the other in the same run. Per build: the latency of $fleet_query_rounds full
# `GET /health/status` (curl, discarding the body) and how far the process's peak RSS rises over
# them (the peak is reset through /proc/PID/clear_refs first); for this build also the latency of
# `?health=unhealthy&limit=100`. Writes its own section of docs/benchmarks.md between markers.
readonly fleet_query_n="${FLEET_QUERY_SERVICES:-100000}" fleet_query_rounds=10

# JSON, not YAML: the YAML parser refuses documents over 3 MB, and 100,000 services are more.
fleet_query_services() { # file, refused port
  awk -v n="$fleet_query_n" -v port="$target_port" -v refused="$2" 'BEGIN {
    print "{\"services\": ["
    for (i = 0; i < n; i++) {
      url = (i % 50 == 0) ? "http://127.0.0.1:" refused "/s/" i : "http://127.0.0.1:" port "/s/" i
      printf "{\"name\": \"s%06d\", \"url\": \"%s\", \"interval\": 3600, \"timeout\": 5}%s\n", i, url, (i < n - 1) ? "," : ""
    }
    print "]}"
  }' >"$1"
}

# Prints "full_median_ms full_max_ms bytes rss_before_mb peak_growth_mb filtered_median_ms
# filtered_max_ms filtered_services" for one jar ("n/a" where the build has no filters).
fleet_query_measure() { # jar, label
  local jar="$1" label="$2" dir="$work/fleet-query-$2" port refused pid
  mkdir -p "$dir/conf"
  refused="$(free_port)"
  fleet_query_services "$dir/services.json" "$refused"
  port="$(free_port)"
  (cd "$dir" && HTTP_HOST=$HOST HTTP_PORT=$port SERVICES_FILE="$dir/services.json" DATA_DIR=none \
    MAX_IN_FLIGHT_PROBES=1000 LOG_LEVEL=WARN MALLOC_ARENA_MAX=2 \
    exec timeout "$PROCESS_LIMIT" java @"$repo/conf/jvm.options" -Xmx1g -jar "$jar" \
    >"$dir/orchestrator.log" 2>&1) &
  local orch=$!
  pids+=("$orch")
  if ! wait_http "http://$HOST:$port/health" 300; then
    tail -5 "$dir/orchestrator.log" >&2 || true
    fail "fleet query ($label): no answer on /health within 300 s"
    stop "$orch"
    echo "n/a n/a n/a n/a n/a n/a n/a n/a"
    return
  fi
  pid="$(java_pid_of "$orch")"
  # Until every service has its first result: no "unknown" left in the document.
  local deadline=$((SECONDS + 600)) unknown=-1
  while ((SECONDS < deadline)); do
    unknown="$(curl -fs --max-time 120 "http://$HOST:$port/health/status" | python3 -c '
import json, sys
services = json.load(sys.stdin)["services"]
print(sum(1 for s in services.values() if s["health"] == "unknown") if len(services) == int(sys.argv[1]) else -1)
' "$fleet_query_n" || echo -1)"
    [[ "$unknown" == 0 ]] && break
    sleep 5
  done
  [[ "$unknown" == 0 ]] || fail "fleet query ($label): services still unknown after 600 s ($unknown)"
  local rss_before times=() bytes=0 line
  rss_before="$(rss_mb "$pid")"
  echo 5 >"/proc/$pid/clear_refs" 2>/dev/null || log "fleet query: cannot reset the peak RSS of $pid"
  for _ in $(seq "$fleet_query_rounds"); do
    line="$(curl -fs --max-time 120 -o /dev/null -w '%{time_total} %{size_download}' \
      "http://$HOST:$port/health/status")" || { fail "fleet query ($label): full document failed"; break; }
    times+=("$(python3 -c 'import sys; print(float(sys.argv[1]) * 1000)' "${line% *}")")
    bytes="${line#* }"
  done
  local peak
  peak="$(awk '/^VmHWM:/ {printf "%.0f", $2 / 1024}' "/proc/$pid/status")"
  local filtered_times=() filtered_services=n/a
  if curl -fs --max-time 10 "http://$HOST:$port/openapi.json" | grep -q '"next_cursor"'; then
    filtered_services="$(curl -fs --max-time 60 "http://$HOST:$port/health/status?health=unhealthy&limit=100" |
      python3 -c '
import json, sys
d = json.load(sys.stdin)
assert all(s["health"] == "unhealthy" for s in d["services"].values()), "a healthy service in the filter"
assert d["next_cursor"], "no next_cursor with more unhealthy services than the limit"
print(len(d["services"]))')" || fail "fleet query ($label): the filtered answer is wrong"
    [[ "$filtered_services" == 100 ]] || fail "fleet query ($label): $filtered_services services in a page of 100"
    for _ in $(seq 50); do
      line="$(curl -fs --max-time 60 -o /dev/null -w '%{time_total}' \
        "http://$HOST:$port/health/status?health=unhealthy&limit=100")"
      filtered_times+=("$(python3 -c 'import sys; print(float(sys.argv[1]) * 1000)' "$line")")
    done
  fi
  stop "$orch"
  local fmax="n/a" fmed="n/a"
  if ((${#filtered_times[@]})); then
    fmed="$(median "${filtered_times[@]}")"
    fmax="$(python3 -c 'import sys; print(f"{max(map(float, sys.argv[1:])):.1f}")' "${filtered_times[@]}")"
  fi
  echo "$(median "${times[@]}") $(python3 -c 'import sys; print(f"{max(map(float, sys.argv[1:])):.1f}")' "${times[@]}") $bytes $rss_before $((peak - rss_before)) $fmed $fmax $filtered_services"
}

fleet_query_scenario() {
  log "fleet query: $fleet_query_n services, this build${BENCH_BASELINE_JAR:+ and $BENCH_BASELINE_JAR}"
  # The services probe the script's LoadTarget ($target_port), started before every scenario.
  local now base=""
  now="$(fleet_query_measure "$JAR" this)"
  log "fleet query, this build: $now"
  if [[ -n "${BENCH_BASELINE_JAR:-}" ]]; then
    base="$(fleet_query_measure "$BENCH_BASELINE_JAR" baseline)"
    log "fleet query, baseline: $base"
  fi
  local f_med f_max bytes rss growth q_med q_max q_n b_med b_max b_bytes b_rss b_growth rest
  read -r f_med f_max bytes rss growth q_med q_max q_n <<<"$now"
  [[ "$q_n" == 100 ]] || fail "fleet query: the filtered page did not hold 100 services"
  local baseline_row="| before streaming (\`BENCH_BASELINE_JAR\`) | not measured in this run | | | |"
  if [[ -n "$base" ]]; then
    read -r b_med b_max b_bytes b_rss b_growth rest <<<"$base"
    baseline_row="| before streaming ($(basename "$BENCH_BASELINE_JAR")) | $b_med / $b_max ms | $b_bytes | $b_rss MB | +$b_growth MB |"
  fi
  local commit section
  commit="$(git -C "$repo" rev-parse --short HEAD 2>/dev/null || echo unknown)"
  section="$(cat <<SECTION
<!-- fleet-query:begin -->
## The API at $fleet_query_n services (\`scripts/bench --fleet-query\`)

Measured on $(date -u +%Y-%m-%d) at commit \`$commit\`, $(nproc) cores (a shared, busy machine:
compare the rows of one run, not runs). $fleet_query_n services, one in 50 refusing connections,
interval 1 h (probed once, then idle), \`conf/jvm.options\` with \`-Xmx1g\`, persistence off. Full
document: $fleet_query_rounds sequential \`GET /health/status\` by curl; peak RSS growth is
VmHWM after them minus VmRSS before (the peak reset through \`/proc/PID/clear_refs\`).

| build | full document: median / max | bytes | RSS before | peak RSS growth over the full documents |
|---|---|---|---|---|
| this build (streamed) | $f_med / $f_max ms | $bytes | $rss MB | +$growth MB |
$baseline_row

Filtered page, this build: \`GET /health/status?health=unhealthy&limit=100\` (50 requests):
median **$q_med ms**, max $q_max ms, $q_n services and a \`next_cursor\` in each answer.
<!-- fleet-query:end -->
SECTION
)"
  python3 - "$OUT" "$section" <<'PY'
import re, sys
path, section = sys.argv[1], sys.argv[2]
try:
    text = open(path).read()
except FileNotFoundError:
    text = "# Benchmarks\n"
pattern = re.compile(r"<!-- fleet-query:begin -->.*?<!-- fleet-query:end -->", re.S)
text = pattern.sub(lambda m: section, text) if pattern.search(text) else text.rstrip("\n") + "\n\n" + section + "\n"
open(path, "w").write(text)
PY
  log "wrote the fleet query section of $OUT"
}
