#!/usr/bin/env bash
# Fill the branch that the Binder buttons open (notebook_branch in _config.yml) with this
# commit's files plus the notebook edition of both editions:
#   teacher/<page>.ipynb  <- _build/html/_notebooks          (with solutions)
#   student/<page>.ipynb  <- _build/student/html/_notebooks  (without)
# Binder builds its environment from the branch's requirements.txt, so the notebooks run there
# against this commit's epcore.
#
#     tools/push_notebook_branch.sh REMOTE_URL     # after .ci/run; force-pushes the branch
#     tools/push_notebook_branch.sh --dry-run DIR  # only assemble the branch's tree in DIR
set -euo pipefail
cd "$(dirname "$0")/.."
branch=$(python3 -c "import yaml; print(yaml.safe_load(open('_config.yml'))['sphinx']['config']['notebook_branch'])")
for built in _build/html/_notebooks _build/student/html/_notebooks; do
  [ -d "$built" ] || { echo "push_notebook_branch: $built missing: build both editions first" >&2; exit 1; }
done
if [ "${1:-}" = "--dry-run" ]; then tree=$2; else tree=$(mktemp -d); fi
mkdir -p "$tree"
git archive HEAD | tar -x -C "$tree"
cp -r _build/html/_notebooks "$tree/teacher"
cp -r _build/student/html/_notebooks "$tree/student"
echo "push_notebook_branch: $tree holds branch $branch (teacher/, student/)"
[ "${1:-}" = "--dry-run" ] && exit 0
remote=$1
commit=$(git rev-parse HEAD)
cd "$tree"
git init -q -b "$branch"
git add -A
git -c user.name="book publisher" -c user.email="publisher@localhost" \
  commit -qm "Notebook edition of $commit"
git push -q -f "$remote" "$branch"
echo "push_notebook_branch: pushed $branch"
