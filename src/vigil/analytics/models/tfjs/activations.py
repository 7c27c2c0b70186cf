"""Activations as ONNX nodes: the standalone TF ops and the ones fused into a convolution."""

from __future__ import annotations

import numpy as np

from vigil.analytics.models.tfjs.emitter import Emitter
from vigil.analytics.models.tfjs.errors import TfjsImportError

__all__ = ["ACTIVATIONS", "emit_activation"]

#: TF activation → the ONNX op computing it alone (Relu6, LeakyRelu and Prelu take parameters).
_PLAIN = {"Relu": "Relu", "Sigmoid": "Sigmoid", "Tanh": "Tanh", "Elu": "Elu"}

#: Every activation this module can emit.
ACTIVATIONS = frozenset({*_PLAIN, "Relu6", "LeakyRelu", "Prelu"})


def emit_activation(
    em: Emitter, kind: str, x: str, out: str, *, alpha: float = 0.2, slope: str = ""
) -> None:
    """``out = kind(x)``; ``alpha`` is LeakyRelu's, ``slope`` names Prelu's slope tensor."""
    if kind in _PLAIN:
        em.add(_PLAIN[kind], [x], [out])
    elif kind == "Relu6":
        low = em.add_const(np.array(0.0, np.float32), f"{out}/min")
        high = em.add_const(np.array(6.0, np.float32), f"{out}/max")
        em.add("Clip", [x, low, high], [out])
    elif kind == "LeakyRelu":
        em.add("LeakyRelu", [x], [out], alpha=alpha)
    elif kind == "Prelu" and slope:
        em.add("PRelu", [x, slope], [out])
    else:
        raise TfjsImportError(f"unsupported activation {kind!r} for {out!r}")
