"""Scoring a question file (as shared/eval/seed_dev.jsonl) the way acceptance scores it.

Answers are read through their public JSON shape (`citebot ask --json --batch`): a passage is a hit
when one of the `expect` substrings occurs in its text; only the passages an answer shows count
(three by default); and an answerable question that is declined is a miss at every rank.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from .engine import Engine
from .errors import UsageError
from .jsonl import read_json_lines, text_field
from .serialize import answer_to_json
from .settings import PLAIN_BM25, SearchSettings


@dataclass(frozen=True, kw_only=True)
class EvalQuestion:
    """A question and the substrings that make a passage correct (None: must abstain)."""

    question: str
    expect: tuple[str, ...] | None
    source: str | None = None


@dataclass(frozen=True, kw_only=True)
class EvalOutcome:
    """How one question went: the rank of the first correct passage (None: none) and abstention."""

    question: EvalQuestion
    first_hit: int | None
    answered: bool
    abstention: str | None = None


@dataclass(frozen=True, kw_only=True)
class EvalReport:
    """The figures over a question set."""

    outcomes: tuple[EvalOutcome, ...]

    def answerable(self) -> list[EvalOutcome]:
        """The outcomes of the questions the sources answer."""
        return [o for o in self.outcomes if o.question.expect is not None]

    def _hit_at(self, k: int) -> float:
        rows = self.answerable()
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
        """Mean reciprocal rank of the first correct passage within five (of those shown)."""
        rows = self.answerable()
        return sum(1 / o.first_hit for o in rows if o.first_hit and o.first_hit <= 5) / max(
            len(rows), 1)

    @property
    def unanswerable(self) -> int:
        """How many questions the sources do not cover."""
        return len(self.outcomes) - len(self.answerable())

    @property
    def abstained_unanswerable(self) -> int:
        """Of those, how many the engine rightly declined."""
        return sum(not o.answered for o in self.outcomes if o.question.expect is None)

    @property
    def wrongful_abstentions(self) -> int:
        """Answerable questions the engine declined."""
        return sum(not o.answered for o in self.answerable())

    def lines(self) -> list[str]:
        """The report as text lines."""
        n = len(self.answerable())
        lines = [f"questions: {len(self.outcomes)} ({n} answerable, {self.unanswerable} not)",
                 f"hit@1: {self.hit1:.3f}", f"hit@3: {self.hit3:.3f}", f"MRR@5: {self.mrr5:.3f}",
                 f"abstained on unanswerable: {self.abstained_unanswerable}/{self.unanswerable}",
                 f"wrongful abstentions on answerable: {self.wrongful_abstentions}/{n}"]
        lines += [f"  not first: {o.question.question!r} (first hit: {o.first_hit}"
                  f"{'' if o.answered else ', declined'})"
                  for o in self.answerable() if o.first_hit != 1]
        lines += [f"  answered, should decline: {o.question.question!r}"
                  for o in self.outcomes if o.question.expect is None and o.answered]
        return lines


def parse_question(row: Any) -> EvalQuestion:
    """One question object; UsageError when it is not {"question": str, "expect": [str…]|null}."""
    if not isinstance(row, dict):
        raise UsageError('expected {"question": …, "expect": […]}')
    return EvalQuestion(question=str(text_field(row, "question", required=True)),
                        expect=expectations(row.get("expect")), source=text_field(row, "source"))


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
            questions.append(parse_question(line.row))
        except UsageError as exc:
            raise UsageError(f"{path}:{line.number}: {exc}") from None
    return questions


def expectations(value: object) -> tuple[str, ...] | None:
    """`expect` as a tuple of strings: one string is one expectation, null means unanswerable."""
    if value is None:
        return None
    if isinstance(value, str) and value:
        return (value,)
    if isinstance(value, list) and all(isinstance(v, str) and v for v in value):
        return tuple(value)
    raise UsageError("'expect' must be a string, a list of non-empty strings or null")


def outcome(question: EvalQuestion, shape: Mapping[str, Any]) -> EvalOutcome:
    """Score one answer, given as its `ask --json` object."""
    answered = bool(shape["answered"])
    hits = [int(p["rank"]) for p in shape["passages"]
            if answered and question.expect is not None
            and any(e in p["text"] for e in question.expect)]
    return EvalOutcome(question=question, first_hit=min(hits) if hits else None, answered=answered,
                       abstention=shape.get("abstention"))


def evaluate(ask: Callable[[EvalQuestion], Mapping[str, Any]],
             questions: Sequence[EvalQuestion]) -> EvalReport:
    """Ask every question (answers as `ask --json` objects) and score them."""
    return EvalReport(outcomes=tuple(outcome(q, ask(q)) for q in questions))


def ask_json(engine: Engine, settings: SearchSettings, top: int = 3, context: int = 1,
             restrict: bool = True) -> Callable[[EvalQuestion], Mapping[str, Any]]:
    """Ask through the engine as `citebot ask --json --batch` does, under the given settings."""
    def ask(q: EvalQuestion) -> Mapping[str, Any]:
        engine.settings = settings
        return answer_to_json(engine.ask(q.question, top=top, context=context,
                                         source=q.source if restrict else None))
    return ask


def compare(engine: Engine, questions: Sequence[EvalQuestion], top: int = 3, context: int = 1,
            ) -> list[tuple[str, EvalReport]]:
    """Citebot (the engine's settings) beside plain BM25 over sentences, on the same index."""
    own = engine.settings
    try:
        return [(name, evaluate(ask_json(engine, settings, top, context), questions))
                for name, settings in (("citebot", own), ("plain BM25", PLAIN_BM25))]
    finally:
        engine.settings = own
