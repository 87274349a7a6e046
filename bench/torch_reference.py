"""PyTorch reference for `npm run bench`: training samples/s of the same models and batch
sizes as the Layerloom benchmark, on CPU with the bench's thread count (argv[3], default 2).
Prints one JSON object. Run with Debian's /usr/bin/python3 and python3-torch; absent torch,
prints {"available": false}. argv: seconds per model, comma-separated model names (default
cnn,mlp; also resnet20, nb201), threads.
"""
import json
import os
import sys
import time

try:
    import torch
    import torch.nn as nn
except ImportError:
    print(json.dumps({"available": False}))
    sys.exit(0)

THREADS = int(sys.argv[3]) if len(sys.argv) > 3 else 2
torch.set_num_threads(THREADS)
torch.manual_seed(0)


def cnn():
    # Same as bench/models.ts: conv3x3x32-relu-pool-conv3x3x64-relu-pool-dense128-relu-dense10.
    return nn.Sequential(
        nn.Conv2d(1, 32, 3), nn.ReLU(), nn.MaxPool2d(2),
        nn.Conv2d(32, 64, 3), nn.ReLU(), nn.MaxPool2d(2),
        nn.Flatten(), nn.Linear(64 * 5 * 5, 128), nn.ReLU(), nn.Linear(128, 10),
    )


def mlp():
    return nn.Sequential(nn.Linear(784, 256), nn.ReLU(), nn.Linear(256, 128), nn.ReLU(), nn.Linear(128, 10))


class BasicBlock(nn.Module):
    """ResNet basic block as bench/residual-models.ts builds it: a 1×1 projection (no BN) on stride 2."""

    def __init__(self, cin, cout, stride):
        super().__init__()
        self.a = nn.Sequential(nn.Conv2d(cin, cout, 3, stride, 1, bias=False), nn.BatchNorm2d(cout), nn.ReLU())
        self.b = nn.Sequential(nn.Conv2d(cout, cout, 3, 1, 1, bias=False), nn.BatchNorm2d(cout))
        self.skip = nn.Conv2d(cin, cout, 1, stride, bias=False) if stride != 1 or cin != cout else nn.Identity()

    def forward(self, x):
        return torch.relu(self.b(self.a(x)) + self.skip(x))


def resnet20():
    layers = [nn.Conv2d(3, 16, 3, 1, 1, bias=False), nn.BatchNorm2d(16), nn.ReLU()]
    cin = 16
    for s, c in enumerate([16, 32, 64]):
        for k in range(3):
            layers.append(BasicBlock(cin, c, 2 if s > 0 and k == 0 else 1))
            cin = c
    layers += [nn.AdaptiveAvgPool2d(1), nn.Flatten(), nn.Linear(64, 10)]
    return nn.Sequential(*layers)


def rcb(c, k):
    """NAS-Bench-201's ReLU-Conv-BN edge op."""
    return nn.Sequential(nn.ReLU(), nn.Conv2d(c, c, k, 1, k // 2, bias=False), nn.BatchNorm2d(c))


class MixedCell(nn.Module):
    """The bench's NB201 cell (bench/residual-models.ts NB201_MIXED_CELL):
    n1 = conv3(n0); n2 = conv1(n0) + n1; n3 = avgpool3(n0) + conv3(n1) + conv1(n2)."""

    def __init__(self, c):
        super().__init__()
        self.e01, self.e02, self.e13, self.e23 = rcb(c, 3), rcb(c, 1), rcb(c, 3), rcb(c, 1)
        self.pool = nn.AvgPool2d(3, 1, 1, count_include_pad=False)

    def forward(self, n0):
        n1 = self.e01(n0)
        n2 = self.e02(n0) + n1
        return self.pool(n0) + self.e13(n1) + self.e23(n2)


def nb201():
    """nas/space/nb201-skeleton.ts at its defaults: stem, 2 stages × 1 cell at 16 channels."""
    return nn.Sequential(
        nn.Conv2d(3, 16, 3, 1, 1, bias=False), nn.BatchNorm2d(16),
        MixedCell(16), nn.AvgPool2d(2), MixedCell(16),
        nn.BatchNorm2d(16), nn.ReLU(), nn.AdaptiveAvgPool2d(1), nn.Flatten(), nn.Linear(16, 10),
    )


def measure(model, x_shape, batch, seconds):
    opt = torch.optim.Adam(model.parameters(), lr=1e-3)
    loss_fn = nn.CrossEntropyLoss()
    x = torch.rand((batch, *x_shape))
    y = torch.randint(0, 10, (batch,))

    def step():
        opt.zero_grad()
        loss = loss_fn(model(x), y)
        loss.backward()
        opt.step()

    for _ in range(3):
        step()
    # LOOM_TORCH_CPU_TIME=1: samples per second of process CPU time (robust on a busy machine
    # when compared with the same measure of the onnxruntime trainer at 1 thread).
    clock = time.process_time if os.environ.get("LOOM_TORCH_CPU_TIME") == "1" else time.perf_counter
    n = 0
    t0 = clock()
    w0 = time.perf_counter()
    while time.perf_counter() - w0 < seconds:
        step()
        n += 1
    return n * batch / (clock() - t0)


MODELS = {
    "cnn": lambda: (cnn(), (1, 28, 28), 64),
    "mlp": lambda: (mlp(), (784,), 128),
    "resnet20": lambda: (resnet20(), (3, 32, 32), 128),
    "nb201": lambda: (nb201(), (3, 32, 32), 128),
}
seconds = float(sys.argv[1]) if len(sys.argv) > 1 else 5.0
names = sys.argv[2].split(",") if len(sys.argv) > 2 else ["cnn", "mlp"]
result = {"available": True, "version": torch.__version__, "threads": torch.get_num_threads()}
for name in names:
    model, shape, batch = MODELS[name]()
    if name == "resnet20":
        result["resnet20Params"] = sum(p.numel() for p in model.parameters())
    result[name] = measure(model, shape, batch, seconds)
print(json.dumps(result))
