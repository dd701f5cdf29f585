#!/usr/bin/env bash
# Build the FootCare image: `make image` runs this. Makes the pinned base image from Debian
# packages first when it is missing (deploy/make-base-image.sh), then runs `docker build`.
# Environment:
#   IMAGE              tag to build (default footcare:latest)
#   BASE_IMAGE         base image (default: the Dockerfile's pinned ARG BASE_IMAGE)
#   IMAGE_BUILD_FLAGS  extra `docker build` flags (default --network=host, so the build's pip
#                      reaches the index even where dockerd runs with --iptables=false)
#   EXTRA_CA_FILES     PEM files the build's pip must trust besides Debian's CAs (default: the
#                      host's locally added ones, /usr/local/share/ca-certificates/*.crt, as
#                      the host's own pip trusts them). They reach the build stage only.
#   PIP_INDEX_URL, PIP_EXTRA_INDEX_URL  passed on to the build stage when set (no credentials).
set -euo pipefail
cd "$(dirname "$0")/.."

IMAGE="${IMAGE:-footcare:latest}"
BASE_IMAGE="${BASE_IMAGE:-$(sed -n 's/^ARG BASE_IMAGE=//p' Dockerfile)}"
IMAGE_BUILD_FLAGS="${IMAGE_BUILD_FLAGS:---network=host}"

if ! docker image inspect "$BASE_IMAGE" >/dev/null 2>&1; then
    case "$BASE_IMAGE" in
        footcare-base:*)
            echo "build-image: base image $BASE_IMAGE missing: making it from Debian packages"
            deploy/make-base-image.sh "$BASE_IMAGE" ;;
        *) docker pull "$BASE_IMAGE" ;;
    esac
fi

args=(--build-arg "BASE_IMAGE=$BASE_IMAGE")
extra_ca=""
if [ -n "${EXTRA_CA_FILES+set}" ]; then
    read -r -a ca_files <<<"$EXTRA_CA_FILES"
else
    ca_files=()
    for f in /usr/local/share/ca-certificates/*.crt; do [ -f "$f" ] && ca_files+=("$f"); done
fi
[ "${#ca_files[@]}" -gt 0 ] && extra_ca="$(cat "${ca_files[@]}")"
[ -n "$extra_ca" ] && args+=(--build-arg "EXTRA_CA_CERTS=$extra_ca")
[ -n "${PIP_INDEX_URL:-}" ] && args+=(--build-arg "PIP_INDEX_URL=$PIP_INDEX_URL")
[ -n "${PIP_EXTRA_INDEX_URL:-}" ] && args+=(--build-arg "PIP_EXTRA_INDEX_URL=$PIP_EXTRA_INDEX_URL")

# Without the buildx plugin, the Docker CLI builds with the classic builder only when asked.
docker buildx version >/dev/null 2>&1 || export DOCKER_BUILDKIT=0
start=$(date +%s)
# shellcheck disable=SC2086  # IMAGE_BUILD_FLAGS is a list of flags
docker build $IMAGE_BUILD_FLAGS "${args[@]}" -t "$IMAGE" .
size=$(docker image inspect -f '{{.Size}}' "$IMAGE")
echo "build-image: $IMAGE built in $(( $(date +%s) - start )) s, $((size / 1000000)) MB"
