#!/usr/bin/env bash
# Refresh the packaged Korean font (Noto Sans KR, SIL OFL 1.1) that the pages reference and the
# HTML/PDF reports embed, so Korean renders on a machine with no CJK font installed.
#   scripts/vendor_fonts.sh [@fontsource/noto-sans-kr version]
# Fontsource ships the font cut into ~124 woff2 slices (Google Fonts' unicode-range subsets, about
# 20 KB each): a page downloads only the slices its text uses, and a report embeds only those
# (presentation._fonts). We keep weights 400 and 700 (body and headings) and the woff2 files only.
set -euo pipefail
VERSION="${1:-5.3.0}"
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
DEST="$ROOT/src/creatorlens/web/static/vendor/fonts"
TMP="$(mktemp -d)"
trap 'rm -rf "$TMP"' EXIT

cd "$TMP"
npm pack --silent "@fontsource/noto-sans-kr@$VERSION" >/dev/null
tar xzf "fontsource-noto-sans-kr-$VERSION.tgz"
rm -rf "$DEST"
mkdir -p "$DEST/files"
: > "$DEST/noto-sans-kr.css"
for weight in 400 700; do
  # drop the woff fallback (every browser we target reads woff2) and point at files/
  sed -e "s#, url(./files/[^)]*\\.woff) format('woff')##" -e "s#url(./files/#url(files/#" \
    "package/$weight.css" >> "$DEST/noto-sans-kr.css"
  echo >> "$DEST/noto-sans-kr.css"
  grep -o "noto-sans-kr-[0-9a-z-]*-$weight-normal\\.woff2" "package/$weight.css" | sort -u |
    while read -r file; do cp "package/files/$file" "$DEST/files/"; done
done
cp package/LICENSE "$DEST/LICENSE"
{
  echo "@fontsource/noto-sans-kr $VERSION (npm; SIL Open Font License 1.1, see LICENSE)"
  echo "  $(sha256sum "fontsource-noto-sans-kr-$VERSION.tgz" | cut -d' ' -f1)  fontsource-noto-sans-kr-$VERSION.tgz"
  echo "weights 400 and 700, woff2 only; refreshed with scripts/vendor_fonts.sh"
} > "$DEST/VERSION"
echo "vendored Noto Sans KR $VERSION into $DEST"
