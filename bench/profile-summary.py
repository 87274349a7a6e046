"""Summarises an onnxruntime profile (enableProfiling JSON trace): node time by op type and the
most expensive nodes, averaged over the profiled runs. Usage: profile-summary.py TRACE [top]."""
import json
import sys
from collections import defaultdict

trace = json.load(open(sys.argv[1]))
top = int(sys.argv[2]) if len(sys.argv) > 2 else 15
runs = sum(1 for e in trace if e.get("cat") == "Session" and e.get("name") == "model_run")
by_op = defaultdict(float)
by_node = defaultdict(float)
for e in trace:
    if e.get("cat") != "Node" or not e.get("name", "").endswith("_kernel_time"):
        continue
    op = e["args"].get("op_name", "?")
    by_op[op] += e["dur"]
    by_node[(e["name"][: -len("_kernel_time")], op)] += e["dur"]
total = sum(by_op.values())
runs = max(runs, 1)
print(f"runs {runs}, node time per run {total / runs / 1000:.1f} ms")
for op, t in sorted(by_op.items(), key=lambda kv: -kv[1])[:top]:
    print(f"  {op:28s} {100 * t / total:5.1f}%  {t / runs / 1000:7.2f} ms")
print("top nodes:")
for (name, op), t in sorted(by_node.items(), key=lambda kv: -kv[1])[:top]:
    print(f"  {name[:48]:48s} {op:18s} {100 * t / total:5.1f}%")
