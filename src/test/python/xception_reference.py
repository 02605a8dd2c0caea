#!/usr/bin/env python3
"""Independent reference for the Java Xception builder's tests.

make-h5  writes a Keras 2 `save_weights` style HDF5 file with full-size random Xception weights, laid out the way
         Keras does it (root attribute layer_names, one group per layer with attribute weight_names, datasets
         nested as <layer>/<layer>/<weight>:0, unnamed shortcut layers called conv2d_N / batch_normalization_N).
forward  runs keras.applications.Xception's forward pass in NumPy (NHWC, TF 'same'/'valid' padding, unfolded
         batch norm, float64) straight from such a file; --features also writes block14_sepconv2_act (NHWC).
dump     prints single weight values at Keras coordinates, read with h5py.

It shares no code with the Java side on purpose: agreement between the two is the proof of fidelity.
"""
import argparse
import sys

import h5py
import numpy as np

EPS = 1e-3


def architecture():
    """(name, kind, shapes) in the order keras.applications.Xception lists its layers; shortcut layers unnamed."""
    layers = [("input_1", "none", None)]

    def conv(name, kh, cin, cout):
        layers.append((name, "conv", {"kernel": (kh, kh, cin, cout)}))

    def sep(name, cin, cout):
        layers.append((name, "sep", {"depthwise_kernel": (3, 3, cin, 1), "pointwise_kernel": (1, 1, cin, cout)}))

    def bn(name, c):
        layers.append((name, "bn", {k: (c,) for k in ("gamma", "beta", "moving_mean", "moving_variance")}))

    def plain(name):
        layers.append((name, "none", None))

    conv("block1_conv1", 3, 3, 32); bn("block1_conv1_bn", 32); plain("block1_conv1_act")
    conv("block1_conv2", 3, 32, 64); bn("block1_conv2_bn", 64); plain("block1_conv2_act")
    shortcut = 0
    for block, cin, cout in ((2, 64, 128), (3, 128, 256), (4, 256, 728)):
        p = "block%d" % block
        shortcut += 1
        if block > 2:
            plain(p + "_sepconv1_act")
        sep(p + "_sepconv1", cin, cout); bn(p + "_sepconv1_bn", cout); plain(p + "_sepconv2_act")
        sep(p + "_sepconv2", cout, cout); bn(p + "_sepconv2_bn", cout)
        conv("conv2d_%d" % shortcut, 1, cin, cout)
        plain(p + "_pool")
        bn("batch_normalization_%d" % shortcut, cout)
        plain("add_%d" % shortcut)
    for block in range(5, 13):
        p = "block%d" % block
        for i in (1, 2, 3):
            plain("%s_sepconv%d_act" % (p, i)); sep("%s_sepconv%d" % (p, i), 728, 728); bn("%s_sepconv%d_bn" % (p, i), 728)
        plain("add_%d" % (block - 1))
    plain("block13_sepconv1_act"); sep("block13_sepconv1", 728, 728); bn("block13_sepconv1_bn", 728)
    plain("block13_sepconv2_act"); sep("block13_sepconv2", 728, 1024); bn("block13_sepconv2_bn", 1024)
    conv("conv2d_4", 1, 728, 1024); plain("block13_pool"); bn("batch_normalization_4", 1024); plain("add_12")
    sep("block14_sepconv1", 1024, 1536); bn("block14_sepconv1_bn", 1536); plain("block14_sepconv1_act")
    sep("block14_sepconv2", 1536, 2048); bn("block14_sepconv2_bn", 2048); plain("block14_sepconv2_act")
    plain("avg_pool")
    layers.append(("predictions", "dense", {"kernel": (2048, 1000), "bias": (1000,)}))
    return layers


def random_weights(kind, shapes, rng, dense_scale):
    if kind == "bn":
        c = shapes["gamma"][0]
        return {"gamma": rng.uniform(0.5, 1.5, c), "beta": rng.uniform(-0.2, 0.2, c),
                "moving_mean": rng.uniform(-0.2, 0.2, c), "moving_variance": rng.uniform(0.5, 2.0, c)}
    out = {}
    for role, shape in shapes.items():
        if role == "bias":
            out[role] = rng.uniform(-0.5, 0.5, shape)
        else:
            fan_in = int(np.prod(shape[:-1])) if role != "depthwise_kernel" else shape[0] * shape[1]
            gain = 1.0 if role == "depthwise_kernel" else 2.0
            scale = dense_scale if kind == "dense" else 1.0
            out[role] = rng.normal(0.0, scale * np.sqrt(gain / fan_in), shape)
            if kind == "dense":
                # features share a large common offset; zero-sum columns keep it from picking the same class always
                out[role] -= out[role].mean(axis=0)
    return out


def make_h5(path, seed, dense_scale, drop=None, reshape=None):
    rng = np.random.default_rng(seed)
    layers = architecture()
    with h5py.File(path, "w") as f:
        names = [n for n, _, _ in layers if n != drop]
        f.attrs["layer_names"] = np.array([n.encode("utf8") for n in names], dtype="S")  # fixed-length, as Keras 2 wrote it
        f.attrs["backend"] = b"tensorflow"
        f.attrs["keras_version"] = b"2.1.2"
        for name, kind, shapes in layers:
            if name == drop:
                continue
            g = f.create_group(name)
            if shapes is None:
                g.attrs["weight_names"] = []  # what Keras writes for a layer without weights
                continue
            values = random_weights(kind, shapes, rng, dense_scale)
            g.attrs["weight_names"] = np.array([("%s/%s:0" % (name, role)).encode("utf8") for role in shapes], dtype="S")
            for role in shapes:
                value = values[role].astype(np.float32)
                if reshape == name + "/" + role:
                    value = np.zeros(value.shape[:-1] + (value.shape[-1] + 1,), np.float32)
                g.create_dataset("%s/%s:0" % (name, role), data=value)


def text(value):
    return value.decode("utf8") if isinstance(value, bytes) else str(value)


def read_h5(path):
    weights = {}
    with h5py.File(path, "r") as f:
        for name in [text(n) for n in f.attrs["layer_names"]]:
            g = f[name]
            tensors = {}
            for wn in g.attrs["weight_names"]:
                wn = text(wn)
                tensors[wn.split("/")[-1].split(":")[0]] = np.asarray(g[wn], dtype=np.float64)
            if tensors:
                weights[name] = tensors
    return weights


def tf_same_pads(size, k, s):
    out = -(-size // s)
    total = max((out - 1) * s + k - size, 0)
    return total // 2, total - total // 2


def conv2d(x, kernel, stride, padding):
    """x NHWC, kernel HWIO, via im2col + matmul."""
    kh, kw, cin, cout = kernel.shape
    if padding == "same":
        (t, b), (l, r) = tf_same_pads(x.shape[1], kh, stride), tf_same_pads(x.shape[2], kw, stride)
        x = np.pad(x, ((0, 0), (t, b), (l, r), (0, 0)))
    n, h, w, _ = x.shape
    oh, ow = (h - kh) // stride + 1, (w - kw) // stride + 1
    if kh == 1 and kw == 1:
        return matmul_last(x[:, ::stride, ::stride, :][:, :oh, :ow, :], kernel[0, 0])
    cols = np.empty((n, oh, ow, kh, kw, cin))
    for i in range(kh):
        for j in range(kw):
            cols[:, :, :, i, j, :] = x[:, i:i + stride * oh:stride, j:j + stride * ow:stride, :]
    return cols.reshape(n, oh, ow, kh * kw * cin) @ kernel.reshape(kh * kw * cin, cout)


def matmul_last(x, m):
    """x[..., C] @ m[C, O] as one BLAS call (a 4-D @ 2-D matmul would loop over small stacked products)."""
    return (np.ascontiguousarray(x).reshape(-1, x.shape[-1]) @ m).reshape(x.shape[:-1] + (m.shape[1],))


def separable(x, depthwise, pointwise):
    xp = np.pad(x, ((0, 0), (1, 1), (1, 1), (0, 0)))
    h, w = x.shape[1], x.shape[2]
    y = np.zeros_like(x)
    for i in range(3):
        for j in range(3):
            y += xp[:, i:i + h, j:j + w, :] * depthwise[i, j, :, 0]
    return matmul_last(y, pointwise[0, 0])


def max_pool_same(x):
    (t, b), (l, r) = tf_same_pads(x.shape[1], 3, 2), tf_same_pads(x.shape[2], 3, 2)
    xp = np.pad(x, ((0, 0), (t, b), (l, r), (0, 0)), constant_values=-np.inf)
    oh, ow = -(-x.shape[1] // 2), -(-x.shape[2] // 2)
    out = np.full((x.shape[0], oh, ow, x.shape[3]), -np.inf)
    for i in range(3):
        for j in range(3):
            out = np.maximum(out, xp[:, i:i + 2 * oh:2, j:j + 2 * ow:2, :])
    return out


def forward(weights, x, logits_only=False, features=None):
    shortcut_convs = [n for n in weights if n.startswith("conv2d")]
    shortcut_bns = [n for n in weights if n.startswith("batch_normalization")]
    by_width = {weights[n]["kernel"].shape[3]: n for n in shortcut_convs}
    bn_by_width = {weights[n]["gamma"].shape[0]: n for n in shortcut_bns}

    def bn(y, name):
        p = weights[name]
        return (y - p["moving_mean"]) / np.sqrt(p["moving_variance"] + EPS) * p["gamma"] + p["beta"]

    def sep(y, name):
        return bn(separable(y, weights[name]["depthwise_kernel"], weights[name]["pointwise_kernel"]), name + "_bn")

    def shortcut(y, width):
        return bn(conv2d(y, weights[by_width[width]]["kernel"], 2, "same"), bn_by_width[width])

    relu = lambda y: np.maximum(y, 0.0)
    x = relu(bn(conv2d(x, weights["block1_conv1"]["kernel"], 2, "valid"), "block1_conv1_bn"))
    x = relu(bn(conv2d(x, weights["block1_conv2"]["kernel"], 1, "valid"), "block1_conv2_bn"))
    for block, width in ((2, 128), (3, 256), (4, 728)):
        residual = shortcut(x, width)
        if block > 2:
            x = relu(x)
        x = sep(x, "block%d_sepconv1" % block)
        x = sep(relu(x), "block%d_sepconv2" % block)
        x = max_pool_same(x) + residual
    for block in range(5, 13):
        residual = x
        for i in (1, 2, 3):
            x = sep(relu(x), "block%d_sepconv%d" % (block, i))
        x = x + residual
    residual = shortcut(x, 1024)
    x = sep(relu(x), "block13_sepconv1")
    x = sep(relu(x), "block13_sepconv2")
    x = max_pool_same(x) + residual
    x = relu(sep(x, "block14_sepconv1"))
    x = relu(sep(x, "block14_sepconv2"))
    if features is not None:
        features.append(x)
    x = x.mean(axis=(1, 2))
    logits = x @ weights["predictions"]["kernel"] + weights["predictions"]["bias"]
    if logits_only:
        return x, logits
    e = np.exp(logits - logits.max(axis=1, keepdims=True))
    return e / e.sum(axis=1, keepdims=True)


def main():
    parser = argparse.ArgumentParser()
    sub = parser.add_subparsers(dest="cmd", required=True)
    m = sub.add_parser("make-h5")
    m.add_argument("output")
    m.add_argument("--seed", type=int, default=1)
    m.add_argument("--dense-scale", type=float, default=0.04)
    m.add_argument("--drop", help="leave this layer out")
    m.add_argument("--reshape", help="layer/role whose last dimension gets one extra element")
    fw = sub.add_parser("forward")
    fw.add_argument("h5")
    fw.add_argument("inputs", help="raw little-endian float32 [N,299,299,3]")
    fw.add_argument("outputs", help="raw little-endian float64 [N,1000] written here")
    fw.add_argument("--features", help="raw little-endian float64 [N,10,10,2048] block14_sepconv2_act written here")
    d = sub.add_parser("dump")
    d.add_argument("h5")
    d.add_argument("probes", nargs="+", help="layer/role[i,j,...]")
    args = parser.parse_args()
    if args.cmd == "make-h5":
        make_h5(args.output, args.seed, args.dense_scale, args.drop, args.reshape)
    elif args.cmd == "forward":
        x = np.fromfile(args.inputs, dtype="<f4").astype(np.float64).reshape(-1, 299, 299, 3)
        features = [] if args.features else None
        forward(read_h5(args.h5), x, features=features).astype("<f8").tofile(args.outputs)
        if features:
            features[0].astype("<f8").tofile(args.features)
    else:
        weights = read_h5(args.h5)
        for probe in args.probes:
            name, rest = probe.split("/")
            role, idx = rest.split("[")
            index = tuple(int(i) for i in idx.rstrip("]").split(","))
            print(repr(float(np.float32(weights[name][role][index]))))


if __name__ == "__main__":
    sys.exit(main())
