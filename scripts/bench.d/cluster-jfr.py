# Where a JVM of the cluster scenario spent its CPU over the measured window, from a JFR recording
# (jdk.ExecutionSample, the samples of threads running Java code): prints a Markdown paragraph.
#
#   python3 cluster-jfr.py LABEL FILE.jfr FROM_NS TO_NS
#
# Samples are kept when their time of day (JFR prints it without a date, on this machine's clock)
# falls within the window. Three views, each its 8 largest shares: by thread (pools grouped), by the
# method on top of the stack, and by the first method of the orchestrator's own code on the stack
# (what the time was spent for).
import collections
import re
import subprocess
import sys
from datetime import datetime

label, path, start_ns, end_ns = sys.argv[1], sys.argv[2], int(sys.argv[3]), int(sys.argv[4])


def time_of_day(ns):
    moment = datetime.fromtimestamp(ns / 1e9)
    return moment.hour * 3600 + moment.minute * 60 + moment.second + moment.microsecond / 1e6


window = (time_of_day(start_ns), time_of_day(end_ns))
text = subprocess.run(
    ["jfr", "print", "--events", "jdk.ExecutionSample", "--stack-depth", "20", path],
    capture_output=True, text=True, check=True).stdout
threads, tops, owners = collections.Counter(), collections.Counter(), collections.Counter()
samples = 0
for event in text.split("jdk.ExecutionSample {")[1:]:
    at = re.search(r"startTime = (\d+):(\d+):(\d+\.\d+)", event)
    if not at:
        continue
    seconds = int(at.group(1)) * 3600 + int(at.group(2)) * 60 + float(at.group(3))
    if not window[0] <= seconds <= window[1]:
        continue
    thread = re.search(r'sampledThread = "([^"]*)"', event)
    frames = [re.sub(r"\(.*", "", line.strip()) for line in event.split("stackTrace = [", 1)[-1].splitlines()[1:]
              if line.strip() and line.strip() not in ("]", "}", "...")]
    if not frames:
        continue
    samples += 1
    threads[re.sub(r"[-#]?\d+", "", thread.group(1)) if thread else "?"] += 1
    tops[frames[0]] += 1
    owners[next((f for f in frames if f.startswith("io.extrophi.")), "(no orchestrator frame: " +
                ".".join(frames[-1].split(".")[:3]) + "…)")] += 1


def shares(counter):
    return ", ".join(f"`{name}` {count / samples * 100:.0f} %" for name, count in counter.most_common(8))


if samples == 0:
    print(f"**{label}** (JFR): no execution sample in the window.")
else:
    print(f"**{label}** (JFR, {samples:,} execution samples in the window): by thread: {shares(threads)}. "
          f"On top of the stack: {shares(tops)}. For the orchestrator's code: {shares(owners)}.")
