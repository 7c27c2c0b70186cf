"""The alarm centre (报警中心): one alarm model for device, analytics and availability alarms,
their handling (new → acknowledged → closed) and their linkage actions (联动).

:class:`AlarmCentre` is the entry point; see its module for the rules.
"""

from vigil.alarms.events import AlarmChanged, AlarmRaised, AlarmWall
from vigil.alarms.linkage.evidence import EvidenceLocker
from vigil.alarms.linkage.performers import Performers
from vigil.alarms.linkage.runner import Linkage
from vigil.alarms.model import AlarmSource, AlarmState, NewAlarm
from vigil.alarms.service import AlarmCentre, AlarmFilter

__all__ = [
    "AlarmCentre",
    "AlarmChanged",
    "AlarmFilter",
    "AlarmRaised",
    "AlarmSource",
    "AlarmState",
    "AlarmWall",
    "EvidenceLocker",
    "Linkage",
    "NewAlarm",
    "Performers",
]
