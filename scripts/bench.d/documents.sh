# Sourced by scripts/bench: the health document row (--documents).
#
# What reading a health document costs a probe. Two orchestrators run side by side over the same
# LoadTarget, 1,000 services each (every DOCUMENTS_INTERVAL_S): one probes /s/<i> with `format: status` (today's probe:
# the status code decides, the body {"status":"ok"} is not read), the other probes /spring/<i>,
# which answers the 2 KB Spring Boot Actuator document of bench.ActuatorDocument (22 components,
# nested, every one up) under the default `format: auto` (recognised, parsed, its components kept
# in the status, the metrics and the events). Both start together and are warmed up together; then
# $documents_windows windows are measured, each over both at once, so that the machine's load (it
# is shared) weighs on both alike: running both in every window is the alternation with no gap.
# CPU per probe is the increase of utime+stime of each JVM (/proc/PID/stat) over the window
# divided by the requests the target served on that JVM's paths (its /count and /count/documents);
# the JIT compiler threads' share is shown beside it. Self-checks, which fail the run: each
# orchestrator's reported checks agree with what the target served it within COUNT_MARGIN_PERCENT;
# no false failures (failed checks in a window, services not healthy at its end); the document
# orchestrator really read the document (reported_status pass, 22 components) and the status one
# read none. Then the parse cost per format: JMH's HealthDocumentsBenchmark (scripts/microbench).
#
# Uses from scripts/bench: log, fail, start_orchestrator, java_pid_of, wait_http, stop, cpu_us,
# jit_cpu_us, now_ns, summarise_status, median, write_bench_section, pids, work, repo, HOST, OUT,
# target_port, quick, COUNT_MARGIN_PERCENT.

readonly DOCUMENTS_BEGIN="<!-- scripts/bench --documents: begin -->"
readonly DOCUMENTS_END="<!-- scripts/bench --documents: end -->"
readonly DOCUMENTS_SERVICES=1000
# Seconds between two probes of a service (BENCH_DOCUMENTS_INTERVAL): 5 by default, 200 probes/s
# per orchestrator, because two fleets of 1,000 at 1 s starve each other on a shared 2-core
# machine (probes time out) and a starved probe's CPU is no probe's cost.
readonly DOCUMENTS_INTERVAL_S="${BENCH_DOCUMENTS_INTERVAL:-5}"
# bench.ActuatorDocument.COMPONENTS: what the document orchestrator must show for each service.
readonly DOCUMENTS_COMPONENTS=22
# The issue's goal: reading the document must not double the cost of a probe.
readonly DOCUMENTS_GOAL_RATIO=2

# services file: N services every DOCUMENTS_INTERVAL_S on the target's paths PREFIX<i>, with a format line when given.
documents_services() { # file prefix format
  awk -v n="$DOCUMENTS_SERVICES" -v port="$target_port" -v prefix="$2" -v format="$3" -v every="$DOCUMENTS_INTERVAL_S" 'BEGIN {
    print "services:"
    for (i = 0; i < n; i++) {
      printf "  - name: s%d\n    url: http://127.0.0.1:%d%s%d\n    interval: %s\n    timeout: 5\n", i, port, prefix, i, every
      if (format != "") printf "    format: %s\n", format
    }
  }' >"$1"
}

# Both target counts at once: "all documents".
documents_target_counts() {
  echo "$(curl -fs --max-time 5 "http://$HOST:$target_port/count" | python3 -c 'import json,sys; print(json.load(sys.stdin)["requests"])')" \
    "$(curl -fs --max-time 5 "http://$HOST:$target_port/count/documents" | python3 -c 'import json,sys; print(json.load(sys.stdin)["requests"])')"
}

# What the target served one orchestrator: every path but /spring/ (status) or /spring/ alone.
documents_served() { # status|document
  local all docs
  read -r all docs < <(documents_target_counts)
  if [[ "$1" == status ]]; then echo $((all - docs)); else echo "$docs"; fi
}

# "total_checks failed_checks not_healthy served" of the orchestrator on port $1, with what the
# target served it read just before and after the snapshot and averaged.
documents_checks() { # port status|document
  local before after summary
  before="$(documents_served "$2")"
  summary="$(curl -fs --max-time 60 "http://$HOST:$1/health/status" | summarise_status)"
  after="$(documents_served "$2")"
  echo "$summary $(((before + after) / 2))"
}

# "reported_status components" of service s0 on the orchestrator on port $1.
documents_read_back() { # port
  curl -fs --max-time 30 "http://$HOST:$1/health/status/s0" |
    python3 -c 'import json,sys; s=json.load(sys.stdin); print(s.get("reported_status"), len(s.get("components") or []))'
}

documents_parse_costs() {
  local jmh_args=(-bm avgt -tu ns -f 1 -wi 3 -i 5 -w 1s -r 1s)
  $quick && jmh_args=(-bm avgt -tu ns -f 1 -wi 1 -i 2 -w 500ms -r 500ms)
  log "documents: parse cost per format (JMH HealthDocumentsBenchmark, ${jmh_args[*]})"
  timeout 900 "$repo/scripts/microbench" -- "${jmh_args[@]}" -prof gc -rf text \
    -rff "$work/documents-jmh.txt" 'HealthDocumentsBenchmark' >"$work/documents-jmh.log" 2>&1 ||
    { tail -20 "$work/documents-jmh.log" >&2; fail "documents: the JMH run failed"; return 1; }
  documents_jmh_args="${jmh_args[*]}"
  documents_parse_rows="$(documents_parse_table "$work/documents-jmh.txt")" ||
    { fail "documents: could not read the JMH results"; return 1; }
}

# The table rows of a JMH text result file: per benchmark what it reads, ns/op (± error), B/op.
documents_parse_table() { # results file
  python3 - "$1" <<'PY'
import re, sys
what = {
    "actuatorAsServed": ("spring (auto)", "the document the probes above read: 2 KB, 22 components nested, all up"),
    "spring2KbAuto": ("spring (auto)", "2 KB, 10 indicators with details, one down"),
    "spring2KbExplicit": ("spring", "the same, `format: spring`"),
    "microProfile": ("microprofile (auto)", "the specification's example: 2 checks, one down"),
    "healthJson": ("health+json (auto)", "the draft's example: 3 checks, one warn"),
    "vertx": ("vertx (auto)", "2 procedures, one down"),
    "plain": ("plain (auto)", "`{\"status\":\"ok\"}`"),
    "notADocumentUnderAuto": ("auto, not a document", "an HTML body: left alone after one byte"),
}
times, allocs = {}, {}
def number(text):
    return 0.0 if text.startswith("≈") else float(text.replace(",", ""))
for line in open(sys.argv[1]):
    tokens = line.split()
    if len(tokens) < 4 or "avgt" not in tokens or not tokens[0].startswith("HealthDocumentsBenchmark."):
        continue
    name = tokens[0].split(".", 1)[1]
    figures = tokens[tokens.index("avgt") + 1 : -1]  # [count] score [± error], then the unit
    if "≈" in figures:
        figures = ["≈"]
    if "±" in figures:
        score, error = number(figures[figures.index("±") - 1]), number(figures[figures.index("±") + 1])
    else:
        score, error = number(figures[-1]), 0.0
    if name.endswith(":gc.alloc.rate.norm"):
        allocs[name.split(":")[0]] = (score, error)
    elif ":" not in name:
        times[name] = (score, error)
missing = [name for name in what if name not in times]
if missing:
    sys.exit("no JMH figure for " + ", ".join(missing))
for name, (fmt, doc) in what.items():
    t, e = times[name]
    b = allocs.get(name, (float("nan"), 0))[0]
    print(f"| {fmt} | {doc} | {t:,.0f} ± {e:,.0f} | {b:,.0f} |")
print("| status | not read: the status code and the body condition decide | 0 | 0 |")
PY
}

documents_scenario() {
  local warmup=60 window=20
  documents_windows=3
  $quick && warmup=30 window=10
  documents_parse_costs || return 1
  log "documents: ${DOCUMENTS_SERVICES} services at ${DOCUMENTS_INTERVAL_S} s with format: status, ${DOCUMENTS_SERVICES} reading a 2 KB Spring document, side by side; ${warmup} s warm-up, ${documents_windows} windows of ${window} s"
  local dir="$work/documents" status_timeout_pid status_port spring_timeout_pid spring_port
  mkdir -p "$dir"
  documents_services "$dir/status.yaml" /s/ status
  documents_services "$dir/spring.yaml" /spring/ ""
  curl -fs -o /dev/null "http://$HOST:$target_port/reset"
  services_source="$dir/status.yaml" start_orchestrator "$DOCUMENTS_SERVICES"
  status_timeout_pid="$orch_pid" status_port="$orch_port"
  local status_log="$orch_log"
  services_source="$dir/spring.yaml" start_orchestrator "$DOCUMENTS_SERVICES"
  spring_timeout_pid="$orch_pid" spring_port="$orch_port"
  wait_http "http://$HOST:$status_port/health" 120 || { tail -20 "$status_log" >&2; fail "documents: the status orchestrator did not start"; return 1; }
  wait_http "http://$HOST:$spring_port/health" 120 || { tail -20 "$orch_log" >&2; fail "documents: the document orchestrator did not start"; return 1; }
  local status_pid spring_pid
  status_pid="$(java_pid_of "$status_timeout_pid")"
  spring_pid="$(java_pid_of "$spring_timeout_pid")"
  sleep "$warmup"

  local read_back
  read_back="$(documents_read_back "$spring_port")"
  [[ "$read_back" == "pass $DOCUMENTS_COMPONENTS" ]] ||
    fail "documents: the document orchestrator shows reported_status and components '$read_back' for s0, not 'pass $DOCUMENTS_COMPONENTS': it does not read the document"
  read_back="$(documents_read_back "$status_port")"
  [[ "$read_back" == "None 0" ]] ||
    fail "documents: the status orchestrator shows '$read_back' for s0: format: status read the body"

  local i ratios=() s_us=() d_us=() s_jit=() d_jit=()
  for i in $(seq "$documents_windows"); do
    local sc0 sf0 st0 dc0 df0 dt0 all0 doc0 scpu0 dcpu0 sjit0 djit0
    local sc1 sf1 su1 st1 dc1 df1 du1 dt1 all1 doc1 scpu1 dcpu1 sjit1 djit1
    read -r sc0 sf0 _ st0 < <(documents_checks "$status_port" status)
    read -r dc0 df0 _ dt0 < <(documents_checks "$spring_port" document)
    # The CPU read next to the target's counts, the JIT's outside them (it reads many files).
    sjit0="$(jit_cpu_us "$status_pid")" djit0="$(jit_cpu_us "$spring_pid")"
    read -r all0 doc0 < <(documents_target_counts)
    scpu0="$(cpu_us "$status_pid")" dcpu0="$(cpu_us "$spring_pid")"
    sleep "$window"
    scpu1="$(cpu_us "$status_pid")" dcpu1="$(cpu_us "$spring_pid")"
    read -r all1 doc1 < <(documents_target_counts)
    sjit1="$(jit_cpu_us "$status_pid")" djit1="$(jit_cpu_us "$spring_pid")"
    read -r sc1 sf1 su1 st1 < <(documents_checks "$status_port" status)
    read -r dc1 df1 du1 dt1 < <(documents_checks "$spring_port" document)
    local status_probes=$(((all1 - doc1) - (all0 - doc0))) document_probes=$((doc1 - doc0))
    ((status_probes > 0 && document_probes > 0)) || { fail "documents: window $i served no probes ($status_probes status, $document_probes document)"; continue; }
    local row
    row="$(python3 -c "
def off(reported, served): return abs(reported - served) * 100 / max(served, 1)
s, d = ($scpu1 - $scpu0) / $status_probes, ($dcpu1 - $dcpu0) / $document_probes
print(f'{s:.1f} {d:.1f} {d / s:.2f} {($sjit1 - $sjit0) / $status_probes:.1f} {($djit1 - $djit0) / $document_probes:.1f}',
      f'{off($sc1 - $sc0, $st1 - $st0):.2f} {off($dc1 - $dc0, $dt1 - $dt0):.2f}')")"
    local s d ratio sj dj s_off d_off
    read -r s d ratio sj dj s_off d_off <<<"$row"
    s_us+=("$s") d_us+=("$d") ratios+=("$ratio") s_jit+=("$sj") d_jit+=("$dj")
    log "documents: window $i: status ${s} µs/probe (JIT ${sj}) over $status_probes probes, document ${d} µs/probe (JIT ${dj}) over $document_probes probes: ${ratio}×"
    python3 -c "import sys; sys.exit(0 if $s_off <= $COUNT_MARGIN_PERCENT else 1)" ||
      fail "documents: window $i: the status orchestrator reported $((sc1 - sc0)) checks, the target served it $((st1 - st0)) ($s_off % off)"
    python3 -c "import sys; sys.exit(0 if $d_off <= $COUNT_MARGIN_PERCENT else 1)" ||
      fail "documents: window $i: the document orchestrator reported $((dc1 - dc0)) checks, the target served it $((dt1 - dt0)) ($d_off % off)"
    ((sf1 - sf0 + su1 == 0)) || fail "documents: window $i: status orchestrator: $((sf1 - sf0)) failed checks, $su1 services not healthy (false failures)"
    ((df1 - df0 + du1 == 0)) || fail "documents: window $i: document orchestrator: $((df1 - df0)) failed checks, $du1 services not healthy (false failures)"
    documents_rate_status="$(python3 -c "print(round($status_probes / $window))")"
    documents_rate_document="$(python3 -c "print(round($document_probes / $window))")"
  done
  stop "$status_timeout_pid"
  stop "$spring_timeout_pid"
  ((${#ratios[@]} > 0)) || return 1
  documents_status_us="$(median "${s_us[@]}")" documents_document_us="$(median "${d_us[@]}")"
  documents_status_jit="$(median "${s_jit[@]}")" documents_document_jit="$(median "${d_jit[@]}")"
  documents_ratio="$(python3 -c 'import sys,statistics; print(f"{statistics.median(float(x) for x in sys.argv[1:]):.2f}")' "${ratios[@]}")"
  documents_ratios="${ratios[*]}"
  documents_window="$window" documents_warmup="$warmup"
  documents_verdict="$(python3 -c "print('meets' if $documents_ratio < $DOCUMENTS_GOAL_RATIO else 'misses')")"
  documents_load="$(cut -d' ' -f1-3 /proc/loadavg)"
  log "documents: status ${documents_status_us} µs/probe, document ${documents_document_us} µs/probe: ${documents_ratio}× (${documents_verdict} the goal < ${DOCUMENTS_GOAL_RATIO}×), load average ${documents_load}"
}

# The run's own checks of this scenario, as the section states them.
documents_check_summary() {
  local failure found=()
  for failure in "${failures[@]}"; do
    [[ "$failure" == documents:* ]] && found+=("${failure#documents: }")
  done
  if ((${#found[@]} == 0)); then
    echo "all passed"
  else
    printf 'FAILED: %s' "$(IFS=';'; echo "${found[*]}")"
  fi
}

write_documents_section() {
  local commit
  commit="$(git -C "$repo" rev-parse --short HEAD 2>/dev/null || echo unknown)"
  write_bench_section "$DOCUMENTS_BEGIN" "$DOCUMENTS_END" "$(cat <<SECTION
### Health documents: CPU per probe and parse cost per format (\`scripts/bench --documents\`)

Two orchestrators side by side over the same target, ${DOCUMENTS_SERVICES} services each every ${DOCUMENTS_INTERVAL_S} s with
reused connections: one with \`format: status\` against \`{"status":"ok"}\` (today's probe: the
body is not read), the other under the default \`format: auto\` against the 2 KB Spring Boot
Actuator document of \`bench.ActuatorDocument\` (${DOCUMENTS_COMPONENTS} components, composites nested,
all up; recognised, parsed, its components kept in the status, the metrics and the events). Both
warmed up together for ${documents_warmup} s, then measured over the same ${documents_windows}
windows of ${documents_window} s: CPU (utime+stime of the JVM, JIT compiler threads included) per
request the target served each. The script checks that each orchestrator's checks agree with what
the target served it and that no check failed. Measured on $(date -u +%Y-%m-%d) at commit
\`$commit\`, load average ${documents_load} on $(nproc) cores (shared with other builds):
compare the two columns, not runs.

| probe | probes/s (last window) | CPU µs/probe (median) | of which JIT |
|---|---:|---:|---:|
| \`format: status\`, \`{"status":"ok"}\` | ${documents_rate_status} | ${documents_status_us} | ${documents_status_jit} |
| \`format: auto\`, 2 KB Spring document | ${documents_rate_document} | ${documents_document_us} | ${documents_document_jit} |
| ratio document / status (goal < ${DOCUMENTS_GOAL_RATIO}×; per window: ${documents_ratios// /, }) | | ${documents_ratio}× (${documents_verdict}) | |

Parse cost per format: \`HealthDocuments.read\` on a body already read, as the probe calls it
(JMH \`HealthDocumentsBenchmark\`, \`${documents_jmh_args}\`, \`-prof gc\`, same run). JMH
times an operation by the wall clock: on a loaded machine a thread waiting for a core counts, so
where the error exceeds the score, read the order of the rows, not the figures.

| format | document | ns/op | B/op |
|---|---|---:|---:|
${documents_parse_rows}

Self-checks: $(documents_check_summary).
SECTION
)"
  log "wrote the documents section of $OUT"
}
