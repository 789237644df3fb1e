"""The whole process of a one-shot `citebot ask`, in each state a user meets it in.

    .venv/bin/python benchmarks/one_shot.py [--rounds 25] [--against TREE]

Every run is a fresh `citebot ask` on the bundled article, with the index built and the model
unpacked (an untimed first run does both), in a user cache of its own (a temporary
XDG_CACHE_HOME: your cache is not touched). The states are timed interleaved, round after round,
so a busy machine slows them alike:
- answered, with no passage's vector kept (the vector store emptied before each run);
- answered, with the passages' vectors kept (as after a running bot embedded them, or after an
  earlier answer showed them): only the question is embedded;
- declined ("who is the president of Argentina");
- answered with `CITEBOT_SEMANTIC=0`.

`--against TREE` times another tree's code in the same rounds (`git archive COMMIT | tar -x -C
TREE`; byte-compile it first, `python -m compileall -q TREE/index TREE/bot`, as set-up does
here); both trees are then started the same way, by `python -c`, not `.venv/bin/citebot`.
Prints the median and the interquartile range of each, in seconds, and the median CPU time.
"""

from __future__ import annotations

import argparse
import os
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
ANSWERED = "what does Russia want on Zaporizhzhia"
DECLINED = "who is the president of Argentina"
_LAUNCH = ("import sys; sys.path.insert(0, {tree!r}); from bot.cli import main; "
           "sys.argv[0] = 'citebot'; sys.exit(main())")


def _command(tree: Path | None) -> list[str]:
    """This checkout's `citebot`, or the same entry point importing another tree's packages."""
    if tree is None:
        return [str(Path(sys.executable).parent / "citebot")]
    return [sys.executable, "-c", _LAUNCH.format(tree=str(tree))]


def _time(command: list[str], question: str, env: dict[str, str]) -> tuple[float, float]:
    """Seconds for one `citebot ask` process, start to exit: wall clock, and CPU (user + system).

    The CPU time moves less with a busy machine; it counts both threads of the process (the
    weights' hash runs beside the answer), so it can exceed the wall clock.
    """
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    started = time.perf_counter()
    subprocess.run([*command, "ask", question], env=env, stdout=subprocess.DEVNULL, check=True)
    wall = time.perf_counter() - started
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    return wall, after.ru_utime + after.ru_stime - before.ru_utime - before.ru_stime


def main() -> None:
    """Time each state of each tree, interleaved, and print the table."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=25)
    parser.add_argument("--against", type=Path, help="another tree to time in the same rounds")
    args = parser.parse_args()
    # Compared with another tree, both go through the same launcher (`python -c`, which skips
    # the console script and the editable install's finder), so only their code differs.
    trees = ({"this checkout": ROOT, str(args.against): args.against} if args.against
             else {"this checkout": None})
    with tempfile.TemporaryDirectory() as cache:
        env = {**os.environ, "XDG_CACHE_HOME": cache,
               "CITEBOT_SOURCES": str(ROOT / "sources")}
        vectors = Path(cache) / "citebot" / "vectors"
        states = {
            "answered, no passage vector kept": (ANSWERED, {}, True),
            "answered, the passages' vectors kept": (ANSWERED, {}, False),
            "declined": (DECLINED, {}, False),
            "answered, CITEBOT_SEMANTIC=0": (ANSWERED, {"CITEBOT_SEMANTIC": "0"}, False),
        }
        for tree in trees.values():  # untimed: builds the index, unpacks the model
            _time(_command(tree), ANSWERED, env)
        times: dict[tuple[str, str], list[tuple[float, float]]] = {}
        for round_ in range(args.rounds):  # each tree's states in turn: its first keeps vectors
            order = list(trees.items())
            for name, tree in order if round_ % 2 else order[::-1]:  # neither always goes first
                for state, (question, extra, empty) in states.items():
                    if empty:
                        shutil.rmtree(vectors, ignore_errors=True)
                    seconds = _time(_command(tree), question, {**env, **extra})
                    times.setdefault((state, name), []).append(seconds)
    print("| state | tree | wall median s | wall p25–p75 s | CPU median s |\n|---|---|---|---|---|")
    for (state, name), runs in times.items():
        wall = [w for w, _ in runs]
        quartiles = statistics.quantiles(wall, n=4)
        print(f"| {state} | {name} | {statistics.median(wall):.3f} | "
              f"{quartiles[0]:.3f}–{quartiles[2]:.3f} | "
              f"{statistics.median(c for _, c in runs):.3f} |")


if __name__ == "__main__":
    main()
