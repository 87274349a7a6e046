"""The device check's PyTorch half: training samples/s of the same three models (LeNet-style
CNN at batch 64, MLP at 128, ResNet-20-style at 128), Adam, fp32, on CUDA when present (else
the CPU with every core, so the script can be tried anywhere). One JSON line per model."""
import json
import os
import sys
import time

import torch
import torch.nn as nn

SECONDS = float(os.environ.get("GPU_BENCH_SECONDS", "8"))
dev = torch.device("cuda" if torch.cuda.is_available() else "cpu")
if dev.type == "cpu":
    torch.set_num_threads(os.cpu_count() or 1)
torch.backends.cudnn.benchmark = True
torch.backends.cuda.matmul.allow_tf32 = False  # fp32, like the WebGPU step
torch.backends.cudnn.allow_tf32 = False


def cnn():
    return nn.Sequential(
        nn.Conv2d(1, 32, 3), nn.ReLU(), nn.MaxPool2d(2),
        nn.Conv2d(32, 64, 3), nn.ReLU(), nn.MaxPool2d(2),
        nn.Flatten(), nn.Linear(64 * 5 * 5, 128), nn.ReLU(), nn.Linear(128, 10))


def mlp():
    return nn.Sequential(nn.Linear(784, 256), nn.ReLU(), nn.Linear(256, 128), nn.ReLU(), nn.Linear(128, 10))


class Block(nn.Module):
    def __init__(self, cin, cout, stride):
        super().__init__()
        self.a = nn.Sequential(nn.Conv2d(cin, cout, 3, stride, 1, bias=False), nn.BatchNorm2d(cout, momentum=0.1), nn.ReLU(),
                               nn.Conv2d(cout, cout, 3, 1, 1, bias=False), nn.BatchNorm2d(cout, momentum=0.1))
        self.proj = nn.Conv2d(cin, cout, 1, stride, bias=False) if cin != cout else nn.Identity()

    def forward(self, x):
        return torch.relu(self.a(x) + self.proj(x))


def resnet20():
    layers = [nn.Conv2d(3, 16, 3, 1, 1, bias=False), nn.BatchNorm2d(16), nn.ReLU()]
    cin = 16
    for stage, c in enumerate([16, 32, 64]):
        for b in range(3):
            layers.append(Block(cin, c, 2 if stage > 0 and b == 0 else 1))
            cin = c
    layers += [nn.AdaptiveAvgPool2d(1), nn.Flatten(), nn.Linear(64, 10)]
    return nn.Sequential(*layers)


def measure(model, shape, batch):
    model = model.to(dev)
    opt = torch.optim.Adam(model.parameters(), lr=1e-3)
    loss_fn = nn.CrossEntropyLoss()
    x = torch.rand((batch, *shape), device=dev)
    y = torch.randint(0, 10, (batch,), device=dev)

    def step():
        opt.zero_grad(set_to_none=True)
        loss_fn(model(x), y).backward()
        opt.step()

    for _ in range(5):
        step()
    if dev.type == "cuda":
        torch.cuda.synchronize()
    n, t0 = 0, time.perf_counter()
    while time.perf_counter() - t0 < SECONDS:
        step()
        n += 1
        if dev.type == "cuda" and n % 20 == 0:
            torch.cuda.synchronize()
    if dev.type == "cuda":
        torch.cuda.synchronize()
    return n * batch / (time.perf_counter() - t0)


name = torch.cuda.get_device_name(0) if dev.type == "cuda" else "cpu"
for model, make, shape, batch in [("lenet", cnn, (1, 28, 28), 64), ("mlp", mlp, (784,), 128), ("resnet20", resnet20, (3, 32, 32), 128)]:
    print(json.dumps({"event": "result", "model": model, "provider": f"pytorch-{dev.type}", "device": name, "batch": batch,
                      "samplesPerSecond": measure(make(), shape, batch), "torch": torch.__version__}), flush=True)
