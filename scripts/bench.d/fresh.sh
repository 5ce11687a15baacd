# shellcheck shell=bash
# scripts/bench --fresh: the orchestrator at blackbox_exporter's semantics (a new connection, and over
# HTTPS a full TLS handshake, per probe), sourced by scripts/bench, which provides log, fail,
# free_port, cpu_us, rss_mb, java_pid_of, stop, wait_http, status_json, summarise_status, pids,
# work, JAR, HOST, PROCESS_LIMIT, cds_options, COUNT_MARGIN_PERCENT and quick.
#
# 1. Side by side against one LoadTarget, at 1,000 probes/s over HTTP, and at FRESH_HTTPS_RATE over
#    HTTPS (a self-signed certificate made here with openssl, trusted by each prober; slower rows
#    for the JDK's TLS, see below): the orchestrator (1,000 services
#    at 1 s, `connection: fresh`; over HTTPS with each TLS engine), blackbox_exporter (driven by
#    bench.BlackboxDriver as Prometheus would) and the floor (bench.FreshFloor: a bare Vert.x
#    WebClient with keepAlive=false, nothing else in the process). CPU per probe of the prober only.
# 2. 10,000 services at 10 s with fresh connections, spread over 8 loopback addresses: schedule lag,
#    false failures, and the sockets left in TIME_WAIT on each side.
# Writes its own section of docs/benchmarks.md between markers.

readonly FRESH_BEGIN="<!-- scripts/bench --fresh: begin -->"
readonly FRESH_END="<!-- scripts/bench --fresh: end -->"
readonly FRESH_ADDRESSES=8
# HTTPS rows run below 1,000 handshakes/s: at 1,000/s blackbox_exporter (1.8 ms of CPU each)
# and the target's half of the handshakes needed more than this machine's 2 cores, and every
# HTTPS prober is measured at the same rate as the one it is compared with (1,000 services at 2 s).
readonly FRESH_HTTPS_RATE=500
# The JDK's TLS, 3-4 ms of the prober's CPU per handshake, at half that (1,000 services at 4 s).
readonly FRESH_JDK_RATE=250

# Starts LoadTarget on its own port; sets fresh_target_port, fresh_target_pid (of `timeout`).
start_fresh_target() { # name, extra LoadTarget options...
  local name="$1"
  shift
  fresh_target_port="$(free_port)"
  timeout "$PROCESS_LIMIT" java -cp "$JAR" io.extrophi.orchestrator.bench.LoadTarget \
    --port "$fresh_target_port" "$@" >"$work/$name.log" 2>&1 &
  fresh_target_pid=$!
  pids+=("$fresh_target_pid")
  local deadline=$((SECONDS + 60))
  until grep -q "listening" "$work/$name.log"; do
    ((SECONDS < deadline)) || { cat "$work/$name.log" >&2; echo "scripts/bench: $name did not start" >&2; exit 1; }
    sleep 0.2
  done
}
# The target's count; a few tries, since a target answering 1,000 new connections/s on a loaded
# machine may take a while; "n/a" (which fails the row's checks) if it never answers.
fresh_count() { # port, scheme
  local body try
  for try in 1 2 3; do
    body="$(curl -fs --max-time 15 --cacert "$work/tls/cert.pem" "$2://$HOST:$1/count")" &&
      { python3 -c 'import json,sys; print(json.loads(sys.argv[1])["requests"])' "$body"; return; }
  done
  echo n/a
}

# The orchestrator over N services at an interval on URL_PREFIX<i>; sets orch_pid, orch_port.
# URL prefixes are given as a list: service i uses prefix i % count (several loopback addresses).
start_fresh_orchestrator() { # count interval engine ca_file prefix...
  local count="$1" interval="$2" engine="$3" ca="$4" dir="$work/fresh-$RANDOM$RANDOM"
  shift 4
  mkdir -p "$dir/conf"
  python3 - "$count" "$interval" "$ca" "$@" >"$dir/services.yaml" <<'PY'
import sys
count, interval, ca, prefixes = int(sys.argv[1]), sys.argv[2], sys.argv[3], sys.argv[4:]
lines = ["services:"]
for i in range(count):
    lines += [f"  - name: s{i}", f"    url: {prefixes[i % len(prefixes)]}{i}", f"    interval: {interval}",
              "    timeout: 5"]
    if ca != "-":
        lines.append(f"    tls_ca_file: {ca}")
print("\n".join(lines))
PY
  orch_port="$(free_port)"
  (cd "$dir" && HTTP_HOST=$HOST HTTP_PORT=$orch_port SERVICES_FILE="$dir/services.yaml" \
    DATA_DIR=none HEALTH_CHECK_INTERVAL="$interval" HEALTH_CHECK_TIMEOUT=5 MAX_IN_FLIGHT_PROBES=2000 \
    PROBE_CONNECTION=fresh PROBE_TLS_ENGINE="$engine" LOG_LEVEL=WARN MALLOC_ARENA_MAX=2 \
    exec timeout "$PROCESS_LIMIT" java @"$repo/conf/jvm.options" "${cds_options[@]}" -jar "$JAR" \
    >"$dir/orchestrator.log" 2>&1) &
  orch_pid=$!
  pids+=("$orch_pid")
  orch_log="$dir/orchestrator.log"
}

# One orchestrator row: 1,000 services at 1 s (or at INTERVAL s: 1,000/INTERVAL probes/s);
# prints "rate us_per_probe rss failures count_diff_pct".
fresh_orchestrator_row() { # label scheme engine ca port [interval]
  local scheme="$2" engine="$3" ca="$4" port="$5"
  start_fresh_orchestrator 1000 "${6:-1}" "$engine" "$ca" "$scheme://$HOST:$port/s/"
  wait_http "http://$HOST:$orch_port/health" 90 || { tail -20 "$orch_log" >&2; fail "fresh: $1 did not start"; stop "$orch_pid"; echo "0 0 0 -1 100"; return; }
  local pid; pid="$(java_pid_of "$orch_pid")"
  sleep "$fresh_warmup"
  local c0 cpu0 t0 f0 c1 cpu1 t1 f1 u1 rss
  c0="$(fresh_count "$port" "$scheme")"; cpu0="$(cpu_us "$pid")"; t0="$(now_ns)"
  read -r _ f0 _ < <(status_json | summarise_status)
  sleep "$fresh_window"
  c1="$(fresh_count "$port" "$scheme")"; cpu1="$(cpu_us "$pid")"; t1="$(now_ns)"
  read -r _ f1 u1 < <(status_json | summarise_status)
  rss="$(rss_mb "$pid")"
  grep -q "BoringSSL cannot load" "$orch_log" && log "fresh: $1: $(grep -m1 'BoringSSL cannot load' "$orch_log")"
  stop "$orch_pid"
  if [[ "$c0$c1" == *n/a* ]]; then
    log "fresh: $1: the target did not answer its count"
    echo "0 0 $rss $((f1 - f0 + u1)) 100"
    return
  fi
  python3 -c "d=$c1-$c0; s=($t1-$t0)/1e9; print(f'{d/s:.0f} {($cpu1-$cpu0)/max(d,1):.1f} $rss $((f1 - f0 + u1)) 0')"
}

# blackbox_exporter at RATE probes/s; prints "rate us_per_probe rss failures count_diff_pct".
fresh_blackbox_row() { # module scheme port rate
  local bb_port bb_timeout_pid bb_pid tally c0 c1 cpu0 cpu1 rss
  bb_port="$(free_port)"
  timeout "$PROCESS_LIMIT" prometheus-blackbox-exporter --config.file="$work/fresh-blackbox.yml" \
    --web.listen-address="$HOST:$bb_port" >"$work/fresh-blackbox.log" 2>&1 &
  bb_timeout_pid=$!
  pids+=("$bb_timeout_pid")
  wait_http "http://$HOST:$bb_port/metrics" 30 || { cat "$work/fresh-blackbox.log" >&2; exit 1; }
  bb_pid="$(pgrep -P "$bb_timeout_pid" | head -1)"; bb_pid="${bb_pid:-$bb_timeout_pid}"
  local drive=(timeout 300 java -cp "$JAR" io.extrophi.orchestrator.bench.BlackboxDriver --exporter-port "$bb_port"
    --target-port "$3" --paths 1000 --rate "$4" --module "$1" --target-scheme "$2")
  local no_tally='{"rate": 0, "succeeded": 0, "failed": -1, "first_failure": "no tally"}'
  "${drive[@]}" --seconds 10 >/dev/null || fail "fresh: BlackboxDriver ($1) warm-up failed"
  c0="$(fresh_count "$3" "$2")"; cpu0="$(cpu_us "$bb_pid")"
  # The JSON tally is the last line (a warning of the JVM's may come before it).
  tally="$("${drive[@]}" --seconds "$fresh_window" | tail -1)" || true
  [[ "$tally" == "{"* ]] || tally="$no_tally"
  c1="$(fresh_count "$3" "$2")"; cpu1="$(cpu_us "$bb_pid")"
  rss="$(rss_mb "$bb_pid")"
  stop "$bb_timeout_pid"
  python3 -c '
import json, sys
t = json.loads(sys.argv[1]); c0, c1, cpu0, cpu1 = (float(v) if v != "n/a" else float("nan") for v in sys.argv[2:6])
ok = max(t["succeeded"], 1)
diff = abs((c1 - c0) - ok) / ok * 100
print(t["rate"], f"{(cpu1 - cpu0) / ok:.1f}", sys.argv[6], t["failed"], f"{diff:.1f}" if diff == diff else "100")
if t["failed"]: print("first failure:", t["first_failure"], file=sys.stderr)' "$tally" "$c0" "$c1" "$cpu0" "$cpu1" "$rss"
}

# The floor: bench.FreshFloor at RATE/s; prints "rate us_per_probe rss failures count_diff_pct".
fresh_floor_row() { # port rate [--ca-file F --engine E]
  local port="$1" rate="$2" tally
  shift 2
  tally="$(timeout 300 java -cp "$JAR" io.extrophi.orchestrator.bench.FreshFloor --target-port "$port" \
    --rate "$rate" --paths 1000 --warmup "$fresh_warmup" --seconds "$fresh_window" "$@" | tail -1)" || true
  [[ "$tally" == "{"* ]] ||
    tally='{"rate": 0, "cpu_us_per_request": 0, "failed": -1, "first_failure": "no tally"}'
  python3 -c '
import json, sys
t = json.loads(sys.argv[1])
print(t["rate"], t["cpu_us_per_request"], "-", t["failed"], 0)
if t["failed"]: print("first failure:", t["first_failure"], file=sys.stderr)' "$tally"
}

fresh_check_row() { # label "rate us rss failures diff" [rate asked, 1,000 by default]
  local label="$1" asked="${3:-1000}" rate us rss failed diff
  read -r rate us rss failed diff <<<"$2"
  log "fresh: $label: $us µs/probe at $rate/s, RSS $rss MB, failures $failed, count difference $diff %"
  ((failed == 0)) || fail "fresh: $label: $failed probes failed against a target that answers every one"
  python3 -c "import sys; sys.exit(0 if float('$diff') <= $COUNT_MARGIN_PERCENT else 1)" ||
    fail "fresh: $label: successful probes and the target count differ by $diff %"
  python3 -c "import sys; sys.exit(0 if int('$rate') >= 0.9 * $asked else 1)" ||
    fail "fresh: $label: $rate probes/s, not the $asked/s asked"
}

# 10,000 services at 10 s, fresh, over FRESH_ADDRESSES loopback addresses; sets fresh_fleet_row.
fresh_fleet() {
  local n=10000 prefixes=() i
  $quick && n=3000
  for i in $(seq 1 "$FRESH_ADDRESSES"); do prefixes+=("http://127.0.0.$i:$fresh_http_port/s/"); done
  log "fresh: $n services at 10 s over $FRESH_ADDRESSES loopback addresses"
  start_fresh_orchestrator "$n" 10 auto - "${prefixes[@]}"
  wait_http "http://$HOST:$orch_port/health" 120 || { tail -20 "$orch_log" >&2; fail "fresh: $n services did not start"; fresh_fleet_row="| $n | did not start | | | | | |"; stop "$orch_pid"; return; }
  local pid; pid="$(java_pid_of "$orch_pid")"
  sleep "$fresh_fleet_warmup"
  local c0 c1 cpu0 cpu1 t0 t1 f0 f1 u1 lag tw_server tw_client
  c0="$(fresh_count "$fresh_http_port" http)"; cpu0="$(cpu_us "$pid")"; t0="$(now_ns)"
  read -r _ f0 _ < <(status_json | summarise_status)
  sleep "$fresh_fleet_window"
  # Sockets in TIME_WAIT toward the target (client side: the orchestrator's ephemeral port) and on
  # the target's port (server side): whichever side closes first keeps them for 60 s.
  tw_server="$(ss -Htan state time-wait "( sport = :$fresh_http_port )" | wc -l)"
  tw_client="$(ss -Htan state time-wait "( dport = :$fresh_http_port )" | wc -l)"
  c1="$(fresh_count "$fresh_http_port" http)"; cpu1="$(cpu_us "$pid")"; t1="$(now_ns)"
  read -r _ f1 u1 < <(status_json | summarise_status)
  lag="$(curl -s --max-time 30 "http://$HOST:$orch_port/health/schedule" | python3 -c '
import json, sys
s = json.load(sys.stdin); print(s["lag"]["p50_ms"], s["lag"]["p99_ms"], s["missed_slots"])')" || lag="n/a n/a n/a"
  local rss; rss="$(rss_mb "$pid")"
  stop "$orch_pid"
  local rate us p50 p99 missed false_failures=$((f1 - f0 + u1))
  read -r p50 p99 missed <<<"$lag"
  if [[ "$c0$c1" == *n/a* ]]; then
    fail "fresh: $n services at 10 s: the target did not answer its count"
    rate=0 us=0
  else
    read -r rate us < <(python3 -c "d=$c1-$c0; print(f'{d/(($t1-$t0)/1e9):.0f} {($cpu1-$cpu0)/max(d,1):.1f}')")
  fi
  log "fresh: $n services at 10 s: $rate/s, $us µs/probe, lag p50/p99 $p50/$p99 ms, false failures $false_failures, TIME_WAIT server $tw_server client $tw_client"
  ((false_failures == 0)) || fail "fresh: $n services at 10 s: $false_failures false failures"
  python3 -c "import sys; sys.exit(0 if '$p99' != 'n/a' and float('$p99') < 200 else 1)" ||
    fresh_lag_verdict="NOT MET" 
  fresh_fleet_row="| $n services at 10 s, fresh, over $FRESH_ADDRESSES loopback addresses | $rate | $us | $p50 / $p99 ms (< 200) ${fresh_lag_verdict:-met} | $missed | $false_failures | $tw_server / $tw_client | $rss |"
}

fresh_scenario() {
  fresh_warmup=20 fresh_window=30 fresh_fleet_warmup=40 fresh_fleet_window=30
  $quick && fresh_warmup=10 fresh_window=10 fresh_fleet_warmup=25 fresh_fleet_window=15
  command -v openssl >/dev/null || { echo "scripts/bench: openssl is required for --fresh" >&2; exit 1; }
  mkdir -p "$work/tls"
  local san="IP:127.0.0.1" i
  for i in $(seq 2 "$FRESH_ADDRESSES"); do san+=",IP:127.0.0.$i"; done
  # ECDSA P-256, as most public sites serve now: with RSA-2048 the target's signing alone (about
  # 1-2 ms of CPU per handshake on the JDK) would take both cores at 1,000 handshakes/s.
  openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes -days 2 -subj "/CN=orchestrator bench" \
    -addext "subjectAltName=$san" -keyout "$work/tls/key.pem" -out "$work/tls/cert.pem" 2>/dev/null ||
    { echo "scripts/bench: openssl could not make the certificate" >&2; exit 1; }
  local ca="$work/tls/cert.pem"
  cat >"$work/fresh-blackbox.yml" <<YAML
modules:
  http_2xx:
    prober: http
    timeout: 5s
    http:
      preferred_ip_protocol: ip4
  https_2xx:
    prober: http
    timeout: 5s
    http:
      preferred_ip_protocol: ip4
      tls_config:
        ca_file: $ca
YAML
  start_fresh_target fresh-http-target --addresses "$FRESH_ADDRESSES"
  fresh_http_port=$fresh_target_port fresh_http_pid=$fresh_target_pid
  start_fresh_target fresh-https-target --tls-cert "$work/tls/cert.pem" --tls-key "$work/tls/key.pem"
  fresh_https_port=$fresh_target_port fresh_https_pid=$fresh_target_pid

  log "fresh: 1,000 probes/s, each prober in turn, warm-up ${fresh_warmup}s, window ${fresh_window}s"
  local http_ours http_bb http_floor https_jdk https_ssl https_bb floor_jdk floor_ssl
  http_ours="$(fresh_orchestrator_row "orchestrator HTTP" http auto - "$fresh_http_port")"
  fresh_check_row "orchestrator HTTP" "$http_ours"
  http_floor="$(fresh_floor_row "$fresh_http_port" 1000)"
  fresh_check_row "floor HTTP" "$http_floor"
  http_bb="$(fresh_blackbox_row http_2xx http "$fresh_http_port" 1000)"
  fresh_check_row "blackbox_exporter HTTP" "$http_bb"
  # The JDK's TLS at a quarter of the rate: 1,000 handshakes a second would need 3-4 cores.
  https_jdk="$(fresh_orchestrator_row "orchestrator HTTPS jdk" https jdk "$ca" "$fresh_https_port" 4)"
  fresh_check_row "orchestrator HTTPS jdk" "$https_jdk" "$FRESH_JDK_RATE"
  https_ssl="$(fresh_orchestrator_row "orchestrator HTTPS openssl" https openssl "$ca" "$fresh_https_port" 2)"
  fresh_check_row "orchestrator HTTPS openssl" "$https_ssl" "$FRESH_HTTPS_RATE"
  floor_jdk="$(fresh_floor_row "$fresh_https_port" "$FRESH_JDK_RATE" --ca-file "$ca" --engine jdk)"
  fresh_check_row "floor HTTPS jdk" "$floor_jdk" "$FRESH_JDK_RATE"
  floor_ssl="$(fresh_floor_row "$fresh_https_port" "$FRESH_HTTPS_RATE" --ca-file "$ca" --engine openssl)"
  fresh_check_row "floor HTTPS openssl" "$floor_ssl" "$FRESH_HTTPS_RATE"
  https_bb="$(fresh_blackbox_row https_2xx https "$fresh_https_port" "$FRESH_HTTPS_RATE")"
  fresh_check_row "blackbox_exporter HTTPS" "$https_bb" "$FRESH_HTTPS_RATE"
  stop "$fresh_https_pid"

  fresh_fleet
  stop "$fresh_http_pid"

  local us_of='{print $2}'
  local v_http_ours v_http_bb v_http_floor v_jdk v_ssl v_bb v_fjdk v_fssl
  v_http_ours="$(awk "$us_of" <<<"$http_ours")" v_http_bb="$(awk "$us_of" <<<"$http_bb")"
  v_http_floor="$(awk "$us_of" <<<"$http_floor")" v_jdk="$(awk "$us_of" <<<"$https_jdk")"
  v_ssl="$(awk "$us_of" <<<"$https_ssl")" v_bb="$(awk "$us_of" <<<"$https_bb")"
  v_fjdk="$(awk "$us_of" <<<"$floor_jdk")" v_fssl="$(awk "$us_of" <<<"$floor_ssl")"
  # ratio a/b, with "met" when it is at most the goal
  # (a row that measured nothing, 0 µs, gives no verdict)
  ratio() { python3 -c "a, b = $1, $2; r = a / max(b, 0.001); print('no figure' if a <= 0 or b <= 0 else f'{r:.2f}× ' + ('met' if r <= $3 else 'NOT MET'))"; }
  local row
  row() { # label figures
    local rate us rss failed diff
    read -r rate us rss failed diff <<<"$2"
    printf '| %s | %s | %s | %s | %s |\n' "$1" "$rate" "$us" "$rss" "$failed"
  }
  local best_https best_engine
  if python3 -c "import sys; sys.exit(0 if 0 < $v_ssl and ($v_jdk <= 0 or $v_ssl <= $v_jdk) else 1)"; then best_https=$v_ssl best_engine=openssl; else best_https=$v_jdk best_engine=jdk; fi
  fresh_section="$(
    cat <<SECTION
$FRESH_BEGIN
### Fresh connections: at blackbox_exporter's semantics (\`scripts/bench --fresh\`)

A new connection per probe for every prober, and over HTTPS a full TLS handshake per probe (a
self-signed ECDSA P-256 certificate made by the script, trusted by each prober: blackbox_exporter
through \`tls_config.ca_file\`, the orchestrator through the service's \`tls_ca_file\`, the floor
through \`PemTrustOptions\`; the target serves TLS with BoringSSL). 1,000 probes/s over HTTP,
$FRESH_HTTPS_RATE/s over HTTPS ($FRESH_JDK_RATE/s with the JDK's TLS: at 1,000 handshakes a second the
HTTPS probers and the target's half of the handshakes needed more than the 2 cores), against one
\`bench.LoadTarget\` (2 event loops),
each prober in turn, ${fresh_warmup} s warm-up, ${fresh_window} s window; CPU (utime+stime) of the
prober's process only, per successful probe. The orchestrator: 1,000 services at 1 s,
\`PROBE_CONNECTION=fresh\`, shipped \`conf/jvm.options\`. blackbox_exporter
($(prometheus-blackbox-exporter --version 2>&1 | head -1 | sed 's/ (.*//')): one \`GET /probe\` per
probe from \`bench.BlackboxDriver\`. The floor: \`bench.FreshFloor\`, a bare Vert.x 5 \`WebClient\`
with \`keepAlive=false\` at the same rate, nothing else in its JVM (default options).

| prober | probes/s | CPU µs/probe | RSS MB | failures |
|---|---:|---:|---:|---:|
$(row "orchestrator, HTTP" "$http_ours")
$(row "floor (bare WebClient, keepAlive=false), HTTP" "$http_floor")
$(row "blackbox_exporter, HTTP" "$http_bb")
$(row "orchestrator, HTTPS, \`PROBE_TLS_ENGINE=jdk\` (at $FRESH_JDK_RATE/s)" "$https_jdk")
$(row "orchestrator, HTTPS, \`PROBE_TLS_ENGINE=openssl\` (BoringSSL, at $FRESH_HTTPS_RATE/s)" "$https_ssl")
$(row "floor, HTTPS, JDK TLS (at $FRESH_JDK_RATE/s)" "$floor_jdk")
$(row "floor, HTTPS, BoringSSL (at $FRESH_HTTPS_RATE/s)" "$floor_ssl")
$(row "blackbox_exporter, HTTPS (at $FRESH_HTTPS_RATE/s)" "$https_bb")

| goal | figure | verdict |
|---|---:|---|
| HTTP: orchestrator ≤ 1/4 of blackbox_exporter's CPU per probe | $v_http_ours / $v_http_bb µs | $(ratio "$v_http_ours" "$v_http_bb" 0.25) |
| HTTPS: orchestrator ($best_engine, the default where it loads) ≤ 1/2 of blackbox_exporter's | $best_https / $v_bb µs | $(ratio "$best_https" "$v_bb" 0.5) |
| HTTP: orchestrator within 1.3× of the floor | $v_http_ours / $v_http_floor µs | $(ratio "$v_http_ours" "$v_http_floor" 1.3) |
| HTTPS, JDK TLS: orchestrator within 1.3× of the floor | $v_jdk / $v_fjdk µs | $(ratio "$v_jdk" "$v_fjdk" 1.3) |
| HTTPS, BoringSSL: orchestrator within 1.3× of the floor | $v_ssl / $v_fssl µs | $(ratio "$v_ssl" "$v_fssl" 1.3) |

Many services at a longer interval, fresh connections, spread over loopback addresses 127.0.0.1
to 127.0.0.$FRESH_ADDRESSES (one \`bench.LoadTarget\` bound to each explicitly), ${fresh_fleet_warmup} s
warm-up, ${fresh_fleet_window} s window. Lag is the orchestrator's own (\`GET /health/schedule\`,
last 25-30 s); false failures are the failed checks in the window plus the services not healthy
at its end (must be 0). TIME_WAIT: sockets counted by \`ss\` at the end of the window on the
target's port (server side) and toward it (client side); ephemeral ports
$(tr '\t' '-' </proc/sys/net/ipv4/ip_local_port_range), \`tcp_tw_reuse\`=$(cat /proc/sys/net/ipv4/tcp_tw_reuse).

| fleet | probes/s | CPU µs/probe | schedule lag p50 / p99 (goal) | slots missed | false failures | TIME_WAIT server / client | RSS MB |
|---|---:|---:|---|---:|---:|---:|---:|
$fresh_fleet_row

Measured on $(date -u +%Y-%m-%d) at commit \`$(git -C "$repo" rev-parse --short HEAD 2>/dev/null || echo unknown)\`, load
average $(cut -d' ' -f1 /proc/loadavg) on $(nproc) cores at its end: compare the rows of one run, not runs.
$FRESH_END
SECTION
  )"
  log "fresh:"$'\n'"$fresh_section"
  SECTION="$fresh_section" python3 - "$OUT" "$FRESH_BEGIN" "$FRESH_END" <<'PY'
import os, re, sys
path, begin, end = sys.argv[1:4]
section = os.environ["SECTION"]
text = open(path).read() if os.path.exists(path) else "# Benchmarks\n"
pattern = re.compile(re.escape(begin) + ".*?" + re.escape(end), re.S)
text = pattern.sub(lambda _: section, text) if pattern.search(text) else text.rstrip("\n") + "\n\n" + section + "\n"
open(path, "w").write(text)
PY
  log "wrote the fresh connections section of $OUT"
}
