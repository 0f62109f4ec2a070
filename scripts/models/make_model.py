#!/usr/bin/python3
"""Generates the ONNX test models of rknn-build, with an input and expected output.

The graphs are built directly with onnx.helper, shaped the way
torch.onnx.export(opset 13, do_constant_folding=False) shapes them (same ops,
same attribute sets, PyTorch-style node and tensor names), so no PyTorch is
needed. Weights are random but scaled so activations stay O(1).

For each model, writes into --out:
  <arch>.onnx           the model (+ <arch>.weights with --external-data)
  <arch>.input.npy      float32 NCHW input, batch 1
  <arch>.expected.npy   output of numpy_reference.py (float64, stored as float32)

Everything is seeded: the same arguments give the same bytes.
"""

import argparse
import os
import sys
import time

import numpy as np
import onnx
from onnx import TensorProto, helper, numpy_helper

# Import the sibling module without leaving a __pycache__ in the source tree.
sys.dont_write_bytecode = True
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import numpy_reference  # noqa: E402  (sibling module, path set up above)

ARCHS = ("resnet18", "resnet50", "mobilenetv2", "tiny_cnn", "pytorch_idioms")
DEFAULT_IMAGE_SIZE = {"resnet18": 224, "resnet50": 224, "mobilenetv2": 224, "tiny_cnn": 32, "pytorch_idioms": 32}
# Opset 13 is what we target; up to 17 (the newest onnx 1.12 knows) the ops
# used here keep the same inputs, so those are accepted too.
SUPPORTED_OPSETS = range(13, 18)


class ModelError(Exception):
    """A problem with the requested model (bad size, failed check, ...)."""


def scope_of(module_path):
    """torch.onnx scope for a module path: "layer1.0.conv1" -> "/layer1/layer1.0/conv1".

    Children of containers (numeric names) are qualified with their parent's
    name, as PyTorch's exporter does ("features.1/conv/conv.0/conv.0.0").
    """
    parts, scope = [], ""
    for name in module_path.split(".") if module_path else []:
        scope = f"{scope}.{name}" if name.isdigit() and scope else name
        parts.append(scope)
    return "".join("/" + p for p in parts)


class GraphBuilder:
    """Collects nodes and initializers, naming them like torch.onnx.export."""

    def __init__(self, rng):
        self.rng = rng
        self.nodes = []
        self.initializers = []
        self._used_names = set()

    def param(self, name, array):
        """Adds a float32 initializer (a module parameter or buffer)."""
        self.initializers.append(numpy_helper.from_array(np.asarray(array, np.float32), name))
        return name

    def node(self, scope, op_type, inputs, output=None, **attrs):
        """Adds `scope/op_type` (uniquified with _1, _2, ...); returns its output name."""
        base = f"{scope}/{op_type}"
        name, i = base, 0
        while name in self._used_names:
            i += 1
            name = f"{base}_{i}"
        self._used_names.add(name)
        out = output or f"{name}_output_0"
        self.nodes.append(helper.make_node(op_type, inputs, [out], name=name, **attrs))
        return out

    def constant(self, scope, array):
        """A Constant node, which is how the exporter emits Python-side tensors."""
        return self.node(scope, "Constant", [], value=numpy_helper.from_array(np.asarray(array)))


# ---------------------------------------------------------------------------
# Random parameters. He-normal conv weights keep the second moment of ReLU
# networks roughly constant; BatchNorm statistics are random but plausible.

def he_normal(rng, shape):
    fan_in = int(np.prod(shape[1:]))
    return rng.normal(0.0, np.sqrt(2.0 / fan_in), size=shape)


def small_bias(rng, n):
    return rng.uniform(-0.1, 0.1, size=n)


# ---------------------------------------------------------------------------
# Layers, named after the torch.nn modules they stand for.

def conv(g, x, path, cin, cout, k, stride=1, pad=0, groups=1, bias=False):
    inputs = [x, g.param(f"{path}.weight", he_normal(g.rng, (cout, cin // groups, k, k)))]
    if bias:
        inputs.append(g.param(f"{path}.bias", small_bias(g.rng, cout)))
    return g.node(scope_of(path), "Conv", inputs, dilations=[1, 1], group=groups,
                  kernel_shape=[k, k], pads=[pad] * 4, strides=[stride] * 2)


def batch_norm(g, x, path, c, gamma_range=(0.4, 1.0)):
    rng = g.rng
    inputs = [x,
              g.param(f"{path}.weight", rng.uniform(*gamma_range, size=c)),
              g.param(f"{path}.bias", rng.uniform(-0.1, 0.2, size=c)),
              g.param(f"{path}.running_mean", rng.normal(0.0, 0.1, size=c)),
              g.param(f"{path}.running_var", rng.uniform(0.5, 1.5, size=c))]
    # PyTorch exports momentum as 1 - torch_momentum.
    return g.node(scope_of(path), "BatchNormalization", inputs, epsilon=1e-5, momentum=0.9)


def relu(g, x, path):
    return g.node(scope_of(path), "Relu", [x])


def relu6(g, x, path):
    """nn.ReLU6 exports as Clip with its bounds as Constant inputs (opset >= 11)."""
    scope = scope_of(path)
    lo = g.constant(scope, np.float32(0.0))
    hi = g.constant(scope, np.float32(6.0))
    return g.node(scope, "Clip", [x, lo, hi])


def max_pool(g, x, path, k, stride, pad):
    return g.node(scope_of(path), "MaxPool", [x], ceil_mode=0, dilations=[1, 1],
                  kernel_shape=[k, k], pads=[pad] * 4, strides=[stride] * 2)


def linear(g, x, path, cin, cout, output=None):
    # nn.Linear: weight is [out, in], hence transB=1. LeCun scaling: no ReLU after.
    w = g.rng.normal(0.0, np.sqrt(1.0 / cin), size=(cout, cin))
    inputs = [x, g.param(f"{path}.weight", w), g.param(f"{path}.bias", small_bias(g.rng, cout))]
    return g.node(scope_of(path), "Gemm", inputs, output=output, alpha=1.0, beta=1.0, transB=1)


def dropout(g, x, path, ratio):
    # Opset >= 12 takes the ratio as an input; at inference Dropout is identity.
    scope = scope_of(path)
    return g.node(scope, "Dropout", [x, g.constant(scope, np.float32(ratio))])


def view_flatten(g, x):
    """x.view(x.size(0), -1) as traced: Shape -> Gather(0) -> Unsqueeze -> Concat([-1]) -> Reshape."""
    batch = g.node("", "Gather", [g.node("", "Shape", [x]), g.constant("", np.int64(0))], axis=0)
    batch = g.node("", "Unsqueeze", [batch, g.constant("", np.array([0], np.int64))])
    shape = g.node("", "Concat", [batch, g.constant("", np.array([-1], np.int64))], axis=0)
    return g.node("", "Reshape", [x, shape])


# ---------------------------------------------------------------------------
# Architectures. Each takes (builder, image size) and returns (output shape).

def basic_block(g, x, path, cin, cout, stride):
    """torchvision BasicBlock: conv3x3-bn-relu-conv3x3-bn, + identity or 1x1 downsample."""
    y = relu(g, batch_norm(g, conv(g, x, f"{path}.conv1", cin, cout, 3, stride, 1), f"{path}.bn1", cout),
             f"{path}.relu")
    # A smaller last gamma keeps the residual sum from doubling the variance at
    # every block (the same idea as torchvision's zero_init_residual).
    y = batch_norm(g, conv(g, y, f"{path}.conv2", cout, cout, 3, 1, 1), f"{path}.bn2", cout,
                   gamma_range=(0.2, 0.5))
    if stride != 1 or cin != cout:
        x = conv(g, x, f"{path}.downsample.0", cin, cout, 1, stride, 0)
        x = batch_norm(g, x, f"{path}.downsample.1", cout)
    return relu(g, g.node(scope_of(path), "Add", [y, x]), f"{path}.relu_1")


def build_resnet18(g, size):
    x = conv(g, "input", "conv1", 3, 64, 7, 2, 3)
    x = max_pool(g, relu(g, batch_norm(g, x, "bn1", 64), "relu"), "maxpool", 3, 2, 1)
    cin = 64
    for stage, cout in enumerate((64, 128, 256, 512), start=1):
        for block in range(2):
            stride = 2 if stage > 1 and block == 0 else 1
            x = basic_block(g, x, f"layer{stage}.{block}", cin, cout, stride)
            cin = cout
    x = g.node("/avgpool", "GlobalAveragePool", [x])
    x = g.node("", "Flatten", [x], axis=1)
    linear(g, x, "fc", 512, 1000, output="output")
    return [1, 1000]


def bottleneck(g, x, path, cin, width, stride):
    """torchvision Bottleneck (v1.5, stride on the 3x3): 1x1-bn-relu, 3x3-bn-relu, 1x1-bn (4x width),
    + identity or 1x1 downsample."""
    cout = width * 4
    y = relu(g, batch_norm(g, conv(g, x, f"{path}.conv1", cin, width, 1), f"{path}.bn1", width), f"{path}.relu")
    y = relu(g, batch_norm(g, conv(g, y, f"{path}.conv2", width, width, 3, stride, 1), f"{path}.bn2", width),
             f"{path}.relu_1")
    # As in basic_block: a smaller last gamma keeps the residual sums from growing.
    y = batch_norm(g, conv(g, y, f"{path}.conv3", width, cout, 1), f"{path}.bn3", cout, gamma_range=(0.2, 0.5))
    if stride != 1 or cin != cout:
        x = conv(g, x, f"{path}.downsample.0", cin, cout, 1, stride, 0)
        x = batch_norm(g, x, f"{path}.downsample.1", cout)
    return relu(g, g.node(scope_of(path), "Add", [y, x]), f"{path}.relu_2")


def build_resnet50(g, size):
    x = conv(g, "input", "conv1", 3, 64, 7, 2, 3)
    x = max_pool(g, relu(g, batch_norm(g, x, "bn1", 64), "relu"), "maxpool", 3, 2, 1)
    cin = 64
    for stage, (width, blocks) in enumerate(((64, 3), (128, 4), (256, 6), (512, 3)), start=1):
        for block in range(blocks):
            stride = 2 if stage > 1 and block == 0 else 1
            x = bottleneck(g, x, f"layer{stage}.{block}", cin, width, stride)
            cin = width * 4
    x = g.node("/avgpool", "GlobalAveragePool", [x])
    x = g.node("", "Flatten", [x], axis=1)
    linear(g, x, "fc", 2048, 1000, output="output")
    return [1, 1000]


def conv_bn_relu6(g, x, path, cin, cout, k, stride=1, groups=1):
    """torchvision Conv2dNormActivation: children .0 conv, .1 bn, .2 ReLU6."""
    x = conv(g, x, f"{path}.0", cin, cout, k, stride, (k - 1) // 2, groups)
    # Wider gammas than the default so that ReLU6's upper bound is really hit.
    return relu6(g, batch_norm(g, x, f"{path}.1", cout, gamma_range=(0.5, 1.5)), f"{path}.2")


def inverted_residual(g, x, path, cin, cout, stride, expand):
    hidden = cin * expand
    layers = f"{path}.conv"
    y, i = x, 0
    if expand != 1:
        y = conv_bn_relu6(g, y, f"{layers}.0", cin, hidden, 1)
        i = 1
    y = conv_bn_relu6(g, y, f"{layers}.{i}", hidden, hidden, 3, stride, groups=hidden)
    y = conv(g, y, f"{layers}.{i + 1}", hidden, cout, 1)
    y = batch_norm(g, y, f"{layers}.{i + 2}", cout, gamma_range=(0.2, 0.5))
    if stride == 1 and cin == cout:
        y = g.node(scope_of(path), "Add", [x, y])
    return y


# (expansion t, channels c, repeats n, first stride s), torchvision width 1.0.
MOBILENETV2_SETTINGS = [(1, 16, 1, 1), (6, 24, 2, 2), (6, 32, 3, 2), (6, 64, 4, 2),
                        (6, 96, 3, 1), (6, 160, 3, 2), (6, 320, 1, 1)]


def build_mobilenetv2(g, size):
    x = conv_bn_relu6(g, "input", "features.0", 3, 32, 3, 2)
    cin, index = 32, 1
    for t, c, n, s in MOBILENETV2_SETTINGS:
        for i in range(n):
            x = inverted_residual(g, x, f"features.{index}", cin, c, s if i == 0 else 1, t)
            cin, index = c, index + 1
    x = conv_bn_relu6(g, x, f"features.{index}", cin, 1280, 1)
    x = g.node("", "GlobalAveragePool", [x])
    x = dropout(g, view_flatten(g, x), "classifier.0", 0.2)
    linear(g, x, "classifier.1", 1280, 1000, output="output")
    return [1, 1000]


def build_tiny_cnn(g, size):
    """Three conv-bn-relu-maxpool stages (16/32/64 channels), then a 2-layer MLP to 10 classes."""
    if size % 8:
        raise ModelError(f"tiny_cnn needs an image size divisible by 8, got {size}")
    x, cin = "input", 3
    for i, cout in enumerate((16, 32, 64), start=1):
        x = batch_norm(g, conv(g, x, f"conv{i}", cin, cout, 3, 1, 1), f"bn{i}", cout)
        x = max_pool(g, relu(g, x, f"relu{i}"), f"pool{i}", 2, 2, 0)
        cin = cout
    x = g.node("", "Flatten", [x], axis=1)
    x = relu(g, linear(g, x, "fc1", 64 * (size // 8) ** 2, 64), "relu4")
    linear(g, x, "fc2", 64, 10, output="output")
    return [1, 10]


def build_pytorch_idioms(g, size):
    """Small net made of the patterns PyTorch exports emit and compilers must digest."""
    if size % 4:
        raise ModelError(f"pytorch_idioms needs an image size divisible by 4, got {size}")
    x = g.node("", "Identity", ["input"])
    # F.pad(x, (1, 1, 1, 1)) then an unpadded conv: a Pad the compiler can fold into Conv.
    pads = g.constant("/pad", np.array([0, 0, 1, 1, 0, 0, 1, 1], np.int64))
    x = g.node("/pad", "Pad", [x, pads, g.constant("/pad", np.float32(0.0))], mode="constant")
    x = conv(g, x, "conv1", 3, 16, 3, bias=True)
    # x * scale + shift with per-channel [1, C, 1, 1] tensors: foldable into the conv.
    # The scale is a parameter (initializer), the shift a traced constant (Constant node).
    scale = g.param("scale", g.rng.uniform(0.5, 1.5, size=(1, 16, 1, 1)))
    x = g.node("", "Mul", [x, scale])
    x = g.node("", "Add", [x, g.constant("", small_bias(g.rng, 16).reshape(1, 16, 1, 1).astype(np.float32))])
    x = relu(g, x, "relu")
    x = g.node("/act", "LeakyRelu", [conv(g, x, "conv2", 16, 32, 3, 2, 1, bias=True)], alpha=0.1)
    x = g.node("/pool", "AveragePool", [x], ceil_mode=0, count_include_pad=0,
               kernel_shape=[3, 3], pads=[1, 1, 1, 1], strides=[2, 2])
    # x + torch.full_like(x, 0.5): a ConstantOfShape fed by a runtime Shape.
    half = helper.make_tensor("value", TensorProto.FLOAT, [1], [0.5])
    x = g.node("", "Add", [x, g.node("", "ConstantOfShape", [g.node("", "Shape", [x])], value=half)])
    # NHWC flatten, as in x.permute(0, 2, 3, 1).view(x.size(0), -1).
    x = view_flatten(g, g.node("", "Transpose", [x], perm=[0, 2, 3, 1]))
    x = dropout(g, x, "dropout", 0.5)
    x = linear(g, x, "fc", 32 * (size // 4) ** 2, 10)
    g.node("/softmax", "Softmax", [x], output="output", axis=1)
    return [1, 10]


BUILDERS = {"resnet18": build_resnet18, "resnet50": build_resnet50, "mobilenetv2": build_mobilenetv2,
            "tiny_cnn": build_tiny_cnn, "pytorch_idioms": build_pytorch_idioms}


# ---------------------------------------------------------------------------

def build_model(arch, size, seed, opset):
    g = GraphBuilder(np.random.default_rng(seed))
    out_shape = BUILDERS[arch](g, size)
    graph = helper.make_graph(
        g.nodes, arch,
        [helper.make_tensor_value_info("input", TensorProto.FLOAT, [1, 3, size, size])],
        [helper.make_tensor_value_info("output", TensorProto.FLOAT, out_shape)],
        g.initializers)
    model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", opset)],
                              producer_name="rknn-build make_model.py", producer_version="1")
    model.doc_string = f"{arch}, random weights, seed {seed}, image size {size}"
    return model


def save_model(model, path, weights_name):
    """Saves the model, optionally with all initializers in one side file."""
    if weights_name:
        # onnx 1.12 appends to an existing external data file, so a stale one
        # would grow and keep dead bytes: always start from scratch.
        weights_path = os.path.join(os.path.dirname(path), weights_name)
        if os.path.exists(weights_path):
            os.remove(weights_path)
        onnx.save_model(model, path, save_as_external_data=True, all_tensors_to_one_file=True,
                        location=weights_name, size_threshold=0)
    else:
        onnx.save_model(model, path)


def validate(path):
    """Full checker (by path, so external data is checked too) and strict shape inference."""
    try:
        onnx.checker.check_model(path, full_check=False)
        model = onnx.load(path)
        onnx.shape_inference.infer_shapes(model, check_type=True, strict_mode=True)
    except (onnx.checker.ValidationError, onnx.shape_inference.InferenceError) as err:
        raise ModelError(f"{path} failed validation: {err}") from err
    return model


def generate(arch, out_dir, seed, size, opset, external_data):
    os.makedirs(out_dir, exist_ok=True)
    stem = os.path.join(out_dir, arch)
    model = build_model(arch, size, seed, opset)
    save_model(model, stem + ".onnx", arch + ".weights" if external_data else "")
    if not external_data and os.path.exists(stem + ".weights"):
        os.remove(stem + ".weights")  # leftover from an earlier --external-data run

    # Evaluate what was written, not the in-memory proto, so the files are what is tested.
    model = validate(stem + ".onnx")
    x = np.random.default_rng([seed, 1]).standard_normal((1, 3, size, size)).astype(np.float32)
    expected = numpy_reference.evaluate(model, {"input": x})["output"]
    np.save(stem + ".input.npy", x)
    np.save(stem + ".expected.npy", expected.astype(np.float32))
    return model, expected


def parse_args(argv):
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--arch", required=True, choices=ARCHS)
    p.add_argument("--out", required=True, help="output directory (created if missing)")
    p.add_argument("--seed", type=int, default=0, help="numpy seed for weights and input")
    p.add_argument("--image-size", type=int, default=None,
                   help="input height = width (default: 224 for resnet18/resnet50/mobilenetv2, 32 otherwise)")
    p.add_argument("--external-data", action="store_true",
                   help="store initializers in <arch>.weights next to the model")
    p.add_argument("--opset", type=int, default=13, help="default-domain opset (13..17)")
    args = p.parse_args(argv)
    if args.image_size is None:
        args.image_size = DEFAULT_IMAGE_SIZE[args.arch]
    if args.image_size < 32:
        p.error(f"--image-size must be at least 32, got {args.image_size}")
    if args.opset not in SUPPORTED_OPSETS:
        p.error(f"--opset must be in {SUPPORTED_OPSETS.start}..{SUPPORTED_OPSETS.stop - 1}, got {args.opset}")
    if args.seed < 0:
        p.error("--seed must be non-negative")
    return args


def main(argv=None):
    args = parse_args(argv)
    start = time.monotonic()
    try:
        model, expected = generate(args.arch, args.out, args.seed, args.image_size,
                                   args.opset, args.external_data)
    except (ModelError, OSError, NotImplementedError, ValueError) as err:
        print(f"make_model.py: error: {err}", file=sys.stderr)
        return 1
    params = sum(int(np.prod(t.dims)) for t in model.graph.initializer)
    print(f"{args.arch}: {len(model.graph.node)} nodes, {params} parameters, "
          f"output {list(expected.shape)} (std {expected.std():.3g}), "
          f"{time.monotonic() - start:.1f} s -> {os.path.join(args.out, args.arch)}.*")
    return 0


if __name__ == "__main__":
    sys.exit(main())
