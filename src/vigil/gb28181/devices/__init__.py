"""Registered devices: registration, presence, catalogs, reports, subscriptions and control.

* :mod:`.registrar` — REGISTER (digest, admission, expiry), :mod:`.device_passwords` and
  :mod:`.device_records` — the devices' secrets and rows;
* :mod:`.presence` and :mod:`.status_writer` — online state and its write-behind;
* :mod:`.catalog_sync` and :mod:`.catalog_writer` — a device's catalog, assembled and stored;
* :mod:`.reports` and :mod:`.report_writer` — alarms and positions;
* :mod:`.device_subscriptions` — Catalog, Alarm and MobilePosition subscriptions to devices;
* :mod:`.device_control` — PTZ, presets and the rest of device control, RecordInfo searches;
* :mod:`.events` — what the server publishes on the bus.
"""
