#!/usr/bin/env bash
# Fetch MathJax 3 from the npm registry into .cache/mathjax/ (git-ignored), for the browser test
# and the PDF, which serve it locally in place of the CDN copy the book's pages load
# (tools/browsercheck.py and tools/build_pdf.py run this script when the copy is missing).
# Idempotent.
set -euo pipefail
cd "$(dirname "$0")/.."
VERSION=3.2.2
DEST=.cache/mathjax
if [ -f "$DEST/package/es5/tex-mml-chtml.js" ]; then
  exit 0
fi
if ! command -v npm >/dev/null; then
  echo "fetch_mathjax: npm not found: apt-get install npm, then run tools/fetch_mathjax.sh again" >&2
  exit 1
fi
mkdir -p "$DEST"
(cd "$DEST" && npm pack --silent "mathjax@$VERSION" >/dev/null && tar xzf "mathjax-$VERSION.tgz" \
  && rm "mathjax-$VERSION.tgz")
test -f "$DEST/package/es5/tex-mml-chtml.js"
echo "fetch_mathjax: MathJax $VERSION in $DEST/package"
