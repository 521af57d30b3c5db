#!/usr/bin/env bash
# Put the built editions together as the published site, in the folder given (default _site):
#   _build/html            -> SITE/            the book
#   _build/student/html    -> SITE/student/    the student edition
#   _build/pdf/book.pdf    -> SITE/book.pdf    the PDF (linked from the intro page)
# Run after .ci/run (or the README's commands); .github/workflows/publish.yml deploys SITE.
set -euo pipefail
cd "$(dirname "$0")/.."
site=${1:-_site}
for built in _build/html/index.html _build/student/html/index.html _build/pdf/book.pdf; do
  [ -f "$built" ] || { echo "assemble_site: $built missing: run the README's commands first" >&2; exit 1; }
done
rm -rf "$site"
cp -r _build/html "$site"
cp -r _build/student/html "$site/student"
cp _build/pdf/book.pdf "$site/book.pdf"
touch "$site/.nojekyll"
echo "assemble_site: $site (book, student/, book.pdf)"
