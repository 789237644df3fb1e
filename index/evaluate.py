"""Scoring a question file (as shared/eval/seed_dev.jsonl): hit@1, hit@3, MRR@5, abstention."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

from .errors import UsageError
from .jsonl import read_json_lines, text_field
from .models import Answer


@dataclass(frozen=True)
class EvalQuestion:
    """A question and the substrings that make a passage correct (None: must abstain)."""

    question: str
    expect: tuple[str, ...] | None
    source: str | None = None


@dataclass(frozen=True)
class EvalOutcome:
    """How one question went: the rank of the first correct passage (None: none) and abstention."""

    question: EvalQuestion
    first_hit: int | None
    answered: bool


@dataclass(frozen=True)
class EvalReport:
    """The figures over a question set."""

    outcomes: tuple[EvalOutcome, ...]

    def _answerable(self) -> list[EvalOutcome]:
        return [o for o in self.outcomes if o.question.expect is not None]

    def _hit_at(self, k: int) -> float:
        rows = self._answerable()
        return sum(o.first_hit is not None and o.first_hit <= k for o in rows) / max(len(rows), 1)

    @property
    def hit1(self) -> float:
        """Share of answerable questions with a correct first passage."""
        return self._hit_at(1)

    @property
    def hit3(self) -> float:
        """Share with a correct passage among the first three."""
        return self._hit_at(3)

    @property
    def mrr5(self) -> float:
        """Mean reciprocal rank of the first correct passage within five."""
        rows = self._answerable()
        return sum(1 / o.first_hit for o in rows if o.first_hit and o.first_hit <= 5) / max(
            len(rows), 1)

    @property
    def unanswerable(self) -> int:
        """How many questions the sources do not cover."""
        return len(self.outcomes) - len(self._answerable())

    @property
    def abstained_unanswerable(self) -> int:
        """Of those, how many the engine rightly declined."""
        return sum(not o.answered for o in self.outcomes if o.question.expect is None)

    @property
    def wrongful_abstentions(self) -> int:
        """Answerable questions the engine declined."""
        return sum(not o.answered for o in self._answerable())

    def lines(self) -> list[str]:
        """The report as text lines."""
        n = len(self._answerable())
        lines = [f"questions: {len(self.outcomes)} ({n} answerable, {self.unanswerable} not)",
                 f"hit@1: {self.hit1:.3f}", f"hit@3: {self.hit3:.3f}", f"MRR@5: {self.mrr5:.3f}",
                 f"abstained on unanswerable: {self.abstained_unanswerable}/{self.unanswerable}",
                 f"wrongful abstentions on answerable: {self.wrongful_abstentions}/{n}"]
        misses = [o for o in self._answerable() if o.first_hit != 1]
        lines += [f"  not first: {o.question.question!r} (first hit: {o.first_hit})"
                  for o in misses]
        return lines


def load_questions(path: Path) -> list[EvalQuestion]:
    """Read a JSON-lines question file; UsageError naming the line when one is malformed."""
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise UsageError(f"cannot read {path}: {exc.strerror or exc}") from None
    questions = []
    for line in read_json_lines(raw.splitlines()):
        try:
            if line.error:
                raise UsageError(line.error)
            questions.append(EvalQuestion(str(text_field(line.row, "question", required=True)),
                                          _expectations(line.row.get("expect")),
                                          text_field(line.row, "source")))
        except UsageError as exc:
            raise UsageError(f"{path}:{line.number}: {exc}") from None
    return questions


def _expectations(value: object) -> tuple[str, ...] | None:
    """`expect` as a tuple of strings: one string is one expectation, null means unanswerable."""
    if value is None:
        return None
    if isinstance(value, str):
        return (value,)
    if isinstance(value, list) and all(isinstance(v, str) for v in value):
        return tuple(value)
    raise UsageError("'expect' must be a string, a list of strings or null")


def evaluate(ask: Callable[[EvalQuestion], Answer],
             questions: Sequence[EvalQuestion]) -> EvalReport:
    """Ask every question and score the passages returned."""
    outcomes = []
    for q in questions:
        result = ask(q)
        hits = [p.rank for p in result.passages
                if q.expect is not None and any(e in p.text for e in q.expect)]
        outcomes.append(EvalOutcome(q, min(hits) if hits else None, result.answered))
    return EvalReport(tuple(outcomes))
