"""Where streams come from: GB/T 28181 PS over RTP, RTSP/RTMP pulled with PyAV, a file on loop."""
