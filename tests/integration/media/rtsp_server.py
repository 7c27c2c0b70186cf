"""A GStreamer RTSP camera for the tests, run by Debian's /usr/bin/python3 (a venv has no gi).

Usage: rtsp_server.py USER PASSWORD — serves H.264 320×240 at 25 fps on rtsp://host:PORT/cam
behind Basic authentication and prints PORT on its first line once it listens.
"""

import sys

import gi

gi.require_version("Gst", "1.0")
gi.require_version("GstRtspServer", "1.0")
from gi.repository import GLib, Gst, GstRtspServer  # noqa: E402

PIPELINE = (
    "( videotestsrc is-live=true pattern=ball ! video/x-raw,width=320,height=240,framerate=25/1 "
    "! x264enc tune=zerolatency key-int-max=25 bframes=0 speed-preset=ultrafast "
    "! rtph264pay name=pay0 pt=96 config-interval=1 )"
)


def main() -> None:
    user, password = sys.argv[1], sys.argv[2]
    Gst.init(None)
    server = GstRtspServer.RTSPServer()
    server.set_address("127.0.0.1")
    server.set_service("0")
    factory = GstRtspServer.RTSPMediaFactory()
    factory.set_launch(PIPELINE)
    factory.set_shared(True)
    role = "user, media.factory.access=(boolean)true, media.factory.construct=(boolean)true"
    factory.add_role_from_structure(Gst.Structure.from_string(role)[0])
    auth = GstRtspServer.RTSPAuth()
    token = GstRtspServer.RTSPToken()
    token.set_string("media.factory.role", "user")
    auth.add_basic(GstRtspServer.RTSPAuth.make_basic(user, password), token)
    server.set_auth(auth)
    server.get_mount_points().add_factory("/cam", factory)
    server.attach(None)
    print(server.get_bound_port(), flush=True)  # noqa: T201 (the port, for the test to read)
    GLib.MainLoop().run()


if __name__ == "__main__":
    main()
