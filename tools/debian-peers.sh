#!/usr/bin/env bash
# The third-party peers the test suite talks to (FFmpeg, SIPp, GStreamer's RTSP server, Chromium,
# CJK fonts for rendered plates and pages, Node.js to build the console) come from Debian's
# packages. Installs the missing ones when it can (root, or sudo without a password); otherwise
# stops and prints the exact command to run. `make test` calls it first; it changes nothing when
# every package is there.
set -euo pipefail

packages=(
  ffmpeg sip-tester
  gstreamer1.0-tools gstreamer1.0-plugins-base gstreamer1.0-plugins-good
  gstreamer1.0-plugins-bad gstreamer1.0-plugins-ugly gstreamer1.0-libav
  gir1.2-gst-rtsp-server-1.0 python3-gi
  chromium fonts-droid-fallback fonts-dejavu-core
)
# The console's build needs node >= 20.19 with npm; the machine's own is used when it has one.
command -v npm >/dev/null || packages+=(nodejs npm)

missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
[ ${#missing[@]} -eq 0 ] && exit 0

install=(apt-get install -y -q --no-install-recommends "${missing[@]}")
if [ "$(id -u)" -eq 0 ]; then
  sudo=()
elif command -v sudo >/dev/null && sudo -n true 2>/dev/null; then
  sudo=(sudo)
else
  echo "make test: the suite's Debian peers are missing (${missing[*]}); install them with:" >&2
  echo "  sudo apt-get update && sudo ${install[*]}" >&2
  exit 1
fi
echo "installing the suite's Debian peers: ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
"${sudo[@]}" apt-get update -q
"${sudo[@]}" "${install[@]}"
