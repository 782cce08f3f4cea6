"""PyTorch twins of the benchmark networks for side-by-side.sh: same layers, initial weights, batch, optimizer, threads.

Usage: side_by_side_twin.py IMAGES LABELS THREADS INITIAL_PARAMETERS [NETWORK [BATCH]]
NETWORK is seed (default), lenet5 or tutorial. Prints "pytorch <seconds> s loss <mean training loss>" for one
shuffled epoch, Adam(eps=1e-7), batch BATCH (default 32).

   or: side_by_side_twin.py --export-onnx INITIAL_PARAMETERS NETWORK OUTPUT
writes the twin, softmax included and dropout off, as an ONNX model (input "image" [batch, 1, 28, 28]) for
side-by-side-inference.sh to run with ONNX Runtime.
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


# Each network as (kind, arguments) in CompiledNets' attribute order; "flatten" records the (h, w, c) shape it flattens.
NETWORKS = {
    "seed": [("conv", 1, 32, 3, 0), ("relu",), ("maxpool", 2), ("flatten", 13, 13, 32), ("dense", 5408, 10)],
    "lenet5": [("conv", 1, 6, 5, 2), ("tanh",), ("avgpool", 2), ("conv", 6, 16, 5, 0), ("tanh",), ("avgpool", 2),
               ("flatten", 5, 5, 16), ("dense", 400, 120), ("tanh",), ("dense", 120, 84), ("tanh",), ("dense", 84, 10)],
    "tutorial": [("conv", 1, 32, 5, 2), ("relu",), ("maxpool", 2), ("conv", 32, 64, 5, 2), ("relu",), ("maxpool", 2),
                 ("flatten", 7, 7, 64), ("dense", 3136, 1024), ("relu",), ("dropout", 0.4), ("dense", 1024, 10)],
}


def build(name, initial):
    """The torch model with CompiledNets' initial parameters, converted from its Keras layouts."""
    p = np.fromfile(initial, np.float32)
    offset, layers, flattened = 0, [], None

    def take(count):
        nonlocal offset
        offset += count
        return p[offset - count:offset]

    for spec in NETWORKS[name]:
        kind = spec[0]
        if kind == "conv":
            _, cin, cout, k, pad = spec
            conv = nn.Conv2d(cin, cout, k, padding=pad)
            # Kernel [kh][kw][in][out] -> [out][in][kh][kw]. (Same padding of an odd kernel at stride 1 is symmetric.)
            conv.weight.data = torch.from_numpy(take(k * k * cin * cout).reshape(k, k, cin, cout).transpose(3, 2, 0, 1).copy())
            conv.bias.data = torch.from_numpy(take(cout).copy())
            layers.append(conv)
        elif kind == "dense":
            _, fan_in, units = spec
            dense = nn.Linear(fan_in, units)
            kernel = take(fan_in * units)
            if flattened is not None:
                # After Flatten the inputs are in (h, w, c) order; torch flattens (c, h, w).
                h, w, c = flattened
                kernel = kernel.reshape(h, w, c, units).transpose(3, 2, 0, 1).reshape(units, fan_in)
                flattened = None
            else:
                kernel = kernel.reshape(fan_in, units).T
            dense.weight.data = torch.from_numpy(kernel.copy())
            dense.bias.data = torch.from_numpy(take(units).copy())
            layers.append(dense)
        elif kind == "flatten":
            flattened = spec[1:]
            layers.append(nn.Flatten())
        elif kind == "relu":
            layers.append(nn.ReLU())
        elif kind == "tanh":
            layers.append(nn.Tanh())
        elif kind == "maxpool":
            layers.append(nn.MaxPool2d(spec[1]))
        elif kind == "avgpool":
            layers.append(nn.AvgPool2d(spec[1]))
        elif kind == "dropout":
            layers.append(nn.Dropout(spec[1]))
    assert offset == len(p), f"{name}: {offset} parameters used, the file has {len(p)}"
    return nn.Sequential(*layers)


def export_onnx(initial, name, path):
    """The inference twin: CompiledNets' Predict returns softmax probabilities, so the exported graph ends with one."""
    model = nn.Sequential(build(name, initial), nn.Softmax(dim=1)).eval()
    torch.onnx.export(model, torch.zeros(1, 1, 28, 28), path, input_names=["image"], output_names=["probabilities"],
                      dynamic_axes={"image": {0: "batch"}, "probabilities": {0: "batch"}}, opset_version=13)


def main():
    if sys.argv[1] == "--export-onnx":
        export_onnx(sys.argv[2], sys.argv[3], sys.argv[4])
        return
    images, labels = read_idx(sys.argv[1]), read_idx(sys.argv[2])
    torch.set_num_threads(int(sys.argv[3]))
    name = sys.argv[5] if len(sys.argv) > 5 else "seed"
    size = int(sys.argv[6]) if len(sys.argv) > 6 else 32
    model = build(name, sys.argv[4])
    optimizer = torch.optim.Adam(model.parameters(), lr=1e-3, eps=1e-7)
    loss_fn = nn.CrossEntropyLoss()
    x, y = torch.from_numpy(images), torch.from_numpy(labels)
    for start in range(0, 2048, size):  # the same short warm-up as the C# side
        optimizer.zero_grad()
        loss_fn(model(x[start:start + size]), y[start:start + size]).backward()
        optimizer.step()
    model = build(name, sys.argv[4])
    optimizer = torch.optim.Adam(model.parameters(), lr=1e-3, eps=1e-7)
    order = torch.randperm(len(y), generator=torch.Generator().manual_seed(1))
    started, total = time.perf_counter(), 0.0
    for start in range(0, len(y), size):
        batch = order[start:start + size]
        optimizer.zero_grad()
        loss = loss_fn(model(x[batch]), y[batch])
        loss.backward()
        optimizer.step()
        total += loss.item() * len(batch)
    print(f"pytorch {time.perf_counter() - started:.3f} s loss {total / len(y):.4f}")


if __name__ == "__main__":
    main()
