"""Media calls to devices: live video, playback and download of a device's own recordings.

* :mod:`.media_call` — one call (receiver, INVITE, ACK, BYE);
* :mod:`.media_sessions` — the hub's ``"gb28181"`` provider and the table of calls;
* :mod:`.device_playback` and :mod:`.device_download` — a device's recordings, watched or saved.
"""
