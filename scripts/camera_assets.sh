#!/usr/bin/env bash
# The camera's runtime (@mediapipe/tasks-vision 0.10.35) and pose model (pose_landmarker_lite.task,
# built from @mediapipe/pose's TFLite files with mediapipe 0.10.21's metadata writer), pinned and
# checksummed, into src/backcoach/web/static/camera/ (ignored by git; shipped in the package).
# Fast when they are already there; fails on any checksum that does not match. See
# scripts/camera_assets.py and docs/camera.md ("Build").
set -euo pipefail
cd "$(dirname "$0")/.."
# The project's interpreter when it has one (its pip fetches the pinned wheels; nothing is
# installed into .venv), else python3 with pip.
python=${PYTHON:-python3}
[ -n "${PYTHON:-}" ] || [ ! -x .venv/bin/python ] || python=.venv/bin/python
exec "$python" scripts/camera_assets.py "$@"
