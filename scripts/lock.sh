#!/usr/bin/env bash
# Regenerate requirements.lock from pyproject.toml: run it after changing any dependency.
# The lock pins every package (citebot's and the test extra's, with their dependencies) to one
# version with the hashes of its files, for every Python citebot supports (a "universal" lock);
# ./citebot and ./run-tests install exactly that. Needs Python 3.11+ and the package index.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
python="${PYTHON:-python3}"
tools="$(mktemp -d)"
trap 'rm -rf "$tools"' EXIT
"$python" -m venv "$tools/venv"
"$tools/venv/bin/python" -m pip install --quiet "uv==0.13.9"
cd "$root"
"$tools/venv/bin/uv" pip compile pyproject.toml --extra test --universal \
  --python-version 3.11 --generate-hashes --no-emit-package citebot \
  --custom-compile-command "scripts/lock.sh" --output-file requirements.lock "$@"
