#!/usr/bin/env bash
# Refresh the vendored Swagger UI and ReDoc assets that /api/v1/docs and /api/v1/redoc serve
# (no CDN: the app's CSP allows scripts from 'self' only, and the docs must work offline).
#   scripts/vendor_api_docs.sh [swagger-ui-dist version] [redoc version]
# Packs the npm packages into a temporary folder with `npm pack` (nothing is installed or run),
# copies the built files we serve plus each package's licence, and writes VERSION.
set -euo pipefail
SWAGGER="${1:-5.35.0}"
REDOC="${2:-2.5.4}"
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
DEST="$ROOT/src/creatorlens/web/static/vendor"
TMP="$(mktemp -d)"
trap 'rm -rf "$TMP"' EXIT

cd "$TMP"
npm pack --silent "swagger-ui-dist@$SWAGGER" "redoc@$REDOC" >/dev/null
mkdir sw rd
tar xzf "swagger-ui-dist-$SWAGGER.tgz" -C sw
tar xzf "redoc-$REDOC.tgz" -C rd

mkdir -p "$DEST/swagger-ui" "$DEST/redoc"
cp sw/package/swagger-ui-bundle.js sw/package/swagger-ui.css sw/package/favicon-32x32.png \
   sw/package/LICENSE sw/package/NOTICE "$DEST/swagger-ui/"
cp sw/package/swagger-ui-bundle.js.LICENSE.txt "$DEST/swagger-ui/"
cp rd/package/bundles/redoc.standalone.js rd/package/bundles/redoc.standalone.js.LICENSE.txt \
   rd/package/LICENSE "$DEST/redoc/"

{
  echo "swagger-ui-dist $SWAGGER (npm; Apache-2.0, see swagger-ui/LICENSE and NOTICE)"
  echo "  $(sha256sum "swagger-ui-dist-$SWAGGER.tgz" | cut -d' ' -f1)  swagger-ui-dist-$SWAGGER.tgz"
  echo "redoc $REDOC (npm; MIT, see redoc/LICENSE)"
  echo "  $(sha256sum "redoc-$REDOC.tgz" | cut -d' ' -f1)  redoc-$REDOC.tgz"
  echo "refreshed with scripts/vendor_api_docs.sh"
} > "$DEST/API-DOCS-VERSION"
echo "vendored swagger-ui-dist $SWAGGER and redoc $REDOC into $DEST"
