"""Sending PS over RTP to a peer that asked for it in SDP: what a device does, and what Vigil does
as a lower platform serving an upper one (the simulator and the cascade share these pieces)."""
