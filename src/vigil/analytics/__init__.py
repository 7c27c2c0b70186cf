"""Video analytics: detection models and the importer that brings them into ONNX Runtime.

The models ship in an npm package (``models/`` at the repository root, installed by
``make install``) as TF.js graph models; :mod:`vigil.analytics.models.tfjs` turns one into ONNX
once, and :mod:`vigil.analytics.models.cache` caches the result under the data directory and opens
it. Nothing is downloaded at run time.

Around the model: the frame path (:mod:`.frames`), detection (:mod:`.detect`), tracking
(:mod:`.track`), per-channel rules (:mod:`.rules`), and the live pipeline that runs them on the
channels with enabled rules and keeps their tracks (:mod:`.live`).
"""
