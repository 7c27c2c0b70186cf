"""Detection models: the TF.js → ONNX importer (:mod:`.tfjs`) and the converted-model cache with
its ONNX Runtime sessions (:mod:`.cache`)."""
