"""PyTorch twin of the seed network for side-by-side.sh: same layers, initial weights, batch, optimizer, threads.

Usage: side_by_side_twin.py IMAGES LABELS THREADS INITIAL_PARAMETERS
Prints "pytorch <seconds> s loss <mean training loss>" for one shuffled epoch, batch 32, Adam(eps=1e-7).
"""
import gzip
import struct
import sys
import time

import numpy as np
import torch
import torch.nn as nn


def read_idx(path):
    opener = gzip.open if open(path, "rb").read(2) == b"\x1f\x8b" else open
    with opener(path, "rb") as f:
        data = f.read()
    magic, count = struct.unpack(">II", data[:8])
    if magic == 0x803:
        rows, cols = struct.unpack(">II", data[8:16])
        return np.frombuffer(data, np.uint8, offset=16).reshape(count, 1, rows, cols).astype(np.float32) / 255.0
    return np.frombuffer(data, np.uint8, offset=8).astype(np.int64)


def seed_network(initial):
    conv = nn.Conv2d(1, 32, 3)
    dense = nn.Linear(13 * 13 * 32, 10)
    p = np.fromfile(initial, np.float32)
    # CompiledNets' Keras layouts: conv kernel [kh][kw][in][out], dense kernel [in][out] with (h, w, c) inputs.
    conv.weight.data = torch.from_numpy(p[:288].reshape(3, 3, 1, 32).transpose(3, 2, 0, 1).copy())
    conv.bias.data = torch.from_numpy(p[288:320].copy())
    kernel = p[320:54400].reshape(13, 13, 32, 10).transpose(3, 2, 0, 1).reshape(10, 5408)
    dense.weight.data = torch.from_numpy(kernel.copy())
    dense.bias.data = torch.from_numpy(p[54400:54410].copy())
    return nn.Sequential(conv, nn.ReLU(), nn.MaxPool2d(2), nn.Flatten(), dense)


def main():
    images, labels = read_idx(sys.argv[1]), read_idx(sys.argv[2])
    torch.set_num_threads(int(sys.argv[3]))
    model = seed_network(sys.argv[4])
    optimizer = torch.optim.Adam(model.parameters(), lr=1e-3, eps=1e-7)
    loss_fn = nn.CrossEntropyLoss()
    x, y = torch.from_numpy(images), torch.from_numpy(labels)
    for start in range(0, 2048, 32):  # the same short warm-up as the C# side
        optimizer.zero_grad()
        loss_fn(model(x[start:start + 32]), y[start:start + 32]).backward()
        optimizer.step()
    model = seed_network(sys.argv[4])
    optimizer = torch.optim.Adam(model.parameters(), lr=1e-3, eps=1e-7)
    order = torch.randperm(len(y), generator=torch.Generator().manual_seed(1))
    started, total = time.perf_counter(), 0.0
    for start in range(0, len(y), 32):
        batch = order[start:start + 32]
        optimizer.zero_grad()
        loss = loss_fn(model(x[batch]), y[batch])
        loss.backward()
        optimizer.step()
        total += loss.item() * len(batch)
    print(f"pytorch {time.perf_counter() - started:.3f} s loss {total / len(y):.4f}")


if __name__ == "__main__":
    main()
