#!/usr/bin/env bash
# Refresh the vendored axe-core (accessibility rules run by tests/e2e/test_phones_and_access.py)
# from npm: bash tests/e2e/vendor/axe-core/update.sh [version]
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
(cd "$tmp" && npm pack "axe-core@${1:-4.14.1}" --silent >/dev/null && tar xzf axe-core-*.tgz)
cp "$tmp/package/axe.min.js" "$tmp/package/LICENSE" "$here/"
grep '"version"' "$tmp/package/package.json" | head -n1 > "$here/VERSION"
