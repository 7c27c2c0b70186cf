"""The importer's builders on small hand-written TF.js graphs, against numpy references."""

from __future__ import annotations

import math
from pathlib import Path

import numpy as np
import onnxruntime as ort
import pytest

from tests.unit.analytics.tfjs_files import ints, node, placeholder, s, write_model
from vigil.analytics.models.cache import PACKAGE_DIR
from vigil.analytics.models.tfjs import UnsupportedOpError, convert_model_json
from vigil.analytics.models.tfjs.weights import decode_weights

RNG = np.random.default_rng(16)


def run(model_json: Path, x: np.ndarray) -> list[np.ndarray]:
    model = convert_model_json(model_json)
    session = ort.InferenceSession(model.SerializeToString(), providers=["CPUExecutionProvider"])
    return [np.asarray(out) for out in session.run(None, {"x": x})]


def tf_same_pad(x: np.ndarray, kernel: int, stride: int, dilation: int) -> np.ndarray:
    """TensorFlow's SAME padding of an NHWC batch: the odd pixel goes to the end."""
    pads = []
    for size in x.shape[1:3]:
        reach = (kernel - 1) * dilation + 1
        total = max((math.ceil(size / stride) - 1) * stride + reach - size, 0)
        pads.append((total // 2, total - total // 2))
    return np.pad(x, [(0, 0), pads[0], pads[1], (0, 0)])


def reference_conv(x: np.ndarray, w: np.ndarray, stride: int, dilation: int) -> np.ndarray:
    """Plain NHWC convolution, SAME padding; ``w`` is HWIO."""
    k = w.shape[0]
    xp = tf_same_pad(x, k, stride, dilation)
    rows, cols = math.ceil(x.shape[1] / stride), math.ceil(x.shape[2] / stride)
    y = np.zeros((1, rows, cols, w.shape[3]), np.float64)
    for i in range(rows):
        for j in range(cols):
            top, left = i * stride, j * stride
            patch = xp[0, top : top + (k - 1) * dilation + 1 : dilation]
            patch = patch[:, left : left + (k - 1) * dilation + 1 : dilation]
            y[0, i, j] = np.einsum("abc,abco->o", patch, w)
    return y


def test_fused_conv_same_stride_2_pads_the_odd_pixel_at_the_end(tmp_path: Path) -> None:
    x = RNG.standard_normal((1, 8, 9, 3)).astype(np.float32)  # height: 1 pixel of padding
    w = RNG.standard_normal((3, 3, 3, 4)).astype(np.float16).astype(np.float32)
    bias = RNG.standard_normal(4).astype(np.float16).astype(np.float32)
    conv = node(
        "conv",
        "_FusedConv2D",
        "x",
        "w",
        "b",
        padding=s("SAME"),
        strides=ints([1, 2, 2, 1]),
        dilations=ints([1, 1, 1, 1]),
        data_format=s("NHWC"),
        fused_ops={"list": {"s": [s("BiasAdd")["s"], s("Relu6")["s"]]}},
    )
    nodes = [placeholder("x", [1, 8, 9, 3]), conv]
    model = write_model(tmp_path, nodes, {"w": w, "b": bias}, ["conv"], float16=True)
    expected = np.clip(reference_conv(x, w, 2, 1) + bias, 0, 6)
    (y,) = run(model, x)
    assert y.shape == (1, 4, 5, 4)
    np.testing.assert_allclose(y, expected, atol=1e-5)


def test_depthwise_same_with_dilation_then_leaky_relu_and_pad(tmp_path: Path) -> None:
    x = RNG.standard_normal((1, 8, 6, 2)).astype(np.float32)
    w = RNG.standard_normal((3, 3, 2, 2)).astype(np.float32)  # multiplier 2
    depthwise = node(
        "dw",
        "DepthwiseConv2dNative",
        "x",
        "w",
        padding=s("SAME"),
        strides=ints([1, 1, 1, 1]),
        dilations=ints([1, 2, 2, 1]),
    )
    leaky = node("act", "LeakyRelu", "dw", alpha={"f": 0.1})
    pad = node("pad", "Pad", "act", "paddings")
    paddings = np.array([[0, 0], [1, 0], [0, 2], [0, 0]], np.int32)
    nodes = [placeholder("x", [1, 8, 6, 2]), depthwise, leaky, pad]
    model = write_model(tmp_path, nodes, {"w": w, "paddings": paddings}, ["pad"])
    # Depthwise = a full convolution whose filter only joins input channel c to outputs c·M + m.
    full = np.zeros((3, 3, 2, 4), np.float32)
    for c in range(2):
        full[:, :, c, 2 * c : 2 * c + 2] = w[:, :, c, :]
    conv = reference_conv(x, full, 1, 2)
    expected = np.pad(np.where(conv > 0, conv, 0.1 * conv), [(0, 0), (1, 0), (0, 2), (0, 0)])
    (y,) = run(model, x)
    np.testing.assert_allclose(y, expected, atol=1e-5)


def test_unsupported_ops_are_all_named_before_anything_is_built(tmp_path: Path) -> None:
    nodes = [
        placeholder("x", [1, 4]),
        node("first_odd", "Erf", "x"),
        node("second_odd", "Cumsum", "first_odd"),
        node("out", "Sigmoid", "second_odd"),
    ]
    model = write_model(tmp_path, nodes, {}, ["out"])
    with pytest.raises(UnsupportedOpError) as caught:
        convert_model_json(model)
    assert caught.value.ops == {"Cumsum": "second_odd", "Erf": "first_odd"}
    assert str(caught.value) == (
        "unsupported TF.js ops: Cumsum (node 'second_odd'), Erf (node 'first_odd')"
    )


@pytest.mark.skipif(not (PACKAGE_DIR / "centernet.json").is_file(), reason="models/ not installed")
def test_centernet_names_the_ops_still_missing() -> None:
    with pytest.raises(UnsupportedOpError) as caught:
        convert_model_json(PACKAGE_DIR / "centernet.json")
    assert {"StridedSlice", "TopKV2"} <= caught.value.ops.keys()


def test_uint8_and_uint16_quantized_weights_are_dequantized() -> None:
    manifest = [
        {
            "paths": ["a", "b"],
            "weights": [
                {
                    "name": "u8",
                    "shape": [3],
                    "dtype": "float32",
                    "quantization": {"dtype": "uint8", "scale": 0.5, "min": -1.0},
                },
                {
                    "name": "u16",
                    "shape": [2],
                    "dtype": "float32",
                    "quantization": {"dtype": "uint16", "scale": 0.25, "min": 2.0},
                },
                {"name": "i32", "shape": [1], "dtype": "int32"},
            ],
        }
    ]
    shards = {
        "a": bytes([0, 2, 4]) + np.array([4], "<u2").tobytes()[:1],
        "b": np.array([4], "<u2").tobytes()[1:]
        + np.array([8], "<u2").tobytes()
        + np.array([-7], "<i4").tobytes(),
    }
    weights = decode_weights(manifest, shards.__getitem__)
    np.testing.assert_array_equal(weights["u8"], np.array([-1.0, 0.0, 1.0], np.float32))
    np.testing.assert_array_equal(weights["u16"], np.array([3.0, 4.0], np.float32))
    assert weights["i32"].tolist() == [-7]
