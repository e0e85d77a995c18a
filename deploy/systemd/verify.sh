#!/usr/bin/env bash
# Checks the systemd units offline with `systemd-analyze verify`, pointed at
# the binaries in BIN_DIR (default build/bin) instead of /usr/local/bin.
# Any warning fails the check.
#
#   deploy/systemd/verify.sh [BIN_DIR]
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
bin="$(cd "${1:-$here/../../build/bin}" && pwd)"
scratch="$(mktemp -d)"
trap 'rm -rf "$scratch"' EXIT
for unit in "$here"/*.service "$here"/*.timer; do
  sed "s#/usr/local/bin/#$bin/#g" "$unit" >"$scratch/$(basename "$unit")"
done
cd "$scratch"
out="$(systemd-analyze verify ./*.service ./*.timer 2>&1)" || { echo "$out" >&2; exit 1; }
if [ -n "$out" ]; then
  echo "$out" >&2
  exit 1
fi
echo "systemd units verified: $(ls | tr '\n' ' ')"
