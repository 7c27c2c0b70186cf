"""The parts of ``bench/analytics_accuracy.py`` (and of ``tools/label_frames.py``): the hand labels
of vtest.avi as they are stored, and the moving-blob detector used as the reference."""
