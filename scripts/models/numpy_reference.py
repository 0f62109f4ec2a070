"""Independent float64 numpy evaluator for the ONNX graphs rknn-build tests with.

This is the "framework" the C++ simulator is compared against. It knows nothing
about how the models were generated: it walks the ONNX graph node by node and
computes every value from the stored initializers, in float64, so that its
result is a high-precision reference for a float32 implementation.

Only the operators used by scripts/models/make_model.py are implemented; an
unknown operator or an unsupported attribute raises NotImplementedError rather
than silently computing something different.

Usage as a library:
    model = onnx.load(path)
    outputs = evaluate(model, {"input": x})   # dict: graph output name -> array
"""

import numpy as np
from onnx import helper, numpy_helper

_OPS = {}


def op(name):
    """Registers an operator implementation: fn(inputs, attrs, opset) -> list."""
    def register(fn):
        _OPS[name] = fn
        return fn
    return register


def _widen(array):
    """Floats are evaluated in float64; integer and bool tensors keep their type."""
    array = np.asarray(array)
    if np.issubdtype(array.dtype, np.floating):
        return array.astype(np.float64)
    return array


def _attrs(node):
    return {a.name: helper.get_attribute_value(a) for a in node.attribute}


def _spatial_params(attrs, kernel):
    """Returns (strides, dilations, pads_begin, pads_end) for a 2-D window op."""
    if attrs.get("auto_pad", b"NOTSET") not in (b"NOTSET", "NOTSET"):
        raise NotImplementedError("auto_pad other than NOTSET is not supported")
    rank = len(kernel)
    strides = list(attrs.get("strides", [1] * rank))
    dilations = list(attrs.get("dilations", [1] * rank))
    pads = list(attrs.get("pads", [0] * (2 * rank)))
    return strides, dilations, pads[:rank], pads[rank:]


def _windows(x, kernel, strides, dilations):
    """View of x [N, C, H, W] as [N, C, OH, OW, kh, kw] sliding windows (no copy)."""
    n, c, h, w = x.shape
    kh, kw = kernel
    (sh, sw), (dh, dw) = strides, dilations
    oh = (h - dh * (kh - 1) - 1) // sh + 1
    ow = (w - dw * (kw - 1) - 1) // sw + 1
    if oh <= 0 or ow <= 0:
        raise ValueError(f"window {kernel} does not fit input {x.shape}")
    s = x.strides
    return np.lib.stride_tricks.as_strided(
        x, shape=(n, c, oh, ow, kh, kw),
        strides=(s[0], s[1], s[2] * sh, s[3] * sw, s[2] * dh, s[3] * dw),
        writeable=False)


def _pad_spatial(x, begin, end, value):
    return np.pad(x, ((0, 0), (0, 0), (begin[0], end[0]), (begin[1], end[1])),
                  constant_values=value)


def _check_2d(x, what):
    if x.ndim != 4:
        raise NotImplementedError(f"{what}: only 2-D (NCHW) inputs are supported, got {x.shape}")


@op("Conv")
def _conv(inputs, attrs, opset):
    x, w = inputs[0], inputs[1]
    b = inputs[2] if len(inputs) > 2 else None
    _check_2d(x, "Conv")
    groups = attrs.get("group", 1)
    m, cg, kh, kw = w.shape
    if x.shape[1] != cg * groups or m % groups:
        raise ValueError(f"Conv: input {x.shape} / weight {w.shape} / group {groups} mismatch")
    strides, dilations, begin, end = _spatial_params(attrs, (kh, kw))
    win = _windows(_pad_spatial(x, begin, end, 0.0), (kh, kw), strides, dilations)
    n, _, oh, ow = win.shape[:4]
    # im2col: [N, G, Cg*kh*kw, OH*OW] (the reshape copies), then one batched GEMM
    # per group. Depthwise convs become many tiny GEMMs, still fast enough.
    cols = win.transpose(0, 1, 4, 5, 2, 3).reshape(n, groups, cg * kh * kw, oh * ow)
    wm = w.reshape(groups, m // groups, cg * kh * kw)
    y = np.matmul(wm[None], cols).reshape(n, m, oh, ow)
    if b is not None:
        y = y + b.reshape(1, m, 1, 1)
    return [y]


def _pool_windows(x, attrs, pad_value):
    _check_2d(x, "pool")
    if attrs.get("ceil_mode", 0):
        raise NotImplementedError("pooling with ceil_mode=1 is not supported")
    kernel = list(attrs["kernel_shape"])
    strides, dilations, begin, end = _spatial_params(attrs, kernel)
    return _windows(_pad_spatial(x, begin, end, pad_value), kernel, strides, dilations)


@op("MaxPool")
def _max_pool(inputs, attrs, opset):
    if attrs.get("storage_order", 0):
        raise NotImplementedError("MaxPool storage_order=1 is not supported")
    win = _pool_windows(inputs[0], attrs, -np.inf)
    return [win.max(axis=(4, 5))]


@op("AveragePool")
def _average_pool(inputs, attrs, opset):
    x = inputs[0]
    win = _pool_windows(x, attrs, 0.0)
    total = win.sum(axis=(4, 5))
    if attrs.get("count_include_pad", 0):
        return [total / (win.shape[4] * win.shape[5])]
    # Divide each window by the number of real (non-padding) elements in it.
    ones = np.ones((1, 1) + x.shape[2:], dtype=np.float64)
    count = _pool_windows(ones, attrs, 0.0)
    return [total / count.sum(axis=(4, 5))]


@op("GlobalAveragePool")
def _global_average_pool(inputs, attrs, opset):
    x = inputs[0]
    return [x.mean(axis=tuple(range(2, x.ndim)), keepdims=True)]


@op("BatchNormalization")
def _batch_norm(inputs, attrs, opset):
    if attrs.get("training_mode", 0):
        raise NotImplementedError("BatchNormalization training_mode=1 is not supported")
    x, scale, bias, mean, var = inputs[:5]
    shape = (1, -1) + (1,) * (x.ndim - 2)
    eps = attrs.get("epsilon", 1e-5)
    inv_std = 1.0 / np.sqrt(var + eps)
    return [(x - mean.reshape(shape)) * (scale * inv_std).reshape(shape) + bias.reshape(shape)]


@op("Relu")
def _relu(inputs, attrs, opset):
    return [np.maximum(inputs[0], 0.0)]


@op("LeakyRelu")
def _leaky_relu(inputs, attrs, opset):
    x = inputs[0]
    return [np.where(x >= 0, x, x * attrs.get("alpha", 0.01))]


@op("Clip")
def _clip(inputs, attrs, opset):
    x = inputs[0]
    if opset < 11:
        lo, hi = attrs.get("min", -np.inf), attrs.get("max", np.inf)
    else:
        lo = inputs[1] if len(inputs) > 1 and inputs[1] is not None else -np.inf
        hi = inputs[2] if len(inputs) > 2 and inputs[2] is not None else np.inf
    return [np.minimum(np.maximum(x, lo), hi)]


@op("Softmax")
def _softmax(inputs, attrs, opset):
    x = inputs[0]
    if opset >= 13:
        axis = attrs.get("axis", -1)
        e = np.exp(x - x.max(axis=axis, keepdims=True))
        return [e / e.sum(axis=axis, keepdims=True)]
    # Before opset 13 the input is coerced to 2-D at `axis` (default 1).
    axis = attrs.get("axis", 1) % x.ndim
    flat = x.reshape(int(np.prod(x.shape[:axis])), -1)
    e = np.exp(flat - flat.max(axis=1, keepdims=True))
    return [(e / e.sum(axis=1, keepdims=True)).reshape(x.shape)]


@op("Add")
def _add(inputs, attrs, opset):
    return [inputs[0] + inputs[1]]


@op("Mul")
def _mul(inputs, attrs, opset):
    return [inputs[0] * inputs[1]]


@op("Gemm")
def _gemm(inputs, attrs, opset):
    a, b = inputs[0], inputs[1]
    if attrs.get("transA", 0):
        a = a.T
    if attrs.get("transB", 0):
        b = b.T
    y = attrs.get("alpha", 1.0) * (a @ b)
    if len(inputs) > 2 and inputs[2] is not None:
        y = y + attrs.get("beta", 1.0) * inputs[2]
    return [y]


@op("Flatten")
def _flatten(inputs, attrs, opset):
    x = inputs[0]
    axis = attrs.get("axis", 1) % (x.ndim + 1) if x.ndim else 0
    return [x.reshape(int(np.prod(x.shape[:axis])), -1)]


@op("Reshape")
def _reshape(inputs, attrs, opset):
    x = inputs[0]
    shape = [int(d) for d in inputs[1]]
    if not attrs.get("allowzero", 0):
        # 0 means "copy this dimension from the input".
        shape = [x.shape[i] if d == 0 else d for i, d in enumerate(shape)]
    return [x.reshape(shape)]


@op("Shape")
def _shape(inputs, attrs, opset):
    dims = np.array(inputs[0].shape, dtype=np.int64)
    start, end = attrs.get("start", 0), attrs.get("end", None)
    return [dims[start:end]]


@op("Gather")
def _gather(inputs, attrs, opset):
    data, indices = inputs
    axis = attrs.get("axis", 0) % data.ndim
    indices = np.where(indices < 0, indices + data.shape[axis], indices)
    return [np.take(data, indices, axis=axis)]


@op("Unsqueeze")
def _unsqueeze(inputs, attrs, opset):
    x = inputs[0]
    axes = inputs[1] if opset >= 13 else attrs["axes"]
    rank = x.ndim + len(axes)
    for axis in sorted(int(a) % rank for a in axes):
        x = np.expand_dims(x, axis)
    return [x]


@op("Concat")
def _concat(inputs, attrs, opset):
    return [np.concatenate(inputs, axis=attrs["axis"])]


@op("Transpose")
def _transpose(inputs, attrs, opset):
    x = inputs[0]
    return [np.transpose(x, attrs.get("perm", list(reversed(range(x.ndim)))))]


@op("Pad")
def _pad(inputs, attrs, opset):
    x = inputs[0]
    if opset >= 11:
        pads = [int(p) for p in inputs[1]]
        value = inputs[2] if len(inputs) > 2 and inputs[2] is not None else 0.0
    else:
        pads, value = list(attrs["pads"]), attrs.get("value", 0.0)
    if len(inputs) > 3 and inputs[3] is not None:
        raise NotImplementedError("Pad with an axes input is not supported")
    if min(pads) < 0:
        raise NotImplementedError("Pad with negative pads is not supported")
    mode = attrs.get("mode", b"constant")
    mode = mode.decode() if isinstance(mode, bytes) else mode
    widths = list(zip(pads[:x.ndim], pads[x.ndim:]))
    if mode == "constant":
        return [np.pad(x, widths, constant_values=np.asarray(value).item())]
    if mode in ("reflect", "edge"):
        return [np.pad(x, widths, mode=mode)]
    raise NotImplementedError(f"Pad mode {mode!r} is not supported")


@op("Constant")
def _constant(inputs, attrs, opset):
    if "value" in attrs:
        return [_widen(numpy_helper.to_array(attrs["value"]))]
    scalar_kinds = {"value_float": np.float64, "value_floats": np.float64,
                    "value_int": np.int64, "value_ints": np.int64}
    for key, dtype in scalar_kinds.items():
        if key in attrs:
            return [np.array(attrs[key], dtype=dtype)]
    raise NotImplementedError(f"Constant with attributes {sorted(attrs)} is not supported")


@op("ConstantOfShape")
def _constant_of_shape(inputs, attrs, opset):
    value = _widen(numpy_helper.to_array(attrs["value"])) if "value" in attrs \
        else np.zeros(1, dtype=np.float64)
    return [np.full([int(d) for d in inputs[0]], value.reshape(-1)[0], dtype=value.dtype)]


@op("Identity")
def _identity(inputs, attrs, opset):
    return [inputs[0]]


@op("Dropout")
def _dropout(inputs, attrs, opset):
    # Inference semantics: identity. The optional mask output is all True.
    x = inputs[0]
    return [x, np.ones(x.shape, dtype=bool)]


def _default_opset(model):
    for entry in model.opset_import:
        if entry.domain in ("", "ai.onnx"):
            return entry.version
    raise ValueError("model imports no default-domain opset")


def evaluate(model, feeds, base_dir=None, keep_all=False):
    """Evaluates `model` on `feeds` (input name -> array) in float64.

    Returns a dict of graph output name -> array (every intermediate value too
    when keep_all is set). base_dir resolves external initializer data that has
    not been loaded into the model yet.
    """
    graph, opset = model.graph, _default_opset(model)
    values = {}
    for init in graph.initializer:
        values[init.name] = _widen(numpy_helper.to_array(init, base_dir or ""))
    for inp in graph.input:
        if inp.name in values:
            continue  # initializer also listed as an input (old IR style)
        if inp.name not in feeds:
            raise ValueError(f"missing value for graph input {inp.name!r}")
        values[inp.name] = _widen(feeds[inp.name])

    for node in graph.node:
        if node.domain not in ("", "ai.onnx"):
            raise NotImplementedError(f"{node.name}: domain {node.domain!r} is not supported")
        impl = _OPS.get(node.op_type)
        if impl is None:
            raise NotImplementedError(f"{node.name}: operator {node.op_type} is not supported")
        # An empty name marks an omitted optional input.
        args = [values[name] if name else None for name in node.input]
        try:
            results = impl(args, _attrs(node), opset)
        except KeyError as err:
            raise ValueError(f"{node.name} ({node.op_type}): missing {err}") from None
        for name, value in zip(node.output, results):
            if name:
                values[name] = value

    if keep_all:
        return values
    return {out.name: values[out.name] for out in graph.output}
