#!/bin/bash
# Checks deploy/ offline (check.mjs): the Kubernetes manifests against the
# API's schemas and the project's rules, and the Dockerfile with a linter.
# Then checks the checker: a broken manifest must fail it.
#
#   deploy/k8s/check/run.sh WORK_DIR
#
# The npm packages it needs (package-lock.json) are installed in WORK_DIR,
# again only when the lock file changed.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
work="${1:?usage: run.sh WORK_DIR}"
if ! command -v node >/dev/null || ! command -v npm >/dev/null; then
  echo "run.sh: node and npm are needed (tools/dev deps installs them)" >&2
  exit 1
fi
mkdir -p "$work"
if ! cmp -s "$here/package-lock.json" "$work/package-lock.json" || [ ! -d "$work/node_modules" ]; then
  cp "$here/package.json" "$here/package-lock.json" "$work/"
  (cd "$work" && npm ci --no-audit --no-fund --loglevel=error)
fi
# Next to its node_modules, so that its imports resolve there.
cp "$here/check.mjs" "$work/"
node "$work/check.mjs" "$here/../.."

out="$(node "$work/check.mjs" --expect-failure "$here/testdata/bad.yaml")"
for expected in "spec/replicas must be integer" "readOnlyRootFilesystem" \
  "native gRPC readinessProbe" "must read --tls-cert from a mounted Secret" \
  "not latest" "must be headless"; do
  if ! grep -qF "$expected" <<<"$out"; then
    printf 'run.sh: the broken manifest should fail with "%s"; it gave:\n%s\n' "$expected" "$out" >&2
    exit 1
  fi
done
echo "run.sh: the broken manifest fails as it should ($(wc -l <<<"$out") problems)"
