#!/usr/bin/env bash
# Check that requirements.txt, the lock, is what its own header command makes of requirements.in:
# the command is run into a temporary copy of the lock (uv keeps the pins it finds there, so an
# unchanged requirements.in must give an unchanged lock) and the two are compared.
# Exit 1, with the difference, when they differ: regenerate the lock with the command in its
# header and commit both files.
set -euo pipefail
cd "$(dirname "$0")/.."
command=$(sed -n '2s/^#\s*//p' requirements.txt)
case "$command" in
  "uv pip compile requirements.in "*"-o requirements.txt") ;;
  *) echo "check_lock: line 2 of requirements.txt is not the uv command that made it: $command" >&2
     exit 1 ;;
esac
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
cp requirements.txt "$tmp/requirements.txt"
uv=(uv)
command -v uv >/dev/null || uv=(python3 -m uv)
options=${command#uv pip compile requirements.in }
options=${options% -o requirements.txt}
# shellcheck disable=SC2086  # the options are words of the header's command
"${uv[@]}" pip compile requirements.in $options \
  --quiet --custom-compile-command "$command" -o "$tmp/requirements.txt" >/dev/null
sed -i "s# -o $tmp/requirements.txt# -o requirements.txt#" "$tmp/requirements.txt"
if diff -u requirements.txt "$tmp/requirements.txt"; then
  echo "check_lock: requirements.txt is what '$command' gives"
else
  echo "check_lock: requirements.txt differs from what '$command' gives: regenerate it" >&2
  exit 1
fi
