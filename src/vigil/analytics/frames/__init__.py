"""The frame path: sampled decoding, the motion gate, worker processes fed through shared memory.

A camera's video is decoded at the rate analysis needs (:mod:`.sampler`); each sampled frame goes
into a small shared-memory ring (:mod:`.ring`) that a worker process reads (:mod:`.worker`); the
worker asks the motion gate (:mod:`.motion`) whether and where the picture changed and runs the
detector only there. A full ring drops the newest frame and counts it: analysis that falls behind
loses frames, never memory.
"""
