#!/usr/bin/python3
"""Re-evaluates an ONNX model with numpy_reference.py and compares to an expected output.

    check_model.py MODEL.onnx INPUT.npy EXPECTED.npy [--rtol R] [--atol A]

Exits 0 when every element satisfies |got - expected| <= atol + rtol * |expected|.
"""

import argparse
import os
import sys

import numpy as np
import onnx

# Import the sibling module without leaving a __pycache__ in the source tree.
sys.dont_write_bytecode = True
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import numpy_reference  # noqa: E402


def compare(model_path, input_path, expected_path, rtol, atol):
    model = onnx.load(model_path)  # also loads external data next to the model
    onnx.checker.check_model(model_path)
    inits = {t.name for t in model.graph.initializer}
    inputs = [i.name for i in model.graph.input if i.name not in inits]
    if len(inputs) != 1 or len(model.graph.output) != 1:
        raise ValueError(f"expected one input and one output, got {inputs} / "
                         f"{[o.name for o in model.graph.output]}")
    x, expected = np.load(input_path), np.load(expected_path)
    got = numpy_reference.evaluate(model, {inputs[0]: x})[model.graph.output[0].name]
    if got.shape != expected.shape:
        raise ValueError(f"output shape {got.shape} != expected shape {expected.shape}")

    err = np.abs(got - expected)
    bad = int((err > atol + rtol * np.abs(expected)).sum())
    same_top1 = got.reshape(len(got), -1).argmax(1).tolist() == \
        expected.reshape(len(expected), -1).argmax(1).tolist()
    print(f"{os.path.basename(model_path)}: max abs err {err.max():.3g}, "
          f"max rel err {(err / np.maximum(np.abs(expected), 1e-12)).max():.3g}, "
          f"{bad} of {err.size} out of tolerance, top-1 {'matches' if same_top1 else 'DIFFERS'}")
    return bad == 0


def main(argv=None):
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("model")
    p.add_argument("input")
    p.add_argument("expected")
    p.add_argument("--rtol", type=float, default=1e-4)
    p.add_argument("--atol", type=float, default=1e-5)
    args = p.parse_args(argv)
    try:
        ok = compare(args.model, args.input, args.expected, args.rtol, args.atol)
    except (OSError, ValueError, NotImplementedError, onnx.checker.ValidationError) as err:
        print(f"check_model.py: error: {err}", file=sys.stderr)
        return 2
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
