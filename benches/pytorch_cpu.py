#!/usr/bin/env python3
"""PyTorch CPU, one thread, on the TARGETS.md reference network: the yardstick for the engine's
CPU path (benches/training.rs). Prints one JSON line of run-steps per second (steps x runs).

  R=1   a plain training loop: nn.Sequential, nn.CrossEntropyLoss, torch.optim.SGD(momentum=0.9),
        forward + backward + step per batch, as a user would write it.
  R=64  64 independent models batched through torch.baddbmm (weights [R, out, in]); the loss is
        the sum of the per-model batch means, so autograd gives each model its own gradient;
        SGD with momentum as one foreach update over the stacked tensors (elementwise, hence
        exactly 64 separate SGD steps).

Data: a 2-class spiral of 512 points (two arms of 1.75 turns, as src/data/synthetic.rs), batch 32,
a fresh shuffle each epoch, every full batch. Every measurement trains at least --seconds and
the script prints the median of --repeats measurements.

    /tmp/fixenv/bin/python benches/pytorch_cpu.py [--runs 1,64] [--activations relu,tanh]

Versions measured: torch 2.15.0 (CPU), Python 3.
"""

import argparse
import json
import math
import statistics
import time

import torch
import torch.nn.functional as F
from torch import nn

LAYERS = [2, 16, 16, 2]
BATCH = 32
POINTS = 512
LR = 0.03
MOMENTUM = 0.9
ACTIVATIONS = {"relu": torch.relu, "tanh": torch.tanh}
MODULES = {"relu": nn.ReLU, "tanh": nn.Tanh}


def spiral(n, noise=0.1, seed=1):
    g = torch.Generator().manual_seed(seed)
    half = n // 2
    along = torch.arange(half, dtype=torch.float64) / half
    xs, ys = [], []
    for label, delta in [(1, 0.0), (0, math.pi)]:
        t = 1.75 * along * 2 * math.pi + delta
        jitter = (torch.rand(half, 2, generator=g, dtype=torch.float64) * 2 - 1) * noise
        xs.append(torch.stack([5 * along * torch.sin(t), 5 * along * torch.cos(t)], 1) + jitter)
        ys.append(torch.full((half,), label))
    return torch.cat(xs).float(), torch.cat(ys)


def batches(x, y, g):
    """Endless (x, y) batches: a new permutation each epoch, full batches only."""
    while True:
        order = torch.randperm(len(x), generator=g)
        for start in range(0, len(x) - BATCH + 1, BATCH):
            idx = order[start : start + BATCH]
            yield x[idx], y[idx]


def single(activation, x, y):
    """One model: returns a function that trains `steps` steps."""
    torch.manual_seed(0)
    layers = []
    for i, (fan_in, fan_out) in enumerate(zip(LAYERS, LAYERS[1:])):
        layers.append(nn.Linear(fan_in, fan_out))
        if i + 2 < len(LAYERS):
            layers.append(MODULES[activation]())
    model = nn.Sequential(*layers)
    criterion = nn.CrossEntropyLoss()
    optimizer = torch.optim.SGD(model.parameters(), lr=LR, momentum=MOMENTUM)
    data = batches(x, y, torch.Generator().manual_seed(0))

    def train(steps):
        for _ in range(steps):
            xb, yb = next(data)
            loss = criterion(model(xb), yb)
            optimizer.zero_grad()
            loss.backward()
            optimizer.step()

    return train


def batched(activation, runs, x, y):
    """`runs` models in lockstep on the same batches, through baddbmm."""
    torch.manual_seed(0)
    act = ACTIVATIONS[activation]
    params = []
    for fan_in, fan_out in zip(LAYERS, LAYERS[1:]):
        bound = 1 / math.sqrt(fan_in)
        w = torch.empty(runs, fan_out, fan_in).uniform_(-bound, bound).requires_grad_()
        b = torch.empty(runs, 1, fan_out).uniform_(-bound, bound).requires_grad_()
        params += [w, b]
    bufs = [torch.zeros_like(p) for p in params]
    data = batches(x, y, torch.Generator().manual_seed(0))

    def train(steps):
        for _ in range(steps):
            xb, yb = next(data)
            h = xb.expand(runs, BATCH, LAYERS[0])
            for layer in range(len(LAYERS) - 1):
                w, b = params[2 * layer], params[2 * layer + 1]
                h = torch.baddbmm(b, h, w.transpose(1, 2))
                if layer + 2 < len(LAYERS):
                    h = act(h)
            # Sum over models of each model's batch mean: model r's gradient is its own.
            loss = F.cross_entropy(h.reshape(-1, LAYERS[-1]), yb.repeat(runs)) * runs
            grads = torch.autograd.grad(loss, params)
            with torch.no_grad():
                # buf = momentum * buf + grad (the first step gives buf = grad, as torch does); p -= lr * buf.
                torch._foreach_mul_(bufs, MOMENTUM)
                torch._foreach_add_(bufs, grads)
                torch._foreach_add_(params, bufs, alpha=-LR)

    return train


def measure(train, runs, seconds, repeats):
    train(50)  # warm up
    # Size one measurement to take about `seconds`.
    probe = 50
    start = time.perf_counter()
    train(probe)
    steps = max(probe, int(seconds * probe / (time.perf_counter() - start)))
    figures = []
    for _ in range(repeats):
        start = time.perf_counter()
        train(steps)
        figures.append(steps * runs / (time.perf_counter() - start))
    return statistics.median(figures)


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--runs", default="1,64", help="comma-separated run counts (1 = plain loop, >1 = bmm)")
    parser.add_argument("--activations", default="relu,tanh")
    parser.add_argument("--seconds", type=float, default=0.5, help="least time of one measurement")
    parser.add_argument("--repeats", type=int, default=3)
    args = parser.parse_args()
    torch.set_num_threads(1)
    x, y = spiral(POINTS)
    results = []
    for activation in args.activations.split(","):
        for runs in map(int, args.runs.split(",")):
            train = single(activation, x, y) if runs == 1 else batched(activation, runs, x, y)
            figure = measure(train, runs, args.seconds, args.repeats)
            results.append({"activation": activation, "backend": "pytorch", "runs": runs, "run_steps_per_s": round(figure)})
    print(json.dumps({"bench": "pytorch_cpu", "torch": torch.__version__, "threads": torch.get_num_threads(), "results": results}))


if __name__ == "__main__":
    main()
