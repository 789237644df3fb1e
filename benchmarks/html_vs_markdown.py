"""The same articles as saved web pages and as Markdown: answers as good, nothing but the article.

Indexes shared/eval/multi_dev twice, as its README says: the bundled article, issues.toml and the
ten Markdown reports; then the same with the three reports that have a saved page (html/*.html)
read from the page instead. Prints hit@1, hit@3, MRR@5 and abstentions for both runs, split by
question kind, and checks that every sentence indexed from a web page (and so every passage it can
give) occurs in its Markdown twin, modulo whitespace and quote characters.

    .venv/bin/python benchmarks/html_vs_markdown.py [--multi-dev DIR] [-v]

Exit status 1 when a sentence from a page is not in its twin (or a twin sentence is missing from
the page), or hit@1 differs by more than 0.02.
"""

from __future__ import annotations

import argparse
import re
import shutil
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from index.engine import Engine
from index.evaluate import EvalQuestion, EvalReport, ask_json, evaluate, load_questions

ROOT = Path(__file__).resolve().parents[1]
DEFAULT_DIR = ROOT.parent / "shared/eval/multi_dev"
_QUOTES = str.maketrans({"\u2019": "'", "\u2018": "'", "\u201c": '"', "\u201d": '"'})


def normalise(text: str) -> str:
    """Text compared modulo whitespace and typographic quotes."""
    return re.sub(r"\s+", " ", text.translate(_QUOTES)).strip()


def make_folder(target: Path, multi_dev: Path, with_html: bool) -> set[str]:
    """Lay out one run's sources; the ids of the sources read from web pages."""
    target.mkdir()
    for name in ("peace-talks-sticking-points.md", "issues.toml"):
        shutil.copy(ROOT / "sources" / name, target / name)
    pages = {p.stem: p for p in (multi_dev / "html").glob("*.html")} if with_html else {}
    for md in sorted((multi_dev / "sources").glob("*.md")):
        page = pages.get(md.stem)
        shutil.copy(page or md, target / (page or md).name)
    return set(pages)


def kind_of(question: EvalQuestion, texts: dict[str, str]) -> str:
    """The README's kinds: seed only, one article, several, unanswerable."""
    if question.expect is None:
        return "unanswerable"
    files = {name for name, text in texts.items() if any(e in text for e in question.expect)}
    if files == {"seed"}:
        return "seed only"
    return "one article" if len(files) == 1 else "several articles"


def run(folder: Path, questions: list[EvalQuestion]) -> tuple[Engine, EvalReport]:
    """Index a folder and score the questions on it."""
    engine = Engine(folder, folder.parent / f"{folder.name}-index")
    engine.rebuild()
    return engine, evaluate(ask_json(engine, engine.settings), questions)


def page_sentences(engine: Engine, source_id: str) -> list[str]:
    """The sentences indexed for one source."""
    index = engine.snapshot.index
    record = index.sources[index.source_index(source_id) or 0]
    return [index.sentence(r) for r in range(record.first, record.first + record.count)]


def foreign_sentences(html: Engine, markdown: Engine, page_ids: set[str],
                      multi_dev: Path) -> tuple[list[str], list[str]]:
    """Sentences from a page not in its Markdown twin; and twin sentences the page lost."""
    foreign, lost = [], []
    for source_id in sorted(page_ids):
        twin = normalise((multi_dev / "sources" / f"{source_id}.md").read_text("utf-8"))
        from_page = page_sentences(html, source_id)
        foreign += [f"{source_id}: {s}" for s in from_page if normalise(s) not in twin]
        page = normalise(" ".join(from_page))
        lost += [f"{source_id}: {s}" for s in page_sentences(markdown, source_id)
                 if normalise(s.lstrip("- ")) not in page]
    return foreign, lost


def figures(report: EvalReport, label: str) -> str:
    """One line of figures."""
    n = report.unanswerable
    return (f"{label:>20s}  hit@1 {report.hit1:.3f}  hit@3 {report.hit3:.3f}  "
            f"MRR@5 {report.mrr5:.3f}  declined off-topic {report.abstained_unanswerable}/{n}  "
            f"wrongly declined {report.wrongful_abstentions}")


def main() -> int:
    """Run both corpora and print the comparison."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--multi-dev", type=Path, default=DEFAULT_DIR)
    parser.add_argument("-v", "--verbose", action="store_true")
    args = parser.parse_args()
    questions = load_questions(args.multi_dev / "questions.jsonl")
    texts = {p.stem: p.read_text("utf-8") for p in (args.multi_dev / "sources").glob("*.md")}
    texts["seed"] = (ROOT / "sources/peace-talks-sticking-points.md").read_text("utf-8")
    kinds = {q.question: kind_of(q, texts) for q in questions}
    with tempfile.TemporaryDirectory() as tmp:
        make_folder(Path(tmp) / "markdown", args.multi_dev, with_html=False)
        page_ids = make_folder(Path(tmp) / "html", args.multi_dev, with_html=True)
        md_engine, md_report = run(Path(tmp) / "markdown", questions)
        html_engine, html_report = run(Path(tmp) / "html", questions)
        bad, lost = foreign_sentences(html_engine, md_engine, page_ids, args.multi_dev)
        from_pages = sum(s.count for s in html_engine.snapshot.index.sources
                         if s.source_id in page_ids)
    for kind in ("seed only", "one article", "several articles", "unanswerable", "all"):
        # (hit@k is over the answerable questions; for "unanswerable" only the declines count)
        chosen = tuple(o for o in md_report.outcomes if kind in ("all", kinds[o.question.question]))
        chosen_html = tuple(o for o in html_report.outcomes
                            if kind in ("all", kinds[o.question.question]))
        print(f"{kind} ({len(chosen)} questions)")
        print(figures(EvalReport(outcomes=chosen), "Markdown"))
        print(figures(EvalReport(outcomes=chosen_html), "HTML for 01, 06, 08"))
    differ = [(a.question.question, a.first_hit, b.first_hit)
              for a, b in zip(md_report.outcomes, html_report.outcomes, strict=True)
              if (a.first_hit, a.answered) != (b.first_hit, b.answered)]
    print(f"questions ranked differently: {len(differ)}")
    for question, md_rank, html_rank in differ if args.verbose else ():
        print(f"  {question!r}: Markdown first hit {md_rank}, HTML {html_rank}")
    print(f"sentences indexed from the {len(page_ids)} pages: {from_pages}; "
          f"not in the Markdown twin: {len(bad)}")
    for line in bad:
        print(f"  {line}")
    print(f"sentences of the Markdown twins missing from the pages: {len(lost)}")
    for line in lost:
        print(f"  {line}")
    return 1 if bad or lost or abs(md_report.hit1 - html_report.hit1) > 0.02 else 0


if __name__ == "__main__":
    sys.exit(main())
