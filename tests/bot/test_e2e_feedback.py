"""Votes and stored answers: keyed by passage identity, one vote per member, pruned, upgraded."""

from __future__ import annotations

import sqlite3
import time
from pathlib import Path

from bot.feedback import DB_NAME, SCHEMA_VERSION, Asked, FeedbackStore
from bot.requests import AskRequest, IssueRequest
from index.models import PassageKey

from .conftest import ZAPORIZHZHIA_Q, Running, Starter, custom_ids

EARLIER_SOURCE = "---\ntitle: Aardvarks\n---\n\nAardvarks dig burrows at night. They eat ants.\n"


def rows(path: Path, sql: str) -> list[tuple]:
    """Rows of a query on the feedback database, the connection closed after."""
    db = sqlite3.connect(path)
    try:
        return db.execute(sql).fetchall()
    finally:
        db.close()


async def click(running: Running, message, prefix: str, user: str = "member"):
    """Click the button whose custom id starts with `prefix`; wait for the answer."""
    custom_id = next(c for c in custom_ids(message) if c.startswith(prefix))
    ix = await running.fake.click_button(message, custom_id, user=user)
    await ix.wait_done()
    return ix


async def test_votes_name_passages_by_key_one_per_member_and_survive_a_rebuild(
        running: Running) -> None:
    fake, bot = running.fake, running.bot
    ix = await running.ask("ask", {"question": ZAPORIZHZHIA_Q})
    [message] = [m for m in fake.posted_messages if m.interaction_id == ix.id]
    shown = bot.engine.ask(ZAPORIZHZHIA_Q, top=3).passages
    assert (await click(running, message, "citebot:vote:up:")).content.startswith("Thanks")
    await click(running, message, "citebot:vote:down:", user="admin")
    await click(running, message, "citebot:vote:down:")  # the member changes their mind
    await bot.feedback.flush()
    path = running.config.state_dir / DB_NAME
    stored = rows(path, "SELECT voter, request, passages, vote FROM votes")
    assert sorted(v for *_, v in stored) == [-1, -1], "one vote per member per answer"
    members = {str(fake.users[u].id) for u in ("member", "admin")}
    assert not {voter for voter, *_ in stored} & members, "who voted is not stored"
    keys = [PassageKey.parse(line) for line in stored[0][2].splitlines()]
    assert keys == [p.key for p in shown]
    asked = await bot.feedback.lookup(int(custom_ids(message)[0].rsplit(":", 1)[1]))
    assert asked is not None and asked.request == AskRequest(question=ZAPORIZHZHIA_Q)
    # a source that sorts first renumbers every row; the stored keys still name the same words
    (running.sources / "aardvarks.md").write_text(EARLIER_SOURCE, encoding="utf-8")
    await bot.rebuild()
    again = bot.engine.ask(ZAPORIZHZHIA_Q, top=3).passages
    assert [p.sentence_ids for p in again] != [p.sentence_ids for p in shown]
    assert [p.key for p in again] == keys


async def test_more_works_from_the_database_after_a_restart(start_bot: Starter) -> None:
    running = await start_bot()
    ix = await running.ask("zaporizhzhia", {"side": "russia"})
    [message] = [m for m in running.fake.posted_messages if m.interaction_id == ix.id]
    await running.bot.feedback.flush()
    running.bot.feedback._asked.clear()  # as after a restart: only the database knows it
    more = await click(running, message, "citebot:more:")
    footer = more.messages[-1]["embeds"][0]["footer"]["text"]
    assert footer.startswith("Passages 4–6")
    assert more.messages[-1]["embeds"][0]["title"].startswith("The Zaporizhzhia nuclear plant")


async def test_questions_older_than_keep_days_are_pruned(tmp_path: Path) -> None:
    store = FeedbackStore(tmp_path, keep_days=30)
    now = time.time()
    old = Asked(id=1, request=IssueRequest(key="nato"), shown=3, passages=(),
                created_at=now - 31 * 86400)
    new = Asked(id=2, request=AskRequest(question="q", source="s"), shown=3,
                passages=(PassageKey.of("s", "A sentence."),), created_at=now - 29 * 86400)
    store.remember(old)
    store.remember(new)
    assert await store.flush()
    assert await store.lookup(1) is None
    assert await store.lookup(2) == new
    await store.close()
    assert rows(tmp_path / DB_NAME, "SELECT id FROM asked") == [(2,)]


async def test_the_first_format_is_upgraded_and_its_votes_kept_aside(tmp_path: Path) -> None:
    path = tmp_path / DB_NAME
    db = sqlite3.connect(path)
    db.executescript(
        "CREATE TABLE votes (question TEXT, passage_ids TEXT, vote INTEGER, created_at REAL);"
        "CREATE TABLE asked (id INTEGER PRIMARY KEY, kind TEXT, question TEXT, source TEXT,"
        " shown INTEGER, passage_ids TEXT, created_at REAL);"
        "INSERT INTO votes VALUES ('q', '1,2,3', 1, 1.0);")
    db.commit()
    db.close()
    store = FeedbackStore(tmp_path)
    assert await store.flush()
    await store.close()
    assert rows(path, "SELECT question, vote FROM votes_v1") == [("q", 1)]
    assert rows(path, "SELECT COUNT(*) FROM votes") == [(0,)]
    assert rows(path, "PRAGMA user_version") == [(SCHEMA_VERSION,)]


async def test_answers_leave_nothing_behind_in_the_bot(running: Running) -> None:
    fake, bot = running.fake, running.bot
    for question in ("who runs the plant", "who gets Donetsk", ZAPORIZHZHIA_Q):
        ix = await running.ask("ask", {"question": question})
        await click(running, next(m for m in fake.posted_messages if m.interaction_id == ix.id),
                    "citebot:vote:up:")
        await fake.send_message(question, channel="answers")
    await fake.wait_for_messages("answers", 3)
    store = bot._connection._view_store
    assert not store._views and not store._synced_message_views, "a view kept per answer"
    await bot.feedback.flush()
    assert not bot.feedback._asked and not bot.feedback._votes
