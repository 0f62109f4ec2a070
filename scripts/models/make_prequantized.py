#!/usr/bin/python3
"""Writes pre-quantized ONNX test models and their expected output codes.

Two formats, as onnxruntime writes them:
  * QDQ: DequantizeLinear -> float op -> QuantizeLinear around every op
    (activations uint8 or int8 per tensor, weights int8/uint8 per tensor or
    per output channel, int32 biases at x_scale * w_scale);
  * operator format: QLinearConv / QLinearMatMul with integer model inputs and
    outputs, or between a QuantizeLinear and a DequantizeLinear.

For every case NAME, OUT/ receives:
  NAME.onnx               the model (checked with onnx.checker)
  NAME.input_K.npy        what the application feeds input K: float32 for a
                          float input, the model's integer type for an integer one
  NAME.expected.npy       the output codes in the model's type (uint8/int8): of
                          the integer graph output, or of the value that the
                          final DequantizeLinear reads
  NAME.output_quant.npy   float32 [scale, zero_point] of those codes
  cases.txt               one case name per line (all cases; --case writes only those named)

The expected codes come from numpy_reference.py, the repository's independent
float64 ONNX evaluator, which reads each saved model back and walks its
nodes; this script adds the ops it lacks, written from the ONNX operator
definitions: QuantizeLinear (round half to even, saturate), DequantizeLinear,
QLinearConv / QLinearMatMul (exact integer sums times the real multiplier
x_scale * w_scale / y_scale, round half to even), MatMul, Sigmoid, Div.
Evaluating the QDQ graph in float64 makes each float op exact to about 1e-16,
so each QuantizeLinear rounds the real value the integer reading defines.
The same arguments give the same bytes.
"""
import argparse
import os
import sys

import numpy as np
import onnx
from onnx import TensorProto, helper, numpy_helper

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import numpy_reference  # noqa: E402  (sibling module, path set up above)
from numpy_reference import op  # noqa: E402

RANGES = {np.uint8: (0, 255), np.int8: (-128, 127), np.int32: (-2**31, 2**31 - 1)}
ONNX_TYPES = {np.uint8: TensorProto.UINT8, np.int8: TensorProto.INT8, np.float32: TensorProto.FLOAT}


# ---- the ONNX quantization ops, for numpy_reference -------------------------

def _along(param, x, axis):
    """A per-tensor or per-axis parameter shaped to broadcast against x."""
    param = np.asarray(param)
    if param.size == 1:
        return param.reshape(())
    shape = [1] * x.ndim
    shape[axis % x.ndim] = param.size
    return param.reshape(shape)


@op("QuantizeLinear")
def _quantize_linear(inputs, attrs, opset):
    x, scale = inputs[0], inputs[1]
    zp = inputs[2] if len(inputs) > 2 and inputs[2] is not None else np.zeros((), np.uint8)
    axis = attrs.get("axis", 1)
    lo, hi = RANGES[zp.dtype.type]
    q = np.rint(x / _along(scale, x, axis)) + _along(zp, x, axis).astype(np.float64)
    return [np.clip(q, lo, hi).astype(zp.dtype)]


@op("DequantizeLinear")
def _dequantize_linear(inputs, attrs, opset):
    x, scale = inputs[0], inputs[1]
    zp = inputs[2] if len(inputs) > 2 and inputs[2] is not None else np.zeros((), x.dtype)
    axis = attrs.get("axis", 1)
    offset = x.astype(np.int64) - _along(zp, x, axis).astype(np.int64)
    return [offset * _along(scale, x, axis)]


def _requantize(acc, real_multiplier, zp):
    lo, hi = RANGES[zp.dtype.type]
    return np.clip(np.rint(acc * real_multiplier) + zp.astype(np.float64), lo, hi).astype(zp.dtype)


@op("QLinearConv")
def _qlinear_conv(inputs, attrs, opset):
    x, xs, xz, w, ws, wz, ys, yz = inputs[:8]
    bias = inputs[8] if len(inputs) > 8 else None
    xo = (x.astype(np.int64) - xz.astype(np.int64)).astype(np.float64)  # exact below 2^53
    wo = (w.astype(np.int64) - _along(wz, w, 0).astype(np.int64)).astype(np.float64)
    acc = numpy_reference._OPS["Conv"]([xo, wo], attrs, opset)[0]
    if bias is not None:
        acc = acc + bias.astype(np.float64).reshape(1, -1, 1, 1)
    multiplier = xs.reshape(()) * _along(ws, acc, 1) / ys.reshape(())
    return [_requantize(acc, multiplier, yz.reshape(()))]


@op("QLinearMatMul")
def _qlinear_matmul(inputs, attrs, opset):
    a, as_, az, b, bs, bz, ys, yz = inputs
    ao = (a.astype(np.int64) - az.astype(np.int64).reshape(())).astype(np.float64)
    bo = (b.astype(np.int64) - bz.astype(np.int64).reshape(())).astype(np.float64)
    multiplier = as_.reshape(()) * bs.reshape(()) / ys.reshape(())
    return [_requantize(ao @ bo, multiplier, yz.reshape(()))]


@op("MatMul")
def _matmul(inputs, attrs, opset):
    return [inputs[0] @ inputs[1]]


@op("Sigmoid")
def _sigmoid(inputs, attrs, opset):
    return [1.0 / (1.0 + np.exp(-inputs[0]))]


@op("Div")
def _div(inputs, attrs, opset):
    return [inputs[0] / inputs[1]]


# ---- building models ---------------------------------------------------------

class Quantized:
    """A quantized value of the graph being built: its name and parameters."""

    def __init__(self, name, scale, zero_point, dtype, shape):
        self.name, self.scale, self.zero_point, self.dtype, self.shape = name, scale, zero_point, dtype, shape


class Model:
    """Writes a graph node by node; every op comes in the QDQ or QLinear form."""

    def __init__(self, name, rng):
        self.name, self.rng = name, rng
        self.nodes, self.initializers, self.inputs, self.outputs, self.feeds = [], [], [], [], {}
        self.result = None  # the Quantized value whose codes are expected

    def fresh(self, hint):
        return f"{hint}_{len(self.nodes)}_{len(self.initializers)}"

    def constant(self, hint, array):
        name = self.fresh(hint)
        self.initializers.append(numpy_helper.from_array(np.asarray(array), name))
        return name

    def node(self, op_type, inputs, hint, **attrs):
        out = self.fresh(hint)
        self.nodes.append(helper.make_node(op_type, inputs, [out], name=out, **attrs))
        return out

    def scale_zp(self, scale, zero_point, dtype):
        return [self.constant("scale", np.float32(scale)), self.constant("zero_point", dtype(zero_point))]

    def random_params(self, lo, hi, dtype):
        """Parameters covering [lo, hi] (0 included), with an irregular scale."""
        qlo, qhi = RANGES[dtype]
        lo, hi = min(lo, 0.0), max(hi, 0.0)
        scale = np.float32((hi - lo) / (qhi - qlo) * self.rng.uniform(1.0, 1.1))
        zero_point = int(np.clip(round(qlo - lo / scale), qlo, qhi))
        return scale, zero_point

    # ---- graph inputs and outputs

    def float_input(self, name, shape, lo=-1.0, hi=1.0):
        self.inputs.append(helper.make_tensor_value_info(name, TensorProto.FLOAT, shape))
        self.feeds[name] = self.rng.uniform(lo, hi, shape).astype(np.float32)
        return name

    def integer_input(self, name, shape, scale, zero_point, dtype):
        self.inputs.append(helper.make_tensor_value_info(name, ONNX_TYPES[dtype], shape))
        lo, hi = RANGES[dtype]
        self.feeds[name] = self.rng.integers(lo, hi + 1, shape).astype(dtype)
        return Quantized(name, scale, zero_point, dtype, shape)

    def quantize(self, value, shape, scale, zero_point, dtype):
        name = self.node("QuantizeLinear", [value] + self.scale_zp(scale, zero_point, dtype), "q")
        return Quantized(name, scale, zero_point, dtype, shape)

    def dequantize(self, q):
        return self.node("DequantizeLinear", [q.name] + self.scale_zp(q.scale, q.zero_point, q.dtype), "dq")

    def float_output(self, q):
        """The model's output: the dequantized codes of q (which the test expects)."""
        y = self.dequantize(q)
        self.outputs.append(helper.make_tensor_value_info(y, TensorProto.FLOAT, q.shape))
        self.result = q

    def integer_output(self, q):
        self.outputs.append(helper.make_tensor_value_info(q.name, ONNX_TYPES[q.dtype], q.shape))
        self.result = q

    # ---- weights

    def weights(self, shape, dtype, per_channel, axis=0):
        """Random float weights quantized as onnxruntime does: int8 symmetric
        (zero point 0, codes -127..127), uint8 asymmetric; returns the code
        initializer's name, scale and zero point arrays."""
        w = self.rng.standard_normal(shape) * np.sqrt(2.0 / np.prod(shape[1:]))
        moved = np.moveaxis(w, axis, 0).reshape(shape[axis], -1) if per_channel else w.reshape(1, -1)
        scales, zero_points = [], []
        for row in moved:
            if dtype == np.int8:
                scales.append(np.float32(np.abs(row).max() / 127.0))
                zero_points.append(0)
            else:
                s, z = self.random_params(row.min(), row.max(), np.uint8)
                scales.append(s)
                zero_points.append(z)
        scales, zero_points = np.array(scales, np.float32), np.array(zero_points)
        bshape = [1] * len(shape)
        if per_channel:
            bshape[axis] = shape[axis]
        lo, hi = RANGES[dtype]
        codes = np.clip(np.rint(w / scales.reshape(bshape)) + zero_points.reshape(bshape), lo, hi).astype(dtype)
        if not per_channel:
            scales, zero_points = scales.reshape(()), zero_points.reshape(())
        return self.constant("w", codes), scales, zero_points.astype(dtype)

    def bias(self, channels, x_scale, w_scale):
        """int32 codes at scale x_scale * w_scale (float32 products, as onnxruntime)."""
        b_scale = np.float32(x_scale) * np.broadcast_to(w_scale, (channels,)).astype(np.float32)
        real = self.rng.uniform(-0.5, 0.5, channels)
        return np.rint(real / b_scale).astype(np.int32), b_scale.astype(np.float32)

    # ---- QDQ ops

    def dq_weights(self, codes, scales, zero_points, axis, as_float=False):
        """DequantizeLinear of the weight codes; as_float writes the float
        weights -> QuantizeLinear -> DequantizeLinear instead (an onnxruntime option)."""
        params = [self.constant("w_scale", scales), self.constant("w_zp", zero_points)]
        if as_float:
            init = next(i for i in self.initializers if i.name == codes)
            real = numpy_helper.to_array(init).astype(np.float32) - _along(zero_points, numpy_helper.to_array(init), axis)
            real = (real * _along(scales, real, axis)).astype(np.float32)
            codes = self.node("QuantizeLinear", [self.constant("w_float", real)] + params, "q_w", axis=axis)
        return self.node("DequantizeLinear", [codes] + params, "dq_w", axis=axis)

    def conv(self, x, out_channels, out_range, out_dtype, kernel=3, stride=1, pad=1, group=1,
             w_dtype=np.int8, per_channel=True, relu=False, use_bias=True, float_weights=False):
        n, c, h, w = x.shape
        codes, ws, wz = self.weights([out_channels, c // group, kernel, kernel], w_dtype, per_channel)
        inputs = [self.dequantize(x), self.dq_weights(codes, ws, wz, 0, float_weights)]
        if use_bias:
            b, bs = self.bias(out_channels, x.scale, ws)
            inputs.append(self.node("DequantizeLinear", [self.constant("b", b), self.constant("b_scale", bs)],
                                    "dq_b", axis=0))
        y = self.node("Conv", inputs, "conv", kernel_shape=[kernel, kernel], strides=[stride, stride],
                      pads=[pad] * 4, group=group)
        if relu:
            y = self.node("Relu", [y], "relu")
        out = (h + 2 * pad - kernel) // stride + 1
        s, z = self.random_params(*out_range, out_dtype)
        return self.quantize(y, [n, out_channels, out, out], s, z, out_dtype)

    def gemm(self, x, out_features, out_range, out_dtype, w_dtype=np.int8, per_channel=True):
        codes, ws, wz = self.weights([out_features, x.shape[1]], w_dtype, per_channel)
        b, bs = self.bias(out_features, x.scale, ws)
        y = self.node("Gemm", [self.dequantize(x), self.dq_weights(codes, ws, wz, 0),
                               self.node("DequantizeLinear", [self.constant("b", b), self.constant("b_scale", bs)],
                                         "dq_b", axis=0)], "gemm", transB=1)
        s, z = self.random_params(*out_range, out_dtype)
        return self.quantize(y, [x.shape[0], out_features], s, z, out_dtype)

    def matmul(self, a, out_features, out_range, out_dtype):
        codes, bs, bz = self.weights([a.shape[-1], out_features], np.int8, False)
        y = self.node("MatMul", [self.dequantize(a), self.dq_weights(codes, bs, bz, 1)], "matmul")
        s, z = self.random_params(*out_range, out_dtype)
        return self.quantize(y, a.shape[:-1] + [out_features], s, z, out_dtype)

    def binary(self, op_type, a, b, out_range, out_dtype):
        y = self.node(op_type, [self.dequantize(a), self.dequantize(b)], op_type.lower())
        s, z = self.random_params(*out_range, out_dtype)
        return self.quantize(y, a.shape, s, z, out_dtype)

    def unary(self, op_type, x, out_range, out_dtype, **attrs):
        y = self.node(op_type, [self.dequantize(x)], op_type.lower(), **attrs)
        s, z = self.random_params(*out_range, out_dtype)
        return self.quantize(y, x.shape, s, z, out_dtype)

    def same_params(self, op_type, x, shape, **attrs):
        """Data movement: onnxruntime gives input and output one set of parameters."""
        y = self.node(op_type, [self.dequantize(x)], op_type.lower(), **attrs)
        return self.quantize(y, shape, x.scale, x.zero_point, x.dtype)

    def concat(self, parts, out_range, out_dtype):
        y = self.node("Concat", [self.dequantize(p) for p in parts], "concat", axis=1)
        s, z = self.random_params(*out_range, out_dtype)
        shape = list(parts[0].shape)
        shape[1] = sum(p.shape[1] for p in parts)
        return self.quantize(y, shape, s, z, out_dtype)

    # ---- operator-format ops

    def qlinear_conv(self, x, out_channels, out_range, out_dtype, w_dtype, per_channel, pad=1, stride=1):
        n, c, h, w = x.shape
        codes, ws, wz = self.weights([out_channels, c, 3, 3], w_dtype, per_channel)
        b, _ = self.bias(out_channels, x.scale, ws)
        s, z = self.random_params(*out_range, out_dtype)
        inputs = [x.name] + self.scale_zp(x.scale, x.zero_point, x.dtype) + \
            [codes, self.constant("w_scale", ws), self.constant("w_zp", wz)] + \
            self.scale_zp(s, z, out_dtype) + [self.constant("b", b)]
        y = self.node("QLinearConv", inputs, "qlinearconv", kernel_shape=[3, 3], pads=[pad] * 4,
                      strides=[stride, stride])
        out = (h + 2 * pad - 3) // stride + 1
        return Quantized(y, s, z, out_dtype, [n, out_channels, out, out])

    def qlinear_matmul(self, a, out_features, out_range, out_dtype, b_dtype):
        codes, bs, bz = self.weights([a.shape[-1], out_features], b_dtype, False)
        s, z = self.random_params(*out_range, out_dtype)
        inputs = [a.name] + self.scale_zp(a.scale, a.zero_point, a.dtype) + \
            [codes, self.constant("b_scale", bs), self.constant("b_zp", bz)] + self.scale_zp(s, z, out_dtype)
        y = self.node("QLinearMatMul", inputs, "qlinearmatmul")
        return Quantized(y, s, z, out_dtype, a.shape[:-1] + [out_features])

    # ---- saving

    def save(self, out_dir, opset):
        graph = helper.make_graph(self.nodes, self.name, self.inputs, self.outputs, self.initializers)
        model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", opset)],
                                  producer_name="rknn-build make_prequantized.py")
        model.ir_version = 8
        onnx.checker.check_model(model)
        path = os.path.join(out_dir, self.name + ".onnx")
        onnx.save(model, path)
        values = numpy_reference.evaluate(onnx.load(path), self.feeds, keep_all=True)
        for k, inp in enumerate(self.inputs):
            np.save(os.path.join(out_dir, f"{self.name}.input_{k}.npy"), self.feeds[inp.name])
        expected = values[self.result.name]
        assert expected.dtype == self.result.dtype, (self.name, expected.dtype)
        np.save(os.path.join(out_dir, self.name + ".expected.npy"), expected)
        np.save(os.path.join(out_dir, self.name + ".output_quant.npy"),
                np.array([self.result.scale, self.result.zero_point], np.float32))


# ---- the cases -----------------------------------------------------------------

def qdq_input(m, shape, dtype):
    x = m.float_input("input", shape)
    s, z = m.random_params(-1.0, 1.0, dtype)
    return m.quantize(x, shape, s, z, dtype)


def qdq_conv_u8(m):
    """uint8 activations, int8 weights per channel, int32 bias, Relu before the QuantizeLinear."""
    x = qdq_input(m, [1, 3, 10, 10], np.uint8)
    m.float_output(m.conv(x, 8, (0.0, 1.5), np.uint8, relu=True))


def qdq_conv_s8(m):
    """int8 asymmetric activations, int8 weights per tensor, stride 2, no bias."""
    x = qdq_input(m, [1, 4, 9, 9], np.int8)
    y = m.conv(x, 6, (-1.5, 1.0), np.int8, stride=2, per_channel=False, use_bias=False)
    m.float_output(y)


def qdq_conv_u8_weights(m):
    """uint8 activations with uint8 asymmetric weights per tensor."""
    x = qdq_input(m, [1, 3, 8, 8], np.uint8)
    m.float_output(m.conv(x, 5, (-1.0, 1.2), np.uint8, w_dtype=np.uint8, per_channel=False))


def qdq_float_weights(m):
    """Float weights -> QuantizeLinear -> DequantizeLinear, per channel and per tensor."""
    x = qdq_input(m, [1, 3, 8, 8], np.uint8)
    y = m.conv(x, 6, (-1.0, 1.0), np.uint8, float_weights=True)
    m.float_output(m.conv(y, 4, (-1.0, 1.0), np.uint8, per_channel=False, float_weights=True))


def qdq_depthwise(m):
    """A pointwise conv, then a depthwise conv with per-channel weights and Relu."""
    x = qdq_input(m, [1, 4, 8, 8], np.int8)
    y = m.conv(x, 8, (-2.0, 2.0), np.int8, kernel=1, pad=0)
    m.float_output(m.conv(y, 8, (0.0, 2.0), np.int8, group=8, relu=True))


def qdq_gemm_matmul(m):
    """Gemm (transB, per-channel int8 weights, bias), then MatMul with per-tensor weights."""
    x = qdq_input(m, [8, 16], np.uint8)
    y = m.gemm(x, 12, (-2.0, 2.0), np.uint8)
    m.float_output(m.matmul(y, 5, (-2.0, 2.0), np.uint8))


def qdq_add_concat(m):
    """Two branches with their own parameters, added and concatenated; a Relu
    quantized on its own (its own DequantizeLinear and QuantizeLinear)."""
    x = qdq_input(m, [1, 3, 6, 6], np.uint8)
    a = m.conv(x, 4, (-1.0, 1.0), np.uint8)
    b = m.unary("Relu", m.conv(x, 4, (-2.0, 1.5), np.uint8), (0.0, 1.5), np.uint8)
    s = m.binary("Add", a, b, (-2.5, 2.5), np.uint8)
    m.float_output(m.concat([a, s], (-2.5, 2.5), np.uint8))


def qdq_net(m, dtype):
    """A small classifier: conv-relu, maxpool, conv, residual add, sigmoid,
    global average pool, flatten, gemm."""
    x = qdq_input(m, [4, 3, 16, 16], dtype)
    a = m.conv(x, 8, (0.0, 2.0), dtype, relu=True)
    p = m.same_params("MaxPool", a, [4, 8, 8, 8], kernel_shape=[2, 2], strides=[2, 2])
    b = m.conv(p, 8, (-2.0, 2.0), dtype)
    r = m.binary("Add", p, b, (-2.0, 4.0), dtype)
    g = m.unary("Sigmoid", r, (0.0, 1.0), dtype)
    v = m.unary("GlobalAveragePool", g, (0.0, 1.0), dtype)
    f = m.same_params("Flatten", v, [4, 8], axis=1)
    m.float_output(m.gemm(f, 6, (-3.0, 3.0), dtype))


def qdq_net_u8(m):
    qdq_net(m, np.uint8)


def qdq_net_s8(m):
    qdq_net(m, np.int8)


def qdq_float_island(m):
    """Div has no integer kernel: it stays float between its DequantizeLinear and QuantizeLinear."""
    x = qdq_input(m, [1, 3, 6, 6], np.uint8)
    d = m.node("Div", [m.dequantize(x), m.constant("divisor", np.float32(1.7))], "div")
    s, z = m.random_params(-0.6, 0.6, np.uint8)
    q = m.quantize(d, x.shape, s, z, np.uint8)
    m.float_output(m.conv(q, 4, (-1.0, 1.0), np.uint8))


def qlinear_conv_u8(m):
    """uint8 model input and output, uint8 weights per tensor with a zero point."""
    x = m.integer_input("x", [1, 3, 7, 7], np.float32(0.0173), 121, np.uint8)
    m.integer_output(m.qlinear_conv(x, 4, (-2.0, 2.0), np.uint8, np.uint8, False))


def qlinear_conv_s8(m):
    """int8 model input and output, int8 weights per channel, two convolutions."""
    x = m.integer_input("x", [1, 2, 8, 8], np.float32(0.0091), -7, np.int8)
    y = m.qlinear_conv(x, 6, (-1.5, 1.5), np.int8, np.int8, True, stride=2)
    m.integer_output(m.qlinear_conv(y, 3, (-1.0, 2.0), np.int8, np.int8, True))


def qlinear_matmul_u8(m):
    a = m.integer_input("a", [2, 3, 8], np.float32(0.0213), 131, np.uint8)
    m.integer_output(m.qlinear_matmul(a, 5, (-3.0, 3.0), np.uint8, np.uint8))


def qlinear_matmul_s8(m):
    a = m.integer_input("a", [4, 8], np.float32(0.0157), 3, np.int8)
    m.integer_output(m.qlinear_matmul(a, 6, (-4.0, 4.0), np.int8, np.int8))


def qoperator_net(m):
    """onnxruntime's operator format: QuantizeLinear, QLinear ops, DequantizeLinear."""
    x = qdq_input(m, [1, 3, 8, 8], np.uint8)
    y = m.qlinear_conv(x, 6, (-1.0, 1.0), np.uint8, np.int8, True)
    y = m.qlinear_conv(y, 4, (-1.0, 1.0), np.uint8, np.int8, True, stride=2)
    m.float_output(y)


CASES = [qdq_conv_u8, qdq_conv_s8, qdq_conv_u8_weights, qdq_float_weights, qdq_depthwise, qdq_gemm_matmul, qdq_add_concat,
         qdq_net_u8, qdq_net_s8, qdq_float_island, qlinear_conv_u8, qlinear_conv_s8, qlinear_matmul_u8,
         qlinear_matmul_s8, qoperator_net]


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--out", required=True, help="output folder (created if missing)")
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--opset", type=int, default=13)
    parser.add_argument("--case", action="append", default=[], help="only this case (repeatable)")
    args = parser.parse_args()
    unknown = set(args.case) - {case.__name__ for case in CASES}
    if unknown:
        parser.error(f"unknown case(s): {', '.join(sorted(unknown))}")
    os.makedirs(args.out, exist_ok=True)
    for case in CASES:
        if args.case and case.__name__ not in args.case:
            continue
        # Seeded by the case's name, so adding a case changes no other.
        m = Model(case.__name__, np.random.default_rng([args.seed] + list(case.__name__.encode())))
        case(m)
        m.save(args.out, args.opset)
    with open(os.path.join(args.out, "cases.txt"), "w") as f:
        f.write("".join(case.__name__ + "\n" for case in CASES))


if __name__ == "__main__":
    main()
