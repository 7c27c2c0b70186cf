"""The parts of ``bench/vqd.py``: where its pictures come from, the faults applied to them, the
rounds built from both, FFmpeg's detectors as the reference, and the scoring."""
