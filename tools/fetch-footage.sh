#!/bin/sh
# Real surveillance footage for analytics: vtest.avi (768x576, 10 fps, 795 frames, pedestrians and
# vehicles) from Debian's opencv-doc package, fetched with the package tools into footage/ (git-ignored).
# Idempotent: a present footage/vtest.avi is kept. Where the package cannot be had (no apt, no
# network, another distribution) it says why and exits 0; the tests and the bench that need the clip
# then skip and say so.
set -u
cd "$(dirname "$0")/.." || exit 0
TARGET=footage/vtest.avi
if [ -s "$TARGET" ]; then
    exit 0
fi
if ! command -v apt-get >/dev/null 2>&1 || ! command -v dpkg >/dev/null 2>&1; then
    echo "fetch-footage: apt-get/dpkg not found; $TARGET not fetched (analytics footage tests skip)"
    exit 0
fi
WORK=$(mktemp -d) || exit 0
trap 'rm -rf "$WORK"' EXIT
if ! (cd "$WORK" && apt-get download opencv-doc >"$WORK/apt.log" 2>&1); then
    echo "fetch-footage: apt-get download opencv-doc failed ($(tail -n 1 "$WORK/apt.log"));" \
        "$TARGET not fetched (analytics footage tests skip)"
    exit 0
fi
if ! dpkg -x "$WORK"/opencv-doc_*.deb "$WORK/root"; then
    echo "fetch-footage: dpkg -x could not unpack opencv-doc; $TARGET not fetched"
    exit 0
fi
FOUND=$(find "$WORK/root" -name vtest.avi -type f | head -n 1)
if [ -z "$FOUND" ]; then
    echo "fetch-footage: this opencv-doc carries no vtest.avi; $TARGET not fetched"
    exit 0
fi
mkdir -p footage
cp "$FOUND" "$TARGET.tmp" && mv "$TARGET.tmp" "$TARGET"
echo "fetch-footage: $TARGET ($(wc -c <"$TARGET") bytes) from $(basename "$WORK"/opencv-doc_*.deb)"
