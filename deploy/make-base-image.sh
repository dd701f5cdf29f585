#!/usr/bin/env bash
# Offline build path: make the FootCare base image from Debian packages, for machines that reach
# Debian's package mirror but no image registry. debootstrap installs a minimal Debian bookworm
# with Python 3.11 and venv support into a temporary folder, which `docker import` turns into an
# image. Usage (as root, needs debootstrap and a Docker daemon):
#   deploy/make-base-image.sh [TAG]        # default TAG: footcare-base:bookworm-20261129
# Environment: DEBIAN_MIRROR (default http://deb.debian.org/debian).
# The tag is the name the Dockerfile pins (ARG BASE_IMAGE); the image's labels record the Debian
# point release and the date it was actually made.
set -euo pipefail

TAG="${1:-footcare-base:bookworm-20261129}"
MIRROR="${DEBIAN_MIRROR:-http://deb.debian.org/debian}"
SUITE=bookworm

if [ "$(id -u)" -ne 0 ]; then
    echo "make-base-image: debootstrap needs root" >&2
    exit 1
fi
command -v debootstrap >/dev/null || { echo "make-base-image: apt-get install debootstrap" >&2; exit 1; }

root="$(mktemp -d /tmp/footcare-base.XXXXXX)"
chmod 755 "$root"  # apt inside the chroot downloads as the _apt user
trap 'rm -rf "$root"' EXIT

echo "make-base-image: debootstrap $SUITE from $MIRROR into $root"
debootstrap --variant=minbase --include=python3,python3-venv,ca-certificates \
    "$SUITE" "$root" "$MIRROR"

# Security and point-release updates on top of the release, as the official images have them.
cat > "$root/etc/apt/sources.list" <<SOURCES
deb $MIRROR $SUITE main
deb $MIRROR $SUITE-updates main
deb ${MIRROR%/debian}/debian-security $SUITE-security main
SOURCES
chroot "$root" apt-get update -qq
chroot "$root" env DEBIAN_FRONTEND=noninteractive apt-get -y -qq upgrade
chroot "$root" apt-get clean

# Trim what a container never reads: apt lists, docs, man pages, translations, caches.
rm -rf "$root"/var/lib/apt/lists/* "$root"/var/cache/apt/* "$root"/var/log/* \
    "$root"/usr/share/doc/* "$root"/usr/share/man/* "$root"/usr/share/info/* \
    "$root"/usr/share/locale/* "$root"/tmp/* "$root"/var/tmp/*
find "$root/usr/lib/python3.11" -name __pycache__ -prune -exec rm -rf {} +

debian_version="$(cat "$root/etc/debian_version")"
python_version="$(chroot "$root" python3 -c 'import platform; print(platform.python_version())')"
made="$(date -u +%Y-%m-%d)"

tar -C "$root" --numeric-owner -c . | docker import \
    --change 'ENV PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin' \
    --change 'ENV LANG=C.UTF-8' \
    --change 'CMD ["python3"]' \
    --change "LABEL org.opencontainers.image.base.name=debian:$SUITE debian.version=$debian_version python.version=$python_version org.opencontainers.image.created=$made" \
    - "$TAG"
echo "make-base-image: $TAG (Debian $debian_version, Python $python_version, made $made)"
docker image ls "$TAG"
