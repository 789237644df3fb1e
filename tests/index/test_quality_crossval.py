"""benchmarks/crossval.py: the value is chosen without the held-out set, ties go to "off"."""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "benchmarks"))

from crossval import Counts, leave_one_out, total


def _c(hit1: int, wrong: int = 0) -> Counts:
    return Counts(hit1=hit1, hit3=hit1, right=0, wrong=wrong)


def test_value_is_chosen_on_the_other_sets_only() -> None:
    # Value 1 helps only set "a" (a lot); on "b" and "c" it costs a question each.
    off = {"a": _c(5), "b": _c(5), "c": _c(5)}
    on = {"a": _c(9), "b": _c(4), "c": _c(4)}
    chosen, scored = leave_one_out([0.0, 1.0], [off, on], ["a", "b", "c"])
    # Held out "a": b and c prefer off, so a is scored with off (its own gain is not seen).
    assert chosen == {"a": 0.0, "b": 1.0, "c": 1.0}
    assert scored["a"] == off["a"] and scored["b"] == on["b"] and scored["c"] == on["c"]
    assert total(list(scored.values())).objective < total(list(off.values())).objective


def test_a_tie_goes_to_the_smaller_value() -> None:
    same = {"a": _c(3), "b": _c(3)}
    chosen, _ = leave_one_out([0.0, 0.5], [same, same], ["a", "b"])
    assert set(chosen.values()) == {0.0}


def test_wrong_declines_count_against() -> None:
    assert _c(4, wrong=1).objective == _c(4).objective - 1
