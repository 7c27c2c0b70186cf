"""Live delivery: fMP4 over WebSocket (MSE), HLS with fMP4 segments, JPEG snapshots."""
