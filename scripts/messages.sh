#!/usr/bin/env bash
# Extract every marked word (the wording layer's Python, the page templates) into the catalogue
# template build/messages.pot, as babel.cfg says; docs/translation.md says what comes next.
# The template is made, not kept: tests/unit/test_i18n.py extracts the same way and checks it.
# PYBABEL names another pybabel than the project's .venv one.
set -euo pipefail
cd "$(dirname "$0")/.."
output=${1:-build/messages.pot}
mkdir -p "$(dirname "$output")"
exec "${PYBABEL:-.venv/bin/pybabel}" --quiet extract --mapping-file=babel.cfg --sort-output --width=100 \
  --project=backcoach --copyright-holder="backcoach contributors" \
  --output-file="$output" src/backcoach
