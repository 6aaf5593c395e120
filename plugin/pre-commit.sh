#!/bin/sh
# The pre-commit hook `valuescheck` (.pre-commit-hooks.yaml): checks the files
# pre-commit passes with the release binary, installed on first use into
# plugin/bin of pre-commit's clone of this repository by plugin/install.sh
# (checksum verified; built with Go when no release can be reached).
set -eu
dir=$(cd "$(dirname "$0")" && pwd)
if [ ! -x "$dir/bin/valuescheck" ]; then
	sh "$dir/install.sh" "$dir/bin" >&2
fi
exec "$dir/bin/valuescheck" "$@"
