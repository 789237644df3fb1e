"""/reindex (admins only), and re-indexing on its own when the sources folder changes."""

from __future__ import annotations

import logging
import os
import shutil
from pathlib import Path

import pytest

from index.errors import TopicsFileError
from index.topics import MAX_ISSUES, parse_topics

from .conftest import ROSATOM, ZAPORIZHZHIA_Q, Running, Starter, answer_message, fields_text, plain

ARTICLE = "peace-talks-sticking-points.md"
QUOKKA = """---
title: The Quokka Accord
---

# Island matters

The quokka accord was signed by twelve marsupials on Rottnest Island in a solemn ceremony.
"""
QUOKKA_Q = "who signed the quokka accord?"


def puts(running: Running) -> int:
    return sum(r.method == "PUT" and r.path.endswith("/commands") for r in running.fake.requests)


async def answer_text(running: Running, question: str, command: str = "ask") -> str:
    ix = await running.ask(command, {"question": question})
    return plain(fields_text(answer_message(ix)))


async def test_reindex_by_a_member_is_refused(running: Running) -> None:
    ix = await running.ask("reindex", user="member")
    assert ix.callback_type == 4 and ix.ephemeral
    assert "administrators" in ix.content
    assert not (running.sources / "x").exists()


async def test_reindex_by_an_admin_reports_the_added_source(running: Running) -> None:
    (running.sources / "quokka.md").write_text(QUOKKA, encoding="utf-8")
    ix = await running.ask("reindex", user="admin")
    assert ix.responses[0][1]["type"] == 5 and ix.ephemeral
    assert ix.content.startswith("Index rebuilt: 2 sources")
    assert "added: quokka" in ix.content
    assert "twelve marsupials" in await answer_text(running, QUOKKA_Q)
    again = await running.ask("reindex", user="owner")
    assert again.content.startswith("Index rebuilt; nothing changed")


async def test_reindex_allowed_to_a_configured_admin_role(start_bot: Starter) -> None:
    running = await start_bot(
        with_fake=lambda fake: {"admin_roles": [fake.world.role("Helpers").id]})
    ix = await running.ask("reindex", user="member")  # "member" has the Helpers role
    assert ix.content.startswith("Index rebuilt"), ix.content


async def test_changed_source_is_answered_without_restart(start_bot: Starter) -> None:
    running = await start_bot(watch=True)
    await running.wait_watching()
    assert "twelve marsupials" not in await answer_text(running, QUOKKA_Q)
    (running.sources / "quokka.md").write_text(QUOKKA, encoding="utf-8")

    async def new_source_served() -> bool:
        return "twelve marsupials" in await answer_text(running, QUOKKA_Q)

    await running.eventually(new_source_served)
    article = running.sources / ARTICLE
    text = article.read_text(encoding="utf-8")
    article.write_text(text.replace("only one entity - Russia - can run it",
                                    "only the penguin council can run it"), encoding="utf-8")

    async def edit_served() -> bool:
        return "penguin council" in await answer_text(running, "who can run the plant penguin")

    await running.eventually(edit_served)
    assert ROSATOM not in await answer_text(running, ZAPORIZHZHIA_Q)
    assert running.fake.gateway.identifies == 1, "no restart"


async def test_added_binary_source_is_skipped_and_the_rest_keeps_answering(
        start_bot: Starter, caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.INFO)
    running = await start_bot(watch=True)
    await running.wait_watching()
    (running.sources / "broken.md").write_bytes(b"\x00\x01\xff\xfe binary \x00" * 50)

    async def rebuilt() -> bool:
        return any("re-indexed" in r.getMessage() for r in caplog.records)

    await running.eventually(rebuilt)
    assert [s for s, _ in running.bot.engine.snapshot.skipped] == ["broken"]
    assert ROSATOM in await answer_text(running, ZAPORIZHZHIA_Q)
    assert "Territory in the Donbas" in await answer_text(running, "who gets Donetsk",
                                                          command="territory")


async def test_article_turned_binary_keeps_its_old_content(
        start_bot: Starter, caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.INFO)
    running = await start_bot(watch=True)
    await running.wait_watching()
    (running.sources / ARTICLE).write_bytes(b"\x00\x01\xff\xfe binary \x00" * 50)

    async def attempted() -> bool:
        return any("re-index" in r.getMessage() for r in caplog.records
                   if r.name == "bot.watch" and "sources changed" not in r.getMessage())

    await running.eventually(attempted)
    assert ROSATOM in await answer_text(running, ZAPORIZHZHIA_Q)


async def test_issues_toml_change_resyncs_and_broken_file_keeps_old_commands(
        start_bot: Starter, caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.INFO)
    running = await start_bot(watch=True)
    fake = running.fake
    await running.wait_watching()
    assert puts(running) == 1
    topics = running.sources / "issues.toml"
    good = topics.read_text(encoding="utf-8")
    topics.write_text(good + '\n[issues.quokka]\ntitle = "Quokkas"\n'
                      'description = "The marsupial question."\nterms = ["quokka", "accord"]\n',
                      encoding="utf-8")
    (running.sources / "quokka.md").write_text(QUOKKA, encoding="utf-8")
    await fake.wait_until(lambda: any(c["name"] == "quokka" for c in fake.synced_commands),
                          timeout=10, what="/quokka synced")
    assert puts(running) == 2
    synced = {c["name"]: c for c in fake.synced_commands}
    assert synced["quokka"]["description"] == "The marsupial question."
    ix = await running.ask("quokka")
    assert "twelve marsupials" in plain(fields_text(answer_message(ix)))

    caplog.clear()
    topics.write_text("this is [[ not toml", encoding="utf-8")
    # the same write also changes an article: a failed rebuild must not serve it either
    article = running.sources / ARTICLE
    article.write_text(article.read_text(encoding="utf-8").replace(
        "only one entity - Russia - can run it", "only the penguin council can run it"),
        encoding="utf-8")

    async def failed() -> bool:
        return any("re-index failed" in r.getMessage() for r in caplog.records)

    await running.eventually(failed)
    assert "not valid TOML" in next(r.getMessage() for r in caplog.records
                                    if "re-index failed" in r.getMessage())
    assert puts(running) == 2, "commands were re-synced from a broken issues.toml"
    ix = await running.ask("quokka", {"question": "who signed"})
    assert "twelve marsupials" in plain(fields_text(answer_message(ix)))
    assert ROSATOM in await answer_text(running, ZAPORIZHZHIA_Q)
    assert "penguin council" not in await answer_text(running, "who can run the plant penguin")


def test_sources_fixture_is_private(sources_dir: Path) -> None:
    assert (sources_dir / ARTICLE).is_file() and "pytest" in str(sources_dir)


def quokka_release(base: Path, name: str, text: str = QUOKKA) -> Path:
    """A copy of the sources (as a new release would be) with the quokka source added."""
    release = base.with_name(name)
    shutil.copytree(base, release, symlinks=True)
    (release / "quokka.md").write_text(text, encoding="utf-8")
    return release


@pytest.mark.parametrize("how", ["rm -rf and mv", "ln -sfn"])
async def test_watching_goes_on_after_the_sources_folder_is_replaced(
        start_bot: Starter, sources_dir: Path, tmp_path: Path, how: str,
        caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.INFO)
    folder = sources_dir
    if how == "ln -sfn":
        folder = tmp_path / "current"
        folder.symlink_to(sources_dir)
    running = await start_bot(watch=True, sources=str(folder))
    await running.wait_watching()
    if how == "ln -sfn":
        release = quokka_release(sources_dir, "release-2")
        flip = tmp_path / "current.new"
        flip.symlink_to(release)
        os.replace(flip, folder)  # what `ln -sfn` amounts to, atomically
    else:
        release = quokka_release(sources_dir, "sources.new")
        shutil.rmtree(sources_dir)
        release.rename(sources_dir)

    async def quokka_served() -> bool:
        return "twelve marsupials" in await answer_text(running, QUOKKA_Q)

    async def replacement_logged() -> bool:
        return any("was replaced" in r.getMessage() for r in caplog.records
                   if r.name == "bot.watch")

    await running.eventually(quokka_served)
    await running.eventually(replacement_logged)
    # and the new folder is watched: an edit inside it is picked up too
    (folder / "quokka.md").write_text(QUOKKA.replace("twelve", "thirteen"), encoding="utf-8")

    async def edit_served() -> bool:
        return "thirteen marsupials" in await answer_text(running, QUOKKA_Q)

    await running.eventually(edit_served)


def many_issues(count: int) -> str:
    """An issues.toml with `count` sticking points."""
    return "".join(f'[issues.i{n}]\ntitle = "Issue {n}"\ndescription = "Number {n}."\n'
                   f'terms = ["word{n}"]\n' for n in range(count))


async def test_too_many_issues_for_discord_are_refused_and_the_old_ones_serve(
        running: Running, caplog: pytest.LogCaptureFixture) -> None:
    fake, bot = running.fake, running.bot
    builtin = len(bot.tree.get_commands()) - len(bot.engine.snapshot.topics.issues)
    assert builtin + MAX_ISSUES <= 100, "the largest issues.toml allowed must fit Discord"
    with pytest.raises(TopicsFileError, match=f"at most {MAX_ISSUES}"):
        parse_topics(many_issues(MAX_ISSUES + 1))
    before = list(fake.synced_commands or [])
    (running.sources / "issues.toml").write_text(many_issues(120), encoding="utf-8")
    with pytest.raises(TopicsFileError):
        await bot.rebuild()
    assert [i.key for i in bot.engine.snapshot.topics.issues][:1] == ["territory"]
    assert fake.synced_commands == before
    ix = await running.ask("territory", {"question": "who gets Donetsk"})
    assert "Donetsk" in plain(fields_text(answer_message(ix)))
    (running.sources / "issues.toml").write_text(many_issues(MAX_ISSUES), encoding="utf-8")
    await bot.rebuild()
    assert len(fake.synced_commands) == builtin + MAX_ISSUES
