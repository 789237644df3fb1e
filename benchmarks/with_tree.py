"""Run a benchmark script with the `index` and `bot` packages of another source tree.

    git archive COMMIT | tar -x -C /tmp/old
    .venv/bin/python benchmarks/with_tree.py /tmp/old benchmarks/quality.py --blind --sets blind4

The venv's editable install maps `index` and `bot` to this checkout ahead of `sys.path`, so
PYTHONPATH alone does not reach an older tree: its finder is dropped here first. The script and
its data stay this checkout's; only the packages it imports come from the other tree.
"""

from __future__ import annotations

import runpy
import sys


def main() -> None:
    """Import `index` from the tree named first, then run the script named second."""
    if len(sys.argv) < 3:
        raise SystemExit("usage: with_tree.py TREE SCRIPT [ARGS…]")
    tree, script = sys.argv[1], sys.argv[2]
    sys.meta_path[:] = [f for f in sys.meta_path if "editable" not in repr(f).lower()]
    sys.path.insert(0, tree)
    import index

    if not str(index.__file__).startswith(tree):
        raise SystemExit(f"index was imported from {index.__file__}, not {tree}")
    sys.argv = [script, *sys.argv[3:]]
    runpy.run_path(script, run_name="__main__")


if __name__ == "__main__":
    main()
