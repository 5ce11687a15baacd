# One sample of the cluster scenario (scripts/bench.d/cluster.sh), taken at one instant: the CPU
# of every JVM (and of its threads, by group) from /proc, then the counters of every node and the
# target's count, all asked for at once (one thread per request), then the CPU again. Prints one
# JSON object.
#
#   python3 cluster-sample.py HOST TARGET_PORT CLK_TCK PID:PORT...
#
# A counter is read somewhere between the moment its request left and the moment its answer was
# in: each read is reported with both, so that the caller can place it at the middle and knows how
# far off it may be (half the time the read took). The CPU is read just before the requests and just
# after the answers, so that a window between two samples can leave out what the reads cost.
import json
import os
import re
import sys
import threading
import time
import urllib.error
import urllib.request

host, target_port, clk_tck = sys.argv[1], sys.argv[2], int(sys.argv[3])
nodes = [tuple(arg.split(":")) for arg in sys.argv[4:]]


def cpu_us(stat_path):
    try:
        with open(stat_path) as f:
            fields = f.read().rsplit(") ", 1)[1].split()
    except OSError:
        return 0
    # After "pid (comm) ", field 3 (state) is index 0: utime (14) and stime (15) are 11 and 12.
    return (int(fields[11]) + int(fields[12])) * 1_000_000 // clk_tck


def threads_us(pid):
    """CPU by thread group: the thread name without its digits (the pools grouped)."""
    groups = {}
    try:
        tasks = os.listdir(f"/proc/{pid}/task")
    except OSError:
        return groups
    for task in tasks:
        try:
            with open(f"/proc/{pid}/task/{task}/comm") as f:
                name = re.sub(r"[-#]?\d+", "", f.read().strip()).strip() or "?"
        except OSError:
            continue
        groups[name] = groups.get(name, 0) + cpu_us(f"/proc/{pid}/task/{task}/stat")
    return groups


def cpu_now():
    return time.time_ns(), [cpu_us(f"/proc/{pid}/stat") for pid, _ in nodes]


reads = {}


def fetch(key, url):
    """Reads url; an answer of 503 (the node could not build it in time under load) is asked for
    again, up to 10 times: the read then counts from the attempt that was answered."""
    for attempt in range(10):
        started = time.time_ns()
        try:
            with urllib.request.urlopen(url, timeout=300) as answer:
                body = answer.read()
            reads[key] = {"sent_ns": started, "done_ns": time.time_ns(), "body": body, "attempts": attempt + 1}
            return
        except urllib.error.HTTPError as refused:
            reads[key] = {"sent_ns": started, "done_ns": time.time_ns(), "error": str(refused)}
            if refused.code != 503:
                return
        except Exception as failure:  # reported as a missing read, the caller fails loudly
            reads[key] = {"sent_ns": started, "done_ns": time.time_ns(), "error": str(failure)}
            return
        time.sleep(0.2)


groups_before = [threads_us(pid) for pid, _ in nodes]
cpu_before_ns, cpu_before = cpu_now()
requests = [("target", f"http://{host}:{target_port}/count")]
for i, (_, port) in enumerate(nodes):
    requests.append((f"metrics{i}", f"http://{host}:{port}/metrics"))
    requests.append((f"status{i}", f"http://{host}:{port}/health/status"))
workers = [threading.Thread(target=fetch, args=request) for request in requests]
for worker in workers:
    worker.start()
for worker in workers:
    worker.join()
cpu_after_ns, cpu_after = cpu_now()
groups_after = [threads_us(pid) for pid, _ in nodes]


def when(key):
    read = reads[key]
    if "error" in read:
        raise SystemExit(f"cluster sample: {key} failed: {read['error']}")
    return {"at_ns": (read["sent_ns"] + read["done_ns"]) // 2, "half_ns": (read["done_ns"] - read["sent_ns"]) // 2,
            "attempts": read["attempts"]}


sample = {
    "cpu_before_ns": cpu_before_ns,
    "cpu_after_ns": cpu_after_ns,
    "target": dict(when("target"), count=json.loads(reads["target"]["body"])["requests"]),
    "nodes": [],
}
for i in range(len(nodes)):
    metrics_read, status_read = when(f"metrics{i}"), when(f"status{i}")
    own = 0.0
    traffic = {}
    for line in reads[f"metrics{i}"]["body"].decode().splitlines():
        if line.startswith("orchestrator_checks_total{"):
            own += float(line.rsplit(" ", 1)[1])
        m = re.match(r"orchestrator_cluster_(messages|bytes)_total\{(.*)\} (\S+)", line)
        if m:
            labels = dict(re.findall(r'(\w+)="([^"]*)"', m.group(2)))
            key = f"{m.group(1)}_{labels.get('direction')}_{labels.get('kind')}"
            traffic[key] = float(m.group(3))
    metrics = dict(metrics_read, own=own, traffic=traffic)
    status_services = json.loads(reads[f"status{i}"]["body"])["services"].values()
    status = dict(status_read, seen=sum(s["total_checks"] for s in status_services))
    sample["nodes"].append(
        {
            "cpu_before_us": cpu_before[i],
            "cpu_after_us": cpu_after[i],
            "threads_before_us": groups_before[i],
            "threads_after_us": groups_after[i],
            "metrics": metrics,
            "status": status,
        }
    )
print(json.dumps(sample))
