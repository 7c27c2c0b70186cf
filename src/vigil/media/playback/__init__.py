"""Playback and export of recordings: time ranges, fMP4 over WebSocket, MP4 plus manifest."""
