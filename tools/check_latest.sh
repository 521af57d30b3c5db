#!/usr/bin/env bash
# Drift warning: install the NEWEST versions that requirements.in allows into a separate virtual
# environment and run the tests that need no built book, so that a release that breaks the book
# is seen before the lock (requirements.txt) is updated to it.
#
#     tools/check_latest.sh            # exit 0 if the tests pass on the newest versions
#
# The environment is made in a temporary folder and removed afterwards; nothing of the project's
# own environment changes. .ci/run runs this as an information step that never fails the run.
set -euo pipefail
cd "$(dirname "$0")/.."
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
uv=(uv)
command -v uv >/dev/null || uv=(python3 -m uv)
"${uv[@]}" venv --quiet --python 3.11 "$tmp/venv"
# A fresh environment resolves requirements.in anew: the newest allowed release of everything.
VIRTUAL_ENV="$tmp/venv" "${uv[@]}" pip install --quiet -r requirements.in
VIRTUAL_ENV="$tmp/venv" "${uv[@]}" pip freeze > "$tmp/latest.txt"
echo "check_latest: newer than the lock:"
python3 - "$tmp/latest.txt" <<'PY'
import re, sys
pins = lambda text: dict(
    (m.group(1).lower(), m.group(2))
    for m in re.finditer(r"^([A-Za-z0-9_.\-]+)==(\S+)", text, re.M)
)
lock = pins(open("requirements.txt").read())
latest = pins(open(sys.argv[1]).read())
newer = [f"  {k} {lock[k]} -> {v}" for k, v in sorted(latest.items()) if k in lock and lock[k] != v]
print("\n".join(newer) or "  nothing: the lock is the newest allowed")
PY
# The tests that need no built book.
status=0
"$tmp/venv/bin/python" -m pytest -q -p no:cacheprovider tests \
  --ignore=tests/test_browser.py --ignore=tests/test_pdf.py --ignore=tests/test_editions.py \
  --ignore=tests/test_build_cache.py || status=$?
if [ "$status" = 0 ]; then
  echo "check_latest: the tests pass on the newest allowed versions"
else
  echo "check_latest: the tests FAIL on the newest allowed versions (exit $status)"
fi
exit "$status"
