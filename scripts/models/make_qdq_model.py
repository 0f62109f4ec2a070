#!/usr/bin/python3
"""Rewrites a float ONNX model into QDQ form with given quantization parameters.

Reads PARAMS, a JSON file {"tensors": [{"name", "dtype", "scale": [...],
"zero_point": [...], "axis"}, ...]} naming the model's activations and its
quantized weights and biases (a weight initializer W is looked up as
"W_quantized", which is how rknnc names the constants it quantizes), and writes
OUT where
  * every activation with parameters is followed by QuantizeLinear ->
    DequantizeLinear (a graph input at its start, a graph output keeping its
    name after the DequantizeLinear);
  * every weight or bias with parameters becomes integer codes (round half to
    even, saturate: rule 1 of docs/quantization.md) read through a
    DequantizeLinear along the parameters' axis.
Activations without parameters stay float, so a Conv -> Relu pair whose Relu
output is quantized keeps the Conv's output float, as onnxruntime writes it.
"""
import argparse
import json

import numpy as np
import onnx
from onnx import helper, numpy_helper

DTYPES = {"uint8": np.uint8, "int8": np.int8, "int32": np.int32}


def shaped(values, rank, axis):
    values = np.asarray(values)
    if axis < 0 or values.size == 1:
        return values.reshape(())
    shape = [1] * rank
    shape[axis] = values.size
    return values.reshape(shape)


class Writer:
    def __init__(self, params):
        self.params = params
        self.nodes, self.initializers, self.emitted = [], [], set()

    def constant(self, name, array):
        if name not in self.emitted:
            self.emitted.add(name)
            self.initializers.append(numpy_helper.from_array(np.asarray(array), name))
        return name

    def scale_zp(self, name, p):
        dtype = DTYPES[p["dtype"]]
        scale = np.array(p["scale"], np.float32)
        zp = np.array(p["zero_point"]).astype(dtype)
        if scale.size == 1:
            scale, zp = scale.reshape(()), zp.reshape(())
        inputs = [self.constant(name + "_scale", scale)]
        if dtype != np.int32:
            inputs.append(self.constant(name + "_zero_point", zp))
        return inputs, max(p["axis"], 0)

    def quantize_dequantize(self, value, out_name):
        """value -> QuantizeLinear -> DequantizeLinear -> out_name."""
        inputs, axis = self.scale_zp(value, self.params[value])
        self.nodes.append(helper.make_node("QuantizeLinear", [value] + inputs, [value + "_q"],
                                           name=value + "_quantize", axis=axis))
        self.nodes.append(helper.make_node("DequantizeLinear", [value + "_q"] + inputs, [out_name],
                                           name=value + "_dequantize", axis=axis))

    def quantized_constant(self, name, real):
        """Codes of a float initializer with its parameters, and their DequantizeLinear."""
        p = self.params[name + "_quantized"]
        dtype = DTYPES[p["dtype"]]
        info = np.iinfo(dtype)
        scale = shaped(np.array(p["scale"], np.float32).astype(np.float64), real.ndim, p["axis"])
        zp = shaped(np.array(p["zero_point"], np.float64), real.ndim, p["axis"])
        codes = np.clip(np.rint(real.astype(np.float64) / scale) + zp, info.min, info.max).astype(dtype)
        inputs, axis = self.scale_zp(name, p)
        self.nodes.append(helper.make_node("DequantizeLinear", [self.constant(name + "_codes", codes)] + inputs,
                                           [name + "_dq"], name=name + "_dequantize", axis=axis))
        return name + "_dq"


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--model", required=True)
    parser.add_argument("--params", required=True)
    parser.add_argument("--out", required=True)
    args = parser.parse_args()
    with open(args.params) as f:
        params = {t["name"]: t for t in json.load(f)["tensors"]}
    model = onnx.load(args.model)
    graph = model.graph
    floats = {i.name: numpy_helper.to_array(i) for i in graph.initializer}
    outputs = {o.name for o in graph.output}
    w = Writer(params)
    renamed = {}
    for inp in graph.input:
        if inp.name in params:
            w.quantize_dequantize(inp.name, inp.name + "_dq")
            renamed[inp.name] = inp.name + "_dq"
    for node in graph.node:
        new = onnx.NodeProto()
        new.CopyFrom(node)
        del new.input[:]
        for name in node.input:
            if name in floats and name + "_quantized" in params and name + "_dq" not in w.emitted:
                w.emitted.add(name + "_dq")
                name = w.quantized_constant(name, floats[name])
            elif name + "_dq" in w.emitted:
                name = name + "_dq"
            elif name in floats:
                w.constant(name, floats[name])
            new.input.append(renamed.get(name, name))
        for k, out in enumerate(node.output):
            if out not in params:
                continue
            if out in outputs:  # the graph output keeps its name, after the DequantizeLinear
                new.output[k] = out + "_float"
                params[out + "_float"] = params[out]
                w.nodes.append(new)
                w.quantize_dequantize(out + "_float", out)
                new = None
                break
            w.nodes.append(new)
            w.quantize_dequantize(out, out + "_dq")
            renamed[out] = out + "_dq"
            new = None
            break
        if new is not None:
            w.nodes.append(new)
    out_graph = helper.make_graph(w.nodes, graph.name, list(graph.input), list(graph.output), w.initializers)
    out_model = helper.make_model(out_graph, opset_imports=list(model.opset_import),
                                  producer_name="rknn-build make_qdq_model.py")
    out_model.ir_version = model.ir_version
    onnx.checker.check_model(out_model)
    onnx.save(out_model, args.out)


if __name__ == "__main__":
    main()
