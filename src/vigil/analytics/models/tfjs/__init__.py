"""A TF.js graph model → ONNX importer, written for Vigil with numpy and ``onnx`` alone.

Why our own code: the maintained converters (tf2onnx, tensorflowjs_converter) need TensorFlow
itself, a dependency of several hundred megabytes that Vigil would carry for one conversion. A
TF.js graph model is a JSON graph of TensorFlow ops plus binary weight shards; the ops that the
packaged detectors use map onto ONNX one by one (``ops_nn``, ``ops_tensor``), and the few that
only compute constant shapes are evaluated here in numpy (``fold``). An op outside the table stops
the import with :class:`UnsupportedOpError`, which names every such op and a node that uses it.

Layout: tensors keep TensorFlow's NHWC layout; each convolution, pooling and resize is wrapped in
a pair of Transposes to ONNX's NCHW, which ONNX Runtime's graph optimiser cancels between
neighbours (NanoDet at 416²: about half the time per frame with the optimiser on as with it off).
TensorFlow's ``SAME`` padding is computed into explicit pads from the static input shape, because
ONNX Runtime rejects ``auto_pad=SAME_UPPER`` with dilation.
"""

from vigil.analytics.models.tfjs.convert import IMPORTER_VERSION, convert_graph, convert_model_json
from vigil.analytics.models.tfjs.errors import TfjsImportError, UnsupportedOpError
from vigil.analytics.models.tfjs.graph import TfjsGraph, TfjsNode, load_graph

__all__ = [
    "IMPORTER_VERSION",
    "TfjsGraph",
    "TfjsImportError",
    "TfjsNode",
    "UnsupportedOpError",
    "convert_graph",
    "convert_model_json",
    "load_graph",
]
