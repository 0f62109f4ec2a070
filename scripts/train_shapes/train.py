#!/usr/bin/python3
"""Trains the tiny shape classifier of examples/classify in numpy and exports it to ONNX.

Network (NCHW in ONNX, written as the PyTorch module it stands for):
  conv1 3x3 3->8, ReLU, 2x2 max pool      32x32 -> 16x16
  conv2 3x3 8->16, ReLU, 2x2 max pool     16x16 -> 8x8
  conv3 3x3 16->32, ReLU                  8x8
  global average pool, flatten, fc 32->6  logits

Training runs in float32 NHWC with im2col convolutions, hand-written backprop
and Adam with a cosine learning-rate decay, for a fixed number of steps from
fixed seeds: the same arguments give the same bytes in every output file.

The model input is the RGB image as float32 NCHW [1, 3, 32, 32], normalized as
(pixel - MEAN) / STD; that normalization is not part of the graph (the
toolchain applies it from its mean/std settings, as RKNN does).

Writes into --out:
  shapes.onnx          the model (input "image", output "logits" [1, 6])
  labels.txt           class names, one per line, in logit order
  images/<class>_<i>.png, dataset.txt   sample/calibration images, RKNN dataset list
  expected_top1.txt    "<image path> <class>" as the exported graph predicts it
"""

import os

# Single-threaded BLAS: the run time this script reports is for one core, and
# the summation order (hence the bytes of the weights) cannot depend on threads.
for _var in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ[_var] = "1"

import argparse  # noqa: E402
import sys  # noqa: E402
import time  # noqa: E402

import numpy as np  # noqa: E402
import onnx  # noqa: E402
from onnx import TensorProto, helper, numpy_helper  # noqa: E402

# Sibling modules, without leaving a __pycache__ in the source tree.
sys.dont_write_bytecode = True
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import draw  # noqa: E402
import onnx_eval  # noqa: E402

MEAN = 127.5
STD = 63.75
CHANNELS = (3, 8, 16, 32)  # conv1..conv3 widths, input first
OPSET = 13


# ---------------------------------------------------------------------------
# Layers. Activations are NHWC; a 3x3 conv weight is [9 * Cin, Cout] with rows
# ordered (ky, kx, cin), matching the columns im2col builds.

def im2col(x):
    """[N, H, W, C] -> [N, H, W, 9C]: the 3x3 neighbourhood (zero padded) of each pixel."""
    n, h, w, _ = x.shape
    xp = np.pad(x, ((0, 0), (1, 1), (1, 1), (0, 0)))
    return np.concatenate([xp[:, ky:ky + h, kx:kx + w] for ky in range(3) for kx in range(3)], axis=3)


def col2im(dcols, c):
    """Adjoint of im2col: sums each column's gradient back onto the pixels it came from."""
    n, h, w, _ = dcols.shape
    dcols = dcols.reshape(n, h, w, 9, c)
    dxp = np.zeros((n, h + 2, w + 2, c), dcols.dtype)
    for k in range(9):
        ky, kx = divmod(k, 3)
        dxp[:, ky:ky + h, kx:kx + w] += dcols[:, :, :, k]
    return dxp[:, 1:-1, 1:-1]


def conv_forward(x, w, b):
    cols = im2col(x)
    return cols @ w + b, cols


def conv_backward(dy, cols, w, cin):
    """Returns (dx, dw, db). Flattening to 2-D makes the weight gradient one GEMM."""
    dy2 = dy.reshape(-1, dy.shape[-1])
    dw = cols.reshape(-1, cols.shape[-1]).T @ dy2
    dx = col2im((dy2 @ w.T).reshape(cols.shape), cin) if cin is not None else None
    return dx, dw, dy2.sum(axis=0)


def pool_forward(x):
    n, h, w, c = x.shape
    return x.reshape(n, h // 2, 2, w // 2, 2, c).max(axis=(2, 4))


def pool_backward(dy, x, y):
    # The gradient goes to the maximum of each window. Ties only happen between
    # zeros from the ReLU before, whose gradient the ReLU discards anyway.
    n, h, w, c = x.shape
    mask = x.reshape(n, h // 2, 2, w // 2, 2, c) == y[:, :, None, :, None]
    return (mask * dy[:, :, None, :, None]).reshape(x.shape)


# ---------------------------------------------------------------------------
# The network.

def init_params(rng, num_classes):
    """He-normal conv weights (ReLU follows), LeCun-normal classifier, zero biases."""
    params = {}
    for i, (cin, cout) in enumerate(zip(CHANNELS, CHANNELS[1:]), start=1):
        params[f"conv{i}.w"] = rng.normal(0.0, np.sqrt(2.0 / (9 * cin)), (9 * cin, cout))
        params[f"conv{i}.b"] = np.zeros(cout)
    params["fc.w"] = rng.normal(0.0, np.sqrt(1.0 / CHANNELS[-1]), (CHANNELS[-1], num_classes))
    params["fc.b"] = np.zeros(num_classes)
    return {k: v.astype(np.float32) for k, v in params.items()}


def normalize(images):
    """uint8 NHWC RGB -> float32 NHWC, as the toolchain's mean/std preprocessing does."""
    return ((images.astype(np.float32) - MEAN) / STD).astype(np.float32)


def forward(params, x):
    """Logits [N, classes] and what backward() needs."""
    cache = {"x0": x}
    for i in (1, 2, 3):
        y, cache[f"cols{i}"] = conv_forward(x, params[f"conv{i}.w"], params[f"conv{i}.b"])
        x = cache[f"relu{i}"] = np.maximum(y, 0.0)
        if i < 3:
            x = cache[f"pool{i}"] = pool_forward(x)
    cache["gap"] = x.mean(axis=(1, 2))
    return cache["gap"] @ params["fc.w"] + params["fc.b"], cache


def backward(params, cache, dlogits):
    grads = {"fc.w": cache["gap"].T @ dlogits, "fc.b": dlogits.sum(axis=0)}
    relu3 = cache["relu3"]
    dx = np.broadcast_to((dlogits @ params["fc.w"].T)[:, None, None, :] / (relu3.shape[1] * relu3.shape[2]),
                         relu3.shape)
    for i in (3, 2, 1):
        if i < 3:
            dx = pool_backward(dx, cache[f"relu{i}"], cache[f"pool{i}"])
        dy = dx * (cache[f"relu{i}"] > 0)
        cin = CHANNELS[i - 1] if i > 1 else None  # no gradient needed for the image
        dx, grads[f"conv{i}.w"], grads[f"conv{i}.b"] = conv_backward(dy, cache[f"cols{i}"],
                                                                     params[f"conv{i}.w"], cin)
    return grads


def softmax_cross_entropy(logits, labels, smoothing):
    """Mean loss and its gradient with respect to the logits.

    Label smoothing (target 1 - smoothing on the label, the rest spread evenly)
    bounds how far apart the logits grow; with plain one-hot targets they keep
    growing, and an 8-bit code of the logits then spans several units.
    """
    z = logits - logits.max(axis=1, keepdims=True)
    p = np.exp(z)
    p /= p.sum(axis=1, keepdims=True)
    n, classes = logits.shape
    target = np.full_like(p, smoothing / classes)
    target[np.arange(n), labels] += 1.0 - smoothing
    loss = -(target * np.log(p + 1e-12)).sum(axis=1).mean()
    return loss, (p - target) / n


def predict(params, images, batch=256):
    return np.concatenate([forward(params, normalize(images[i:i + batch]))[0].argmax(axis=1)
                           for i in range(0, len(images), batch)])


# ---------------------------------------------------------------------------
# Training.

class Adam:
    def __init__(self, params, beta1=0.9, beta2=0.999, eps=1e-8):
        self.m = {k: np.zeros_like(v) for k, v in params.items()}
        self.v = {k: np.zeros_like(v) for k, v in params.items()}
        self.beta1, self.beta2, self.eps, self.t = beta1, beta2, eps, 0

    def step(self, params, grads, lr, weight_decay):
        self.t += 1
        c1, c2 = 1.0 - self.beta1 ** self.t, 1.0 - self.beta2 ** self.t
        for k in params:
            self.m[k] = self.beta1 * self.m[k] + (1.0 - self.beta1) * grads[k]
            self.v[k] = self.beta2 * self.v[k] + (1.0 - self.beta2) * grads[k] ** 2
            update = lr * (self.m[k] / c1) / (np.sqrt(self.v[k] / c2) + self.eps)
            if k.endswith(".w"):  # decoupled weight decay (AdamW), weights only
                update = update + lr * weight_decay * params[k]
            params[k] = (params[k] - update).astype(np.float32)


def augment(images, rng):
    """Random horizontal and vertical flips: every class is symmetric under both."""
    flip_h = rng.random(len(images)) < 0.5
    flip_v = rng.random(len(images)) < 0.5
    images = images.copy()
    images[flip_h] = images[flip_h, :, ::-1]
    images[flip_v] = images[flip_v, ::-1]
    return images


def train(images, labels, args):
    rng = np.random.default_rng([args.seed, 0])
    params = init_params(rng, len(draw.CLASSES))
    adam = Adam(params)
    order, pos = rng.permutation(len(images)), 0
    for step in range(args.steps):
        if pos + args.batch > len(order):  # new epoch, new order
            order, pos = rng.permutation(len(images)), 0
        idx = order[pos:pos + args.batch]
        pos += args.batch
        # Cosine decay to zero: the final weights do not depend on a lucky last step.
        lr = 0.5 * args.lr * (1.0 + np.cos(np.pi * step / args.steps))
        logits, cache = forward(params, normalize(augment(images[idx], rng)))
        loss, dlogits = softmax_cross_entropy(logits, labels[idx], args.label_smoothing)
        adam.step(params, backward(params, cache, dlogits.astype(np.float32)), lr, args.weight_decay)
        if step % 200 == 0 or step == args.steps - 1:
            acc = (logits.argmax(axis=1) == labels[idx]).mean()
            print(f"  step {step:5d}  lr {lr:.5f}  loss {loss:.4f}  batch acc {acc:.3f}", flush=True)
    return params


# ---------------------------------------------------------------------------
# ONNX export, shaped as torch.onnx.export(opset 13) shapes this module:
#   x = pool1(relu1(conv1(x))); x = pool2(relu2(conv2(x))); x = relu3(conv3(x))
#   x = torch.flatten(avgpool(x), 1); return fc(x)

def export_onnx(params):
    nodes, inits = [], []

    def node(scope, op, inputs, output=None, **attrs):
        name = f"/{scope}/{op}" if scope else f"/{op}"
        out = output or f"{name}_output_0"
        nodes.append(helper.make_node(op, inputs, [out], name=name, **attrs))
        return out

    def param(name, array):
        inits.append(numpy_helper.from_array(np.ascontiguousarray(array, np.float32), name))
        return name

    x = "image"
    for i, (cin, cout) in enumerate(zip(CHANNELS, CHANNELS[1:]), start=1):
        # [(ky, kx, cin), cout] -> ONNX [cout, cin, ky, kx]
        w = params[f"conv{i}.w"].reshape(3, 3, cin, cout).transpose(3, 2, 0, 1)
        x = node(f"conv{i}", "Conv", [x, param(f"conv{i}.weight", w), param(f"conv{i}.bias", params[f"conv{i}.b"])],
                 dilations=[1, 1], group=1, kernel_shape=[3, 3], pads=[1, 1, 1, 1], strides=[1, 1])
        x = node(f"relu{i}", "Relu", [x])
        if i < 3:
            x = node(f"pool{i}", "MaxPool", [x], ceil_mode=0, kernel_shape=[2, 2], pads=[0, 0, 0, 0],
                     strides=[2, 2])
    x = node("avgpool", "GlobalAveragePool", [x])
    x = node("", "Flatten", [x], axis=1)
    # nn.Linear stores its weight as [out, in], hence transB=1.
    node("fc", "Gemm", [x, param("fc.weight", params["fc.w"].T), param("fc.bias", params["fc.b"])],
         output="logits", alpha=1.0, beta=1.0, transB=1)

    classes = len(draw.CLASSES)
    graph = helper.make_graph(
        nodes, "shapes",
        [helper.make_tensor_value_info("image", TensorProto.FLOAT, [1, 3, 32, 32])],
        [helper.make_tensor_value_info("logits", TensorProto.FLOAT, [1, classes])],
        initializer=inits,
        doc_string=(f"Shape classifier ({', '.join(draw.CLASSES)}). Input: RGB NCHW, "
                    f"(pixel - {MEAN}) / {STD} on 0..255, applied outside the graph."))
    model = helper.make_model(graph, producer_name="rknn-build scripts/train_shapes",
                              opset_imports=[helper.make_opsetid("", OPSET)])
    onnx.checker.check_model(model, full_check=True)
    inferred = onnx.shape_inference.infer_shapes(model, check_type=True, strict_mode=True)
    shape = [d.dim_value for d in inferred.graph.output[0].type.tensor_type.shape.dim]
    assert shape == [1, classes], shape
    return model


def onnx_logits(model, images, batch=256):
    """Logits of the exported graph, evaluated by onnx_eval (float64 NCHW)."""
    out = []
    for i in range(0, len(images), batch):
        x = normalize(images[i:i + batch]).transpose(0, 3, 1, 2)
        out.append(onnx_eval.evaluate(model, {"image": x})["logits"])
    return np.concatenate(out)


# ---------------------------------------------------------------------------
# Example data for the C++ example and the toolchain's calibration.

def softmax(logits):
    e = np.exp(logits - logits.max(axis=-1, keepdims=True))
    return e / e.sum(axis=-1, keepdims=True)


def pick_samples(model, per_class, seed, min_prob):
    """`per_class` fresh images per class that the graph classifies right with p >= min_prob.

    Confident samples keep expected_top1.txt stable under float16 and
    quantized execution; the price is that they are not the hardest cases.
    Returns [(name, image, predicted class)] and the number of rejected draws.
    """
    rng = np.random.default_rng([seed, 3])
    samples, rejected = [], 0
    for label, cls in enumerate(draw.CLASSES):
        count = 0
        while count < per_class:
            image = draw.draw(cls, rng)
            p = softmax(onnx_logits(model, image[None])[0])
            if p.argmax() != label or p.max() < min_prob:
                rejected += 1
                continue
            samples.append((f"{cls}_{count}", image, draw.CLASSES[p.argmax()]))
            count += 1
    return samples, rejected


def write_outputs(out_dir, model, samples):
    os.makedirs(os.path.join(out_dir, "images"), exist_ok=True)
    with open(os.path.join(out_dir, "shapes.onnx"), "wb") as f:
        f.write(model.SerializeToString())
    with open(os.path.join(out_dir, "labels.txt"), "w") as f:
        f.writelines(f"{cls}\n" for cls in draw.CLASSES)
    dataset, expected = [], []
    for name, image, predicted in samples:
        path = f"images/{name}.png"
        png = draw.encode_png(image)
        assert np.array_equal(draw.decode_png(png), image)  # the PNG holds exactly these pixels
        with open(os.path.join(out_dir, path), "wb") as f:
            f.write(png)
        dataset.append(f"{path}\n")
        expected.append(f"{path} {predicted}\n")
    with open(os.path.join(out_dir, "dataset.txt"), "w") as f:
        f.writelines(dataset)
    with open(os.path.join(out_dir, "expected_top1.txt"), "w") as f:
        f.writelines(expected)


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--out", required=True, help="directory to write the model and data to")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--train-images", type=int, default=6000)
    parser.add_argument("--test-images", type=int, default=1200)
    parser.add_argument("--steps", type=int, default=3000)
    parser.add_argument("--batch", type=int, default=64)
    parser.add_argument("--lr", type=float, default=0.01, help="peak Adam learning rate")
    parser.add_argument("--weight-decay", type=float, default=0.05, help="decoupled (AdamW) weight decay")
    parser.add_argument("--label-smoothing", type=float, default=0.1)
    parser.add_argument("--samples-per-class", type=int, default=4)
    parser.add_argument("--min-sample-prob", type=float, default=0.9)
    args = parser.parse_args()

    start = time.process_time()
    # Separate seeds for train and test: the test images are never trained on.
    train_x, train_y = draw.make_dataset(args.train_images, [args.seed, 1])
    test_x, test_y = draw.make_dataset(args.test_images, [args.seed, 2])
    print(f"generated {len(train_x)} train / {len(test_x)} test images "
          f"in {time.process_time() - start:.1f} s CPU")

    params = train(train_x, train_y, args)
    train_time = time.process_time() - start
    train_acc = (predict(params, train_x) == train_y).mean()
    test_acc = (predict(params, test_x) == test_y).mean()
    print(f"trained {args.steps} steps in {train_time:.1f} s CPU (data included): "
          f"train accuracy {train_acc:.4f}, test accuracy {test_acc:.4f}")

    model = export_onnx(params)
    onnx_pred = onnx_logits(model, test_x).argmax(axis=1)
    agree = (onnx_pred == predict(params, test_x)).mean()
    print(f"ONNX graph (numpy onnx_eval, float64): test accuracy {(onnx_pred == test_y).mean():.4f}, "
          f"agrees with training forward on {agree:.4f} of test images")

    samples, rejected = pick_samples(model, args.samples_per_class, args.seed, args.min_sample_prob)
    write_outputs(args.out, model, samples)
    size = os.path.getsize(os.path.join(args.out, "shapes.onnx"))
    print(f"wrote {args.out}: shapes.onnx ({size} bytes), {len(samples)} sample images "
          f"({rejected} draws rejected as unconfident), total {time.process_time() - start:.1f} s CPU")


if __name__ == "__main__":
    main()
