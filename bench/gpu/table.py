"""Joins the device check's JSON lines (bench/gpu/steps.ts and torch_gpu.py) into one
markdown table: samples/s per model and provider, and the ratios the issue reports against
(webgpu ÷ our CPU trainer, webgpu ÷ PyTorch)."""
import json
import sys

rows, notes = {}, []
for path in sys.argv[1:]:
    for line in open(path):
        line = line.strip()
        if not line.startswith("{"):
            continue
        e = json.loads(line)
        if e.get("event") == "result":
            rows.setdefault(e["model"], {})[e["provider"]] = e["samplesPerSecond"]
            if "placement" in e:
                notes.append(f"- {e['model']} on webgpu: {e['placement']}")
        elif e.get("event") == "error":
            notes.append(f"- {e['model']} on {e['provider']}: {e['error']}")
        elif e.get("event") == "probe":
            notes.append(f"- WebGPU probe: {e.get('detail') or e.get('reason')}; {e.get('cores')} CPU cores")

torch_col = next((p for r in rows.values() for p in r if p.startswith("pytorch")), "pytorch")
print(f"| model (batch) | webgpu | onnxruntime CPU | {torch_col} | webgpu ÷ CPU | webgpu ÷ PyTorch |")
print("|---|---|---|---|---|---|")
batch = {"lenet": 64, "mlp": 128, "resnet20": 128}
fmt = lambda v: f"{v:,.0f}" if v else "—"
for m in ["lenet", "mlp", "resnet20"]:
    r = rows.get(m, {})
    g, c, t = r.get("webgpu"), r.get("cpu"), r.get(torch_col)
    ratio = lambda a, b: f"{a / b:.2f}" if a and b else "—"
    print(f"| {m} ({batch[m]}) | {fmt(g)} | {fmt(c)} | {fmt(t)} | {ratio(g, c)} | {ratio(g, t)} |")
print()
print("\n".join(notes))
