"""The checks of a full blind set (blind13, blind14): article and multi-report questions and
conversations over the 13 reports, with their summary (stdlib only).

Checks article.jsonl (45 questions: 38 answerable with 1-2 expect strings, 7 off-topic),
multi.jsonl (60 questions: 48 answerable with 1-4 expect strings, 12 off-topic) and
conversations.jsonl (12 conversations, 6 over the bundled article alone ("corpus": "seed") and 6
over all 13 reports ("corpus": "multi"), each with the turns its set allows). Shapes and keys;
questions non-empty and unique; every expect string 4-10 words, verbatim in the right corpus (the
article for article.jsonl and seed conversations, one or more of the 13 reports for multi.jsonl and
multi conversations) and exactly once in every file that holds it; every report answering at least
two multi.jsonl questions; follow-up kinds known, `uncovered` exactly when expect is null, at most
one uncovered follow-up a conversation. Prints, for each null question or uncovered turn, which of
its content words its corpus has and lacks. Exits 1 on any error.

Each set's check.py names its folder and how many turns a conversation has, and calls run();
blind12's, which has no conversations and allows up to 3 expect strings an article question,
passes no turns and its own shapes.
"""
from pathlib import Path

from blind_checks import (
    ARTICLE,
    KINDS,
    arguments,
    check_rows,
    check_subs,
    follow_up_shape,
    load_jsonl,
    print_null,
    thirteen_reports,
)

# file name -> (rows, answerable, off-topic, most expect strings a question)
SHAPES = {"article.jsonl": (45, 38, 7, 2), "multi.jsonl": (60, 48, 12, 4)}
CONVERSATIONS = 12
PER_CORPUS = {"seed": 6, "multi": 6}


def check_conversations(
    rows: list[dict], corpora: dict[str, dict[str, str]], errors: list[str], verbose: bool,
    turns_allowed: tuple[int, int],
) -> tuple[list[str], list[tuple[str, str]]]:
    """Check conversations.jsonl (each with `turns_allowed` turns, fewest and most); return
    summary lines and (corpus, meant) of uncovered turns."""
    min_turns, max_turns = turns_allowed
    name = "conversations.jsonl"
    per_corpus = {corpus: 0 for corpus in PER_CORPUS}
    kinds = {kind: 0 for kind in sorted(KINDS)}
    follow_ups = several = 0
    ids: set[str] = set()
    firsts: set[str] = set()
    nulls: list[tuple[str, str]] = []
    if len(rows) != CONVERSATIONS:
        errors.append(f"{name}: expected {CONVERSATIONS} conversations, found {len(rows)}")
    for number, conv in enumerate(rows, 1):
        where = f"{name}:{number}"
        if not isinstance(conv, dict) or set(conv) != {"id", "corpus", "turns"} \
                or conv.get("corpus") not in PER_CORPUS:
            errors.append(f"{where}: keys must be id, corpus ('seed' or 'multi'), turns")
            continue
        if not isinstance(conv["id"], str) or not conv["id"]:
            errors.append(f"{where}: id must be a non-empty string")
        elif conv["id"] in ids:
            errors.append(f"{where}: duplicate id {conv['id']}")
        ids.add(str(conv["id"]))
        where = f"{where} ({conv['id']})"
        texts = corpora[conv["corpus"]]
        per_corpus[conv["corpus"]] += 1
        turns = conv["turns"]
        if not isinstance(turns, list) or not min_turns <= len(turns) <= max_turns:
            errors.append(f"{where}: needs {min_turns}-{max_turns} turns")
            continue
        first = turns[0]
        if not isinstance(first, dict) or set(first) != {"say", "expect"} \
                or not isinstance(first.get("say"), str) or not first["say"].strip() \
                or first.get("expect") is None:
            errors.append(f"{where} turn 1: must have a non-empty say and a non-null expect only")
        else:
            if first["say"].strip().lower() in firsts:
                errors.append(f"{where} turn 1: duplicate opening {first['say']!r}")
            firsts.add(first["say"].strip().lower())
            files = check_subs(f"{where} turn 1", first["expect"], texts, errors)
            several += len(files) >= 2
            if verbose:
                print(f"  {where} turn 1: {sorted(files)}")
        uncovered = 0
        for index, turn in enumerate(turns[1:], 2):
            twhere = f"{where} turn {index}"
            if not follow_up_shape(twhere, turn, kinds, errors):
                continue
            follow_ups += 1
            if turn["expect"] is None:
                uncovered += 1
                nulls.append((conv["corpus"], str(turn["meant"])))
                continue
            files = check_subs(twhere, turn["expect"], texts, errors)
            several += len(files) >= 2
            if verbose:
                print(f"  {twhere} ({turn['kind']}): {sorted(files)}")
        if uncovered > 1:
            errors.append(f"{where}: more than one uncovered follow-up")
    for corpus, want in PER_CORPUS.items():
        if per_corpus[corpus] != want:
            errors.append(f"{name}: expected {want} '{corpus}' conversations, "
                          f"found {per_corpus[corpus]}")
    return [
        f"conversations: {len(rows)} ({', '.join(f'{n} {c}' for c, n in per_corpus.items())}), "
        f"{follow_ups} follow-ups, {kinds['uncovered']} uncovered, "
        f"{several} turns answered in several reports",
        "follow-ups by kind: " + ", ".join(f"{k} {v}" for k, v in kinds.items()),
    ], nulls


def run(here: Path, description: str, turns_allowed: tuple[int, int] | None,
        shapes: dict[str, tuple[int, int, int, int]] | None = None) -> int:
    """Run every check on the set in `here`, print a summary, return the exit status.

    `turns_allowed` None: the set has no conversations.jsonl. `shapes`: SHAPES unless given.
    """
    shapes = shapes or SHAPES
    args = arguments(description, "list the files each answerable question hits" if
                     turns_allowed is None else
                     "list the files each answerable question or turn hits")
    errors: list[str] = []
    texts = thirteen_reports(args.multi_dev, ARTICLE, errors)
    if texts is None:
        return 1
    article = {ARTICLE: texts[ARTICLE]}
    corpora = {"seed": article, "multi": texts}
    lower = {"seed": texts[ARTICLE].lower(), "multi": "\n".join(texts.values()).lower()}

    rows = load_jsonl(here / "article.jsonl", errors)
    article_found, _, _, article_nulls = check_rows("article.jsonl", rows, article, errors,
                                                    args.verbose, shapes["article.jsonl"])
    article_questions = {r["question"].strip().lower() for r in rows
                         if isinstance(r, dict) and isinstance(r.get("question"), str)}
    rows = load_jsonl(here / "multi.jsonl", errors)
    multi_found, per_file, several, multi_nulls = check_rows("multi.jsonl", rows, texts, errors,
                                                             args.verbose, shapes["multi.jsonl"])
    for row in rows:
        if isinstance(row, dict) and isinstance(row.get("question"), str) \
                and row["question"].strip().lower() in article_questions:
            errors.append(f"multi.jsonl: question also in article.jsonl: {row['question']!r}")
    unused = [name for name, n in per_file.items() if n < 2]
    if unused:
        errors.append(f"multi.jsonl: reports answering fewer than 2 questions: {unused}")
    conv_lines: list[str] = []
    conv_nulls: list[tuple[str, str]] = []
    if turns_allowed is not None:
        rows = load_jsonl(here / "conversations.jsonl", errors)
        conv_lines, conv_nulls = check_conversations(rows, corpora, errors, args.verbose,
                                                     turns_allowed)

    print(f"sources: {len(texts)}")
    print(f"article.jsonl: {article_found} answerable, {len(article_nulls)} off-topic")
    print(f"multi.jsonl: {multi_found} answerable ({several} answered in several reports, "
          f"{multi_found - several} in one), {len(multi_nulls)} off-topic")
    print("multi.jsonl questions per report: "
          + ", ".join(f"{name[:2]} {n}" for name, n in per_file.items()))
    for line in conv_lines:
        print(line)
    for text in article_nulls:
        print_null("article off-topic", text, lower["seed"])
    for text in multi_nulls:
        print_null("multi off-topic", text, lower["multi"])
    for corpus, text in conv_nulls:
        print_null(f"uncovered turn ({corpus})", text, lower[corpus])
    for error in errors:
        print("ERROR", error)
    print("OK" if not errors else f"{len(errors)} error(s)")
    return 1 if errors else 0
