# Sourced by ./citebot and ./run-tests: makes .venv with citebot and its test tools on first use,
# and again whenever pyproject.toml changes. Needs only Python 3.11+ on the PATH.
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
venv="$root/.venv"
stamp="$venv/.citebot-installed"
want="$(cksum < "$root/pyproject.toml")"
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
  echo "Setting up $venv (first run only; takes a minute)…" >&2
  "$python" -m venv "$venv" || { echo "could not create $venv (install python3-venv?)" >&2; exit 1; }
  log="$venv/install.log"
  if ! { "$venv/bin/python" -m pip install --upgrade pip &&
         "$venv/bin/python" -m pip install -e "$root[test]"; } >"$log" 2>&1; then
    tail -n 20 "$log" >&2
    echo "installing citebot failed; the full log is in $log" >&2
    exit 1
  fi
  echo "$want" > "$stamp"
fi
