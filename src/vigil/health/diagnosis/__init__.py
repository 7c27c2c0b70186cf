"""Video quality diagnosis (视频质量诊断): pure NumPy/OpenCV fault detectors on decoded frames.

:func:`diagnose` takes one round (a handful of BGR frames), measures it (:mod:`.measures`), judges
each fault against the camera's baseline (:mod:`.baseline`, :mod:`.detectors`) and returns the
faults found; :class:`FaultState` (:mod:`.debounce`) turns rounds into raised and cleared faults.
"""

from vigil.health.diagnosis.baseline import Baseline, Spread
from vigil.health.diagnosis.debounce import Debounce, FaultState, Phase, Transition
from vigil.health.diagnosis.detectors import Thresholds
from vigil.health.diagnosis.faults import PICTURE_KINDS, FaultKind, Finding
from vigil.health.diagnosis.measures import Measures, coarse
from vigil.health.diagnosis.round import RoundResult, diagnose

__all__ = [
    "PICTURE_KINDS",
    "Baseline",
    "Debounce",
    "FaultKind",
    "FaultState",
    "Finding",
    "Measures",
    "Phase",
    "RoundResult",
    "Spread",
    "Thresholds",
    "Transition",
    "coarse",
    "diagnose",
]
