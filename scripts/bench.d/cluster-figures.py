# The figures of the cluster scenario (scripts/bench.d/cluster.sh) from what it collected in one
# directory: prints the Markdown of its section and exits with status 1 when a self-check fails
# (each printed on stderr).
#
#   python3 cluster-figures.py DIR SERVICES STATE_MB BASE_MARGIN_PERCENT
#
# DIR holds single-start.json, single-end.json, start.json, end.json (cluster-sample.py), launch
# (the launch time of nodes 1 and 2, ns), trace (the target's count every half second during the
# joins: "ns count"), node0.log .. node2.log, and jfr-*.txt when the run was profiled.
import glob
import json
import os
import re
import statistics
import sys
from datetime import datetime, timezone

folder, services, state_mb, base = sys.argv[1], int(sys.argv[2]), sys.argv[3], float(sys.argv[4]) / 100


def load(name):
    with open(os.path.join(folder, name)) as f:
        return json.load(f)


def rate(first, last, field):
    """Per second between two reads placed at their middles, and how far off it may be (relative)."""
    seconds = (last["at_ns"] - first["at_ns"]) / 1e9
    return (last[field] - first[field]) / seconds, (first["half_ns"] + last["half_ns"]) / 1e9 / seconds


def node_window(first, last, cpu_seconds):
    """A node's rates between two samples; CPU over the time between them that no read took."""
    own, own_off = rate(first["metrics"], last["metrics"], "own")
    seen, seen_off = rate(first["status"], last["status"], "seen")
    metrics_seconds = (last["metrics"]["at_ns"] - first["metrics"]["at_ns"]) / 1e9
    traffic = {
        key: (last["metrics"]["traffic"].get(key, 0) - first["metrics"]["traffic"].get(key, 0)) / metrics_seconds
        for key in set(first["metrics"]["traffic"]) | set(last["metrics"]["traffic"])
    }
    threads = {
        name: (last["threads_before_us"].get(name, 0) - first["threads_after_us"].get(name, 0)) / cpu_seconds
        for name in last["threads_before_us"]
    }
    return dict(
        cpu=(last["cpu_before_us"] - first["cpu_after_us"]) / cpu_seconds,  # µs of CPU per second
        own=own, own_off=own_off, seen=seen, seen_off=seen_off, traffic=traffic, threads=threads,
        seconds=metrics_seconds,
    )


checks = []

# One node alone.
single_start, single_end = load("single-start.json"), load("single-end.json")
single = node_window(single_start["nodes"][0], single_end["nodes"][0],
                     (single_end["cpu_before_ns"] - single_start["cpu_after_ns"]) / 1e9)
single_target, single_target_off = rate(single_start["target"], single_end["target"], "count")
single_cpu = single["cpu"] / max(single["own"], 1e-9)
allowed = base + single["own_off"] + single_target_off
if abs(single["own"] - single_target) > single_target * allowed:
    checks.append(f"one node: {single['own']:.0f} probes/s of its own, the target counted {single_target:.0f}/s"
                  f" (allowed {allowed * 100:.1f} %)")

# Three nodes.
start, end = load("start.json"), load("end.json")
nodes = [node_window(a, b, (end["cpu_before_ns"] - start["cpu_after_ns"]) / 1e9)
         for a, b in zip(start["nodes"], end["nodes"])]
target, target_off = rate(start["target"], end["target"], "count")
own_total = sum(x["own"] for x in nodes)
allowed = base + max(x["own_off"] for x in nodes) + target_off
tolerances = [f"own probes against the target: {allowed * 100:.1f} %"]
if abs(own_total - target) > target * allowed:
    checks.append(f"the nodes' own probes ({own_total:.0f}/s) and the target's count ({target:.0f}/s) differ by"
                  f" more than {allowed * 100:.1f} %")
rows = []
for i, x in enumerate(nodes):
    applied = x["seen"] - x["own"]
    others = own_total - x["own"]
    others_off = max(y["own_off"] for j, y in enumerate(nodes) if j != i)
    slack = others * (base + others_off) + x["seen"] * x["seen_off"] + x["own"] * x["own_off"]
    tolerances.append(f"node {i}'s applied results against the others' probes: {slack / max(others, 1) * 100:.1f} %")
    if abs(applied - others) > slack:
        checks.append(f"node {i} applied {applied:.0f} remote results/s, the others probed {others:.0f}/s"
                      f" (allowed {slack:.0f}/s)")
    # What the node spends beyond what a single node spends on as many probes of its own.
    extra = x["cpu"] - x["own"] * single_cpu
    t = lambda key: x["traffic"].get(key, 0)
    rows.append(
        f"| node {i} | {x['own']:.0f} | {applied:.0f} | {x['cpu'] / 1e4:.0f} % | {x['cpu'] / max(x['own'], 1e-9):.1f} | "
        f"{extra / max(applied, 1e-9):.1f} | {t('messages_sent_events'):.0f} / {t('bytes_sent_events') / 1024:.0f} KiB | "
        f"{t('messages_received_events'):.0f} / {t('bytes_received_events') / 1024:.0f} KiB |")
cluster_cpu = sum(x["cpu"] for x in nodes) / max(own_total, 1e-9)
ratio = cluster_cpu / max(single_cpu, 1e-9)
# The same from the target's count, which is read in milliseconds where a node's counters take
# seconds under load: the steadier figure of the two.
single_cpu_target = single["cpu"] / max(single_target, 1e-9)
cluster_cpu_target = sum(x["cpu"] for x in nodes) / max(target, 1e-9)
ratio_target = cluster_cpu_target / max(single_cpu_target, 1e-9)


def top_threads(x, count=5):
    busiest = sorted(x["threads"].items(), key=lambda kv: -kv[1])[:count]
    return ", ".join(f"{name} {us / 1e4:.0f} %" for name, us in busiest)


# The joins, from the nodes' logs.
def log_lines(i):
    with open(os.path.join(folder, f"node{i}.log"), errors="replace") as f:
        return f.read().splitlines()


def at_ns(line):
    try:
        moment = datetime.strptime(line[:23], "%Y-%m-%dT%H:%M:%S.%f").replace(tzinfo=timezone.utc)
    except ValueError:
        return None
    return int(moment.timestamp() * 1e9)


ASSIGNED = re.compile(r"cluster: (\d+) orchestrator nodes, this node \(\S+\) probes (\d+) of")
FIRST_ROUND = re.compile(r"monitoring (\d+) services")
COPIED = re.compile(r"continued from the state of node \S+: (\d+) services in (\d+) ms \((\d+) chunks, (\d+) bytes,"
                    r" the largest (\d+) bytes\)")
with open(os.path.join(folder, "launch")) as f:
    launched = {int(i): int(ns) for i, ns in (line.split() for line in f if line.strip())}
trace = []
if os.path.exists(os.path.join(folder, "trace")):
    with open(os.path.join(folder, "trace")) as f:
        trace = [tuple(map(int, line.split())) for line in f if len(line.split()) == 2]
join_rows = []
for i in (1, 2):
    lines = log_lines(i)
    blocked = sum("has been blocked for" in line for line in lines)
    copied = next((COPIED.search(line) for line in lines if COPIED.search(line)), None)
    # The joining node probes its share from its first round on (begun after its first assignment
    # with a share, in this version; at the end of its start, in earlier ones).
    assigned = next((at_ns(line) for line in lines
                     if (m := ASSIGNED.search(line)) and int(m.group(1)) == i + 1 and int(m.group(2)) > 0), None)
    first_round = next((at_ns(line) for line in lines
                        if (m := FIRST_ROUND.search(line)) and int(m.group(1)) > 0), None)
    takeover = max(t for t in (assigned, first_round) if t is not None) if assigned or first_round else None
    # The moment the nodes already there stop probing the joining node's share: their first line
    # that counts it.
    handovers = [at_ns(line) for j in range(i) for line in log_lines(j)
                 if (m := ASSIGNED.search(line)) and int(m.group(1)) == i + 1 and at_ns(line)]
    handover = min(handovers) if handovers else None
    gap = "n/a" if takeover is None or handover is None else f"{max(0, takeover - handover) / 1e9:.1f} s"
    # The probes the target saw per second, in 2 s steps, from the launch to 5 s after the take-over.
    until = (takeover or launched[i]) + 5_000_000_000
    window = [p for p in trace if launched[i] <= p[0] <= until]
    rates = [(b[1] - a[1]) / ((b[0] - a[0]) / 1e9) for a, b in zip(window[::4], window[4::4])]
    seen_rates = f"{min(rates):,.0f} / {statistics.median(rates):,.0f}" if rates else "n/a"
    if copied:
        ms, chunks, total, largest = copied.group(2), copied.group(3), int(copied.group(4)), int(copied.group(5))
        join_rows.append(f"| node {i} joins | {int(ms):,} ms | {chunks} | {total / 1048576:.1f} MB | "
                         f"{largest / 1048576:.1f} MB | {blocked} | {gap} | {seen_rates} |")
    else:
        checks.append(f"node {i} never logged the end of its state copy")
        join_rows.append(f"| node {i} joins | n/a | n/a | n/a | n/a | {blocked} | {gap} | {seen_rates} |")
blocked0 = sum("has been blocked for" in line for line in log_lines(0))

profiles = ""
for path in sorted(glob.glob(os.path.join(folder, "jfr-*.txt"))):
    with open(path) as f:
        profiles += f.read().rstrip() + "\n\n"

print(f"""| | own probes/s | remote results applied/s | CPU (share of a core) | CPU µs per own probe (all of the node's CPU) | CPU µs per applied result (beyond a single node's per own probe) | replicated batches sent: msgs/s / bytes/s | received: msgs/s / bytes/s |
|---|---:|---:|---:|---:|---:|---:|---:|
| one node alone | {single['own']:.0f} | 0 | {single['cpu'] / 1e4:.0f} % | {single_cpu:.1f} | | | |
{chr(10).join(rows)}

**Cluster CPU per probe: {cluster_cpu_target:.1f} µs against {single_cpu_target:.1f} µs for one node alone = {ratio_target:.2f}×** (goal ≤ 1.5×: {"met" if ratio_target <= 1.5 else "not met"}),
per probe the target counted (read in milliseconds); per probe the nodes counted (their reads take seconds),
{cluster_cpu:.1f} against {single_cpu:.1f} µs = {ratio:.2f}×.
The fleet asks for {services:,} probes/s: the single node kept {single['own'] / services * 100:.0f} % of them,
the three nodes together {own_total / services * 100:.0f} % (the target counted {single_target:,.0f}/s and {target:,.0f}/s).
Windows: {single['seconds']:.0f} s and {nodes[0]['seconds']:.0f} s. Self-check tolerances (a base of {base * 100:.0f} %, plus how long
the reads at both ends took against the window, since a counter is read somewhere within its read):
{"; ".join(tolerances)}.

Busiest threads (share of a core over the window; pools grouped): one node alone: {top_threads(single)};
{"; ".join(f"node {i}: {top_threads(x)}" for i, x in enumerate(nodes))}.

Joining a node to a cluster that holds {services:,} services with every statistic full ({state_mb} MB
state file; the copy's size, time and chunks as the joining node reports them; blocked: Vert.x
blocked-thread warnings in the joining node's whole log, {blocked0} in node 0's; unprobed: from the
first log line in which a node already there counts the joining one, and so stops probing its share,
to the joining node's first round with a share of its own ("monitoring N services"); probes/s: what the target counted
from the node's launch to 5 s after its take-over, in 2 s steps):

| join | copy time | chunks | copied | largest message | blocked-thread warnings | share unprobed | target probes/s, lowest / median |
|---|---:|---:|---:|---:|---:|---:|---:|
{chr(10).join(join_rows)}
""")
if profiles:
    print(profiles.rstrip())
for check in checks:
    print("CHECK FAILED: " + check, file=sys.stderr)
sys.exit(1 if checks else 0)
