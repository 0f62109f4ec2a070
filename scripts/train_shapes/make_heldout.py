#!/usr/bin/python3
"""Writes a held-out set of drawn shape images for quantization accuracy tests.

The seed differs from training (0) and the training script's test split, so
the images are new to the model. Output (deterministic bytes):
  OUT/img_NNN.png         32x32 RGB images
  OUT/heldout.txt         one relative path per line (the RKNN dataset format)
  OUT/labels.txt          the true class index per line
"""
import argparse
import os
import sys

sys.dont_write_bytecode = True
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import draw  # noqa: E402


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--out", required=True, help="output folder (created if missing)")
    parser.add_argument("--count", type=int, default=240, help="number of images")
    parser.add_argument("--seed", type=int, default=20261120)
    args = parser.parse_args()
    if args.count < 1:
        parser.error("--count must be positive")
    os.makedirs(args.out, exist_ok=True)
    images, labels = draw.make_dataset(args.count, args.seed)
    names = []
    for i, image in enumerate(images):
        name = f"img_{i:03d}.png"
        with open(os.path.join(args.out, name), "wb") as f:
            f.write(draw.encode_png(image))
        names.append(name)
    with open(os.path.join(args.out, "heldout.txt"), "w") as f:
        f.write("".join(n + "\n" for n in names))
    with open(os.path.join(args.out, "labels.txt"), "w") as f:
        f.write("".join(f"{int(label)}\n" for label in labels))


if __name__ == "__main__":
    main()
