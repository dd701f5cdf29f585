#!/usr/bin/env bash
# Smoke test of the FootCare container image: build it (or reuse it with --no-build), then run
# it the ways an operator would and check what comes out. Needs a Docker daemon; where
# `docker info` fails it prints "SKIPPED: no Docker daemon" and exits 0.
#   deploy/image-smoke-test.sh [--no-build]
# Environment: IMAGE (default footcare:latest), and for the build those deploy/build-image.sh
# reads (BASE_IMAGE, IMAGE_BUILD_FLAGS, EXTRA_CA_FILES, ...). A missing footcare-base:* base
# image is made from Debian packages (the offline build path; needs root and debootstrap).
set -euo pipefail
cd "$(dirname "$0")/.."

IMAGE="${IMAGE:-footcare:latest}"
build=1
[ "${1:-}" = "--no-build" ] && build=0

if ! command -v docker >/dev/null 2>&1 || ! docker info >/dev/null 2>&1; then
    echo "SKIPPED: no Docker daemon (docker info failed); the image was not built or tested"
    exit 0
fi

failures=0
passes=0
pass() { echo "ok   - $1"; passes=$((passes + 1)); }
fail() { echo "FAIL - $1" >&2; failures=$((failures + 1)); }
work="$(mktemp -d)"
volume="footcare-smoke-$$"
cleanup() {
    docker volume rm -f "$volume" >/dev/null 2>&1 || true
    rm -rf "$work"
}
trap cleanup EXIT

if [ "$build" = 1 ]; then IMAGE="$IMAGE" deploy/build-image.sh; fi
docker image inspect "$IMAGE" >/dev/null || { echo "no image $IMAGE (build it first)" >&2; exit 1; }
size=$(docker image inspect -f '{{.Size}}' "$IMAGE")
echo "image $IMAGE: $((size / 1000000)) MB"

# Every container runs without a network: nothing here needs one, the demo included.
run() { docker run --rm --network none "$@"; }

# 1. The tips in the image are valid (TIPS_DIR=/app/tips).
if run "$IMAGE" python -m bot tips check >"$work/tips" 2>&1 && grep -q '^OK' "$work/tips"; then
    pass "tips check: $(head -1 "$work/tips")"
else
    fail "tips check"; cat "$work/tips" >&2
fi

# 2. The demo, driven through stdin: onboarding, a check-in, two jumps to the next daily
# message (the second always brings a check-in, whatever the time of day), its answer, then
# /history, whose chart needs two check-ins and matplotlib. The demo's database goes to the /data
# volume, and stderr stays empty (no matplotlib cache warning).
printf '%s\n' /start '#1' '#3' '#3' /checkin '#6' :next :next '#4' /history :quit \
    | run -i -v "$volume:/data" "$IMAGE" python -m bot demo >"$work/demo" 2>"$work/demo.err" \
    && demo_rc=0 || demo_rc=$?
if [ "$demo_rc" = 0 ] && grep -q "^bot: Hi, Alex! I'm FootCare." "$work/demo" \
    && grep -qF '[#1 Europe/London]' "$work/demo" \
    && grep -qF 'bot (edited): Check-in for' "$work/demo" \
    && grep -qF 'bot: [photo, ' "$work/demo" && [ "$(tail -1 "$work/demo")" = "> Bye." ]; then
    pass "demo through stdin: welcome, time zone buttons, check-in, chart, Bye."
else
    fail "demo (exit $demo_rc)"; cat "$work/demo" "$work/demo.err" >&2
fi
if [ -s "$work/demo.err" ]; then
    fail "demo wrote to stderr (a warning at start?)"; cat "$work/demo.err" >&2
else
    pass "demo stderr is empty (no matplotlib cache warning)"
fi

# 3. `run` without BOT_TOKEN stops with the configuration exit code 2 and says why.
run -e BOT_TOKEN= "$IMAGE" >"$work/notoken" 2>&1 && code=0 || code=$?
if [ "$code" = 2 ] && grep -q 'BOT_TOKEN is not set' "$work/notoken"; then
    pass "run without BOT_TOKEN exits 2: $(cat "$work/notoken")"
else
    fail "run without BOT_TOKEN exited $code"; cat "$work/notoken" >&2
fi

# 4. The bot's process is not root.
uid=$(run "$IMAGE" python -c 'import os; print(os.getuid())') || uid=""
if [ -n "$uid" ] && [ "$uid" != 0 ]; then pass "runs as uid $uid"; else fail "runs as uid '$uid'"; fi

# 5. /data is a volume, and the real bot's database lands there: `run` opens (and migrates) the
# database before it reaches the Bot API, which is unreachable here, so it exits 2 after that.
volumes=$(docker image inspect -f '{{json .Config.Volumes}}' "$IMAGE")
case "$volumes" in *'"/data"'*) pass "/data is a volume" ;; *) fail "volumes: $volumes" ;; esac
run -v "$volume:/data" -e BOT_TOKEN=123456:smoke-test-token \
    -e TELEGRAM_API_URL=http://127.0.0.1:9 "$IMAGE" >"$work/run" 2>&1 && code=0 || code=$?
listing=$(run -v "$volume:/data" "$IMAGE" ls /data) || listing=""
if [ "$code" = 2 ] && grep -q 'cannot reach TELEGRAM_API_URL' "$work/run" \
    && grep -qx footcare.db <<<"$listing" && grep -qx demo.db <<<"$listing"; then
    pass "databases on the /data volume: ${listing//$'\n'/ }"
else
    fail "database on /data (run exited $code; /data has: $listing)"; cat "$work/run" >&2
fi
if grep -qiE 'secret|smoke-test-token' "$work/run"; then fail "the token reached the log"; fi

# 6. No build leftovers: no /src, no pip in the runtime venv.
if run "$IMAGE" sh -c 'test ! -e /src && test ! -e /opt/venv/bin/pip'; then
    pass "no /src and no pip in the image"
else
    fail "/src or pip left in the image"
fi

echo "image smoke test of $IMAGE ($((size / 1000000)) MB):"
echo "smoke: $passes passed, $failures failed"
[ "$failures" -eq 0 ]
