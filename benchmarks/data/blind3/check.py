#!/usr/bin/env python3
"""Consistency checks for the blind3 question set (standard library only).

    python3 check.py        # run all checks, print a summary
    python3 check.py -v     # also list, per answerable question, the files that answer it

Checks:
  1. the two new reports (sources/*.md here) have front matter (title, url, published,
     publisher) and 700-1,000 words;
  2. questions.jsonl: one JSON object a line with exactly "question" and "expect"; expect is
     null or a list of 1-4 strings of 8-60 characters, each found verbatim in a corpus file
     (the bundled article, the ten multi_dev reports, the two new ones); no duplicate
     question, none copied from multi_dev/questions.jsonl;
  3. for each off-topic (null) question, which of its words the corpus contains;
  4. the distribution: several reports / one report (new or old) / off-topic, with the
     targets of the brief (50 answerable, >= 20 several-report ones that include a new
     report, 12 off-topic).

Paths default to this checkout; override with BLIND3_ARTICLE_DIR and BLIND3_MULTI_DEV.
Exit status is 1 if any check fails.
"""
import json
import os
import re
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
ARTICLE_DIR = Path(os.environ.get("BLIND3_ARTICLE_DIR", HERE.parents[2] / "sources"))
MULTI_DEV = Path(os.environ.get("BLIND3_MULTI_DEV", "/work/shared/eval/multi_dev"))
NEW_SOURCES = HERE / "sources"
QUESTIONS = HERE / "questions.jsonl"

# Words too common to say anything about whether a question is on topic.
STOP = {
    'a', 'about', 'actually', 'after', 'again', 'all', 'also', 'am', 'an', 'and', 'any', 'are',
    'as', 'at', 'be', 'been', 'before', 'being', 'big', 'but', 'by', 'can', 'cant', 'could',
    'did', 'do', 'does', 'dont', 'each', 'even', 'ever', 'exactly', 'far', 'for', 'from', 'get',
    'going', 'got', 'had', 'has', 'have', 'how', 'i', 'if', 'in', 'into', 'is', 'it', 'its',
    'just', 'know', 'like', 'lol', 'long', 'many', 'me', 'more', 'most', 'much', 'my', 'new',
    'next', 'no', 'not', 'now', 'of', 'on', 'once', 'only', 'or', 'other', 'our', 'out', 'over',
    'per', 'really', 'rn', 'said', 'same', 'say', 'see', 'so', 'some', 'still', 'than', 'that',
    'thats', 'the', 'their', 'them', 'then', 'there', 'these', 'they', 'this', 'those', 'thru',
    'to', 'too', 'u', 'up', 'us', 'very', 'was', 'way', 'we', 'were', 'what', 'whats', 'when',
    'whens', 'where', 'which', 'while', 'who', 'whos', 'why', 'will', 'with', 'would', 'ya',
    'year', 'yet', 'you', 'your',
}

failures: list[str] = []


def fail(msg: str) -> None:
    """Record and print one failed check."""
    failures.append(msg)
    print("FAIL:", msg)


def front_matter(path: Path) -> tuple[dict[str, str], str]:
    """Return (metadata dict, body) of a Markdown file with YAML-style front matter."""
    text = path.read_text(encoding="utf-8")
    if not text.startswith("---\n"):
        fail(f"{path.name}: no front matter")
        return {}, text
    _, head, body = text.split("---", 2)
    meta = {}
    for line in head.strip().splitlines():
        key, sep, value = line.partition(":")
        if not sep:
            fail(f"{path.name}: bad front matter line {line!r}")
            continue
        value = value.strip()
        if len(value) >= 2 and value[0] == value[-1] == '"':
            value = value[1:-1]
        meta[key.strip()] = value
    return meta, body


# ---------------------------------------------------------------- 1. corpus
print("== corpus")
corpus = {}  # short name -> text searched for expect substrings
new_names = set()
articles = sorted(p for p in ARTICLE_DIR.glob("*") if p.suffix in (".md", ".txt"))
if not articles:
    fail(f"no bundled article (*.md, *.txt) in {ARTICLE_DIR}")
for path in articles:
    corpus["article:" + path.stem] = path.read_text(encoding="utf-8")
    print(f"  article  {path}")
ten = sorted((MULTI_DEV / "sources").glob("*.md"))
if len(ten) != 10:
    fail(f"expected 10 reports in {MULTI_DEV / 'sources'}, found {len(ten)}")
for path in ten:
    corpus[path.stem] = path.read_text(encoding="utf-8")
print(f"  the ten  {len(ten)} files in {MULTI_DEV / 'sources'}")
new = sorted(NEW_SOURCES.glob("*.md"))
if len(new) != 2:
    fail(f"expected 2 new reports in {NEW_SOURCES}, found {len(new)}")
for path in new:
    meta, body = front_matter(path)
    for key in ("title", "url", "published", "publisher"):
        if not meta.get(key):
            fail(f"{path.name}: front matter lacks {key}")
    if not re.fullmatch(r"\d{4}-\d{2}-\d{2}", meta.get("published", "")):
        fail(f"{path.name}: published is not YYYY-MM-DD")
    words = len(body.split())
    if not 700 <= words <= 1000:
        fail(f"{path.name}: {words} words (want 700-1,000)")
    print(f"  new      {path.name:42s} {words:4d} words  "
          f"{meta.get('publisher')}, {meta.get('published')}")
    corpus[path.stem] = path.read_text(encoding="utf-8")
    new_names.add(path.stem)

# ---------------------------------------------------------------- 2. questions
print("== questions")
dev_questions = set()
dev_file = MULTI_DEV / "questions.jsonl"
if dev_file.exists():
    for line in dev_file.read_text(encoding="utf-8").splitlines():
        if line.strip():
            dev_questions.add(json.loads(line)["question"].strip().lower())
questions = []
seen = set()
for n, line in enumerate(QUESTIONS.read_text(encoding="utf-8").splitlines(), 1):
    if not line.strip():
        fail(f"line {n}: blank line")
        continue
    try:
        obj = json.loads(line)
    except json.JSONDecodeError as exc:
        fail(f"line {n}: {exc}")
        continue
    if not isinstance(obj, dict) or set(obj) != {"question", "expect"}:
        fail(f"line {n}: want exactly the keys question and expect")
        continue
    question, expect = obj["question"], obj["expect"]
    if not isinstance(question, str) or not question.strip():
        fail(f"line {n}: empty question")
        continue
    key = question.strip().lower()
    if key in seen:
        fail(f"line {n}: duplicate question {question!r}")
    if key in dev_questions:
        fail(f"line {n}: copied from multi_dev: {question!r}")
    seen.add(key)
    if expect is not None:
        if not isinstance(expect, list) or not 1 <= len(expect) <= 4 \
                or not all(isinstance(s, str) for s in expect):
            fail(f"line {n}: expect must be null or a list of 1-4 strings")
            continue
        for s in expect:
            if not 8 <= len(s) <= 60:
                fail(f"line {n}: expect {s!r} is {len(s)} characters (want 8-60)")
            if not any(s in text for text in corpus.values()):
                fail(f"line {n}: expect {s!r} not found verbatim in any corpus file")
    questions.append((n, question, expect))
print(f"  {len(questions)} questions read")

# ---------------------------------------------------------------- 3. off-topic
print("== off-topic questions: their words the corpus contains")
all_text = "\n".join(corpus.values()).lower().replace("\u2019", "'")
for n, question, expect in questions:
    if expect is not None:
        continue
    words = [w.split("'")[0] for w in re.findall(r"[a-z0-9][a-z0-9'\-]*", question.lower())]
    content = [w for w in dict.fromkeys(words) if w not in STOP and len(w) > 1]
    found = [w for w in content if re.search(r"\b" + re.escape(w), all_text)]
    absent = [w for w in content if w not in found]
    print(f"  [{n:2d}] {question}\n       in corpus: {', '.join(found) or '-'}"
          f"   absent: {', '.join(absent) or '-'}")

# ---------------------------------------------------------------- 4. distribution
print("== distribution")
kinds = {"several reports": [], "one report (new)": [], "one report (article or ten)": [],
         "off-topic": []}
several_with_new = 0
per_file = {}
for n, question, expect in questions:
    if expect is None:
        kinds["off-topic"].append(n)
        continue
    files = sorted(name for name, text in corpus.items() if any(s in text for s in expect))
    for name in files:
        per_file[name] = per_file.get(name, 0) + 1
    if len(files) > 1:
        kinds["several reports"].append(n)
        several_with_new += bool(new_names & set(files))
    elif set(files) & new_names:
        kinds["one report (new)"].append(n)
    else:
        kinds["one report (article or ten)"].append(n)
    if "-v" in sys.argv:
        print(f"  [{n:2d}] {question}\n       -> {', '.join(files)}")
answerable = len(questions) - len(kinds["off-topic"])
for kind, lines in kinds.items():
    print(f"  {kind:28s} {len(lines):3d}")
print(f"  {'answerable':28s} {answerable:3d}")
print(f"  several reports incl. a new one {several_with_new}")
print("  answers per file: " + ", ".join(f"{k} {v}" for k, v in sorted(per_file.items())))
if answerable != 50:
    fail(f"{answerable} answerable questions (want 50)")
if several_with_new < 20:
    fail(f"{several_with_new} several-report questions that include a new report (want >= 20)")
if len(kinds["off-topic"]) != 12:
    fail(f"{len(kinds['off-topic'])} off-topic questions (want 12)")
for name in sorted(new_names):
    if not per_file.get(name):
        fail(f"{name}: answers no question")

print()
if failures:
    print(f"{len(failures)} check(s) failed")
    sys.exit(1)
print("all checks passed")
