#!/usr/bin/python3
"""Writes a seeded random calibration set for the generated test models.

The samples come from the same distribution as make_model.py's input (standard
normal float32), stored NHWC as the RKNN dataset format wants 4-D .npy files:
  OUT/sample_NNN.npy    float32 [1, H, W, C]
  OUT/dataset.txt       one file name per line
The same arguments give the same bytes.
"""
import argparse
import os

import numpy as np


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--out", required=True, help="output folder (created if missing)")
    parser.add_argument("--count", type=int, default=50)
    parser.add_argument("--size", type=int, default=224, help="image height = width")
    parser.add_argument("--channels", type=int, default=3)
    parser.add_argument("--seed", type=int, default=4242)
    args = parser.parse_args()
    if args.count < 1 or args.size < 1 or args.channels < 1:
        parser.error("--count, --size and --channels must be positive")
    os.makedirs(args.out, exist_ok=True)
    rng = np.random.default_rng(args.seed)
    names = []
    for i in range(args.count):
        name = f"sample_{i:03d}.npy"
        sample = rng.standard_normal((1, args.size, args.size, args.channels)).astype(np.float32)
        np.save(os.path.join(args.out, name), sample)
        names.append(name)
    with open(os.path.join(args.out, "dataset.txt"), "w") as f:
        f.write("".join(n + "\n" for n in names))


if __name__ == "__main__":
    main()
