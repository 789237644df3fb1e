"""The answer engine's tunable weights: every mechanism beyond plain BM25 can be switched off."""

from __future__ import annotations

from dataclasses import dataclass, fields, replace


@dataclass(frozen=True)
class SearchSettings:
    """Weights of the ranking signals and the abstention threshold (0 switches a signal off).

    Each default was set on the public seed questions and on our own checks, never on WikiQA;
    the README's ablation table shows what each one adds.
    """

    alias_weight: float = 0.6  # a party's other names count this much of the name itself
    issue_expansion: float = 0.25  # weight of a named sticking point's defining terms
    side_weight: float = 1.0  # weight of the chosen side's names (/issue side:…)
    paragraph_weight: float = 0.3  # a question term elsewhere in the sentence's paragraph
    section_weight: float = 0.15  # … elsewhere in its section
    heading_weight: float = 0.5  # … in its section heading
    title_weight: float = 0.3  # … in its source's title
    cue_boost: float = 0.35  # sentence holds the kind of answer asked for (amount, date, …)
    position_weight: float = 0.15  # earlier sentences of a source lead (news, encyclopedias)
    # Set on the seed questions: "how much of Donetsk" must not match "how much will Russia pay",
    # "could Ukraine get electricity" must not hinge on "get"; 0.7 leaves such words a tie-breaker.
    frame_discount: float = 0.7  # framing words (cue phrase, light/stance verbs) lose this share
    # Set on the seed questions: a question naming a party asks about that party's position, so
    # sentences that mention the party (any alias) lead; 0.3 settles ties without outweighing topic.
    party_focus: float = 0.3  # boost for a sentence naming a party the question names
    # Set on the seed and our own questions (no change there at 0.5, where the title names the
    # parties); a principle more than a fit: a title term holds for every sentence of its source.
    title_discount: float = 0.5  # share of a title term's in-sentence weight dropped
    # Lucene's classic "coord": a sentence that has (or is framed by) more of the question's
    # distinct terms leads one that repeats a few. 0.5 on the seed and our own questions.
    coord_weight: float = 0.5
    min_coverage: float = 0.5  # share of the question's weight the best passage must cover

    def without(self, *names: str) -> SearchSettings:
        """These settings with the named signals switched off."""
        known = {f.name for f in fields(self)}
        unknown = set(names) - known
        if unknown:
            raise ValueError(f"unknown settings: {sorted(unknown)}")
        return replace(self, **dict.fromkeys(names, 0.0))


PLAIN_BM25 = SearchSettings().without(
    "alias_weight", "issue_expansion", "paragraph_weight", "section_weight", "heading_weight",
    "title_weight", "cue_boost", "position_weight", "frame_discount", "party_focus",
    "title_discount", "coord_weight")
