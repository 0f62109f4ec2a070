#!/usr/bin/python3
"""A small numpy interpreter for ONNX graphs, to check an exported model.

It reads the graph itself (nodes, attributes, initializers) and computes in
float64 NCHW, sharing no code with the float32 NHWC training code in
train.py: if the export got a weight layout, an attribute or a node order
wrong, the accuracies disagree. Only the ops a plain CNN classifier uses are
implemented: Conv (group 1), Relu, MaxPool, GlobalAveragePool, Flatten, Gemm.
Ops are batch-agnostic, so a batch of images can go through a graph whose
input is declared with batch 1.

CLI: evaluates a model on an .npy NCHW input and prints the output.
"""

import argparse

import numpy as np
import onnx
from onnx import numpy_helper


def _attrs(node):
    return {a.name: onnx.helper.get_attribute_value(a) for a in node.attribute}


def _window_params(attrs, x):
    kernel = list(attrs["kernel_shape"])
    pads = list(attrs.get("pads", [0] * 4))
    strides = list(attrs.get("strides", [1, 1]))
    dilations = list(attrs.get("dilations", [1, 1]))
    assert len(kernel) == 2 and x.ndim == 4, "2-D only"
    assert attrs.get("auto_pad", b"NOTSET") in (b"NOTSET", "NOTSET"), "explicit pads only"
    return kernel, pads, strides, dilations


def _windows(x, kernel, pads, strides, dilations, pad_value):
    """Yields ((ky, kx), strided view of the padded input) for each kernel offset."""
    xp = np.pad(x, ((0, 0), (0, 0), (pads[0], pads[2]), (pads[1], pads[3])),
                constant_values=pad_value)
    out_h = (xp.shape[2] - dilations[0] * (kernel[0] - 1) - 1) // strides[0] + 1
    out_w = (xp.shape[3] - dilations[1] * (kernel[1] - 1) - 1) // strides[1] + 1
    for ky in range(kernel[0]):
        for kx in range(kernel[1]):
            y0, x0 = ky * dilations[0], kx * dilations[1]
            yield (ky, kx), xp[:, :, y0:y0 + strides[0] * (out_h - 1) + 1:strides[0],
                               x0:x0 + strides[1] * (out_w - 1) + 1:strides[1]]


def conv(inputs, attrs):
    x, w = inputs[0], inputs[1]
    assert attrs.get("group", 1) == 1, "grouped conv not needed here"
    attrs = dict(attrs, kernel_shape=attrs.get("kernel_shape", w.shape[2:]))
    out = 0.0
    for (ky, kx), window in _windows(x, *_window_params(attrs, x), pad_value=0.0):
        out = out + np.einsum("nchw,oc->nohw", window, w[:, :, ky, kx])
    if len(inputs) > 2:
        out = out + inputs[2][None, :, None, None]
    return out


def max_pool(inputs, attrs):
    x = inputs[0]
    assert attrs.get("ceil_mode", 0) == 0, "floor mode only"
    out = None
    for _, window in _windows(x, *_window_params(attrs, x), pad_value=-np.inf):
        out = window if out is None else np.maximum(out, window)
    return out


def gemm(inputs, attrs):
    a, b = inputs[0], inputs[1]
    a = a.T if attrs.get("transA", 0) else a
    b = b.T if attrs.get("transB", 0) else b
    out = attrs.get("alpha", 1.0) * (a @ b)
    if len(inputs) > 2:
        out = out + attrs.get("beta", 1.0) * inputs[2]
    return out


def flatten(inputs, attrs):
    x, axis = inputs[0], attrs.get("axis", 1)
    return x.reshape(int(np.prod(x.shape[:axis])), -1)


OPS = {
    "Conv": conv,
    "Relu": lambda inputs, attrs: np.maximum(inputs[0], 0.0),
    "MaxPool": max_pool,
    "GlobalAveragePool": lambda inputs, attrs: inputs[0].mean(axis=(2, 3), keepdims=True),
    "Flatten": flatten,
    "Gemm": gemm,
}


def evaluate(model, feeds):
    """Runs `model` (ModelProto) on {input name: array}; returns {output name: float64 array}."""
    values = {t.name: numpy_helper.to_array(t).astype(np.float64) for t in model.graph.initializer}
    values.update({name: np.asarray(v, np.float64) for name, v in feeds.items()})
    # ONNX requires nodes in topological order, so one pass suffices.
    for node in model.graph.node:
        if node.op_type not in OPS:
            raise NotImplementedError(f"{node.name}: op {node.op_type} not supported")
        inputs = [values[name] for name in node.input]
        values[node.output[0]] = OPS[node.op_type](inputs, _attrs(node))
    return {o.name: values[o.name] for o in model.graph.output}


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("model", help="ONNX model file")
    parser.add_argument("input", help=".npy float32 NCHW input for the model's only input")
    args = parser.parse_args()
    model = onnx.load(args.model)
    outputs = evaluate(model, {model.graph.input[0].name: np.load(args.input)})
    for name, value in outputs.items():
        print(f"{name} {list(value.shape)}:\n{value}")


if __name__ == "__main__":
    main()
