"""The live analytics pipeline: channels with enabled rules analysed as their video arrives.

Packets from the stream hub go to one worker process per channel (:mod:`.worker`), which decodes
them (:mod:`.decoding`), samples the frames at the configured rate, detects, tracks and applies
the channel's rules (:mod:`.analysis`); what comes back (:mod:`.messages`) becomes tracks in the
events store, alarms with snapshots, and crops (:mod:`.recorder`). :class:`AnalyticsService`
starts and stops the pipelines as rules change; :class:`TrackReader` serves the stored tracks.
"""

from vigil.analytics.live.service import AnalyticsService, LiveConfig
from vigil.analytics.live.sources import RULES_CHANGED, AlarmRaiser, NoRules, RulesSource
from vigil.analytics.live.tracks import TrackFilter, TrackReader

__all__ = [
    "RULES_CHANGED",
    "AlarmRaiser",
    "AnalyticsService",
    "LiveConfig",
    "NoRules",
    "RulesSource",
    "TrackFilter",
    "TrackReader",
]
