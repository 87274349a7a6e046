"""PyTorch reference for `npm run bench`: training samples/s of the same models and batch
sizes as the Layerloom benchmark, on CPU with 2 threads. Prints one JSON object.
Run with Debian's /usr/bin/python3 and python3-torch; absent torch, prints {"available": false}.
"""
import json
import sys
import time

try:
    import torch
    import torch.nn as nn
except ImportError:
    print(json.dumps({"available": False}))
    sys.exit(0)

torch.set_num_threads(2)
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
    n = 0
    t0 = time.perf_counter()
    while time.perf_counter() - t0 < seconds:
        step()
        n += 1
    return n * batch / (time.perf_counter() - t0)


seconds = float(sys.argv[1]) if len(sys.argv) > 1 else 5.0
print(json.dumps({
    "available": True,
    "version": torch.__version__,
    "threads": torch.get_num_threads(),
    "cnn": measure(cnn(), (1, 28, 28), 64, seconds),
    "mlp": measure(mlp(), (784,), 128, seconds),
}))
