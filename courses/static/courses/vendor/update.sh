#!/usr/bin/env bash
# Vendor hls.js (the HLS player of video lessons and live observation) from npm, with its
# licence, into this folder; the pages load it from our static files, never from a CDN.
#   bash courses/static/courses/vendor/update.sh [version]     (default: the version in VERSION)
# Needs npm. The build is the package's own dist/hls.min.js, unchanged.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
version="${1:-$(sed -n 's/.*"version": *"\([^"]*\)".*/\1/p' "$here/VERSION")}"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
(cd "$tmp" && npm pack "hls.js@${version}" --silent >/dev/null && tar xzf hls.js-*.tgz)
cp "$tmp/package/dist/hls.min.js" "$here/hls.min.js"
cp "$tmp/package/LICENSE" "$here/hls.js.LICENSE"
grep '"version"' "$tmp/package/package.json" | head -n1 > "$here/VERSION"
