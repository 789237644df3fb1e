"""/add and /remove through the real discord.py client against the fake Discord."""

from __future__ import annotations

import shutil
from collections.abc import Iterator

import pytest

from tests.fakediscord.attachments import AttachmentFile
from tests.webserver import NEWS, PAGES, WebServer, serve

from .conftest import Running, Starter, answer_message, fields_text, plain

IZMAIL_Q = "how much did the repairs at Izmail cost"
NEWS_ID = "2026-01-06-izmail-ferry-terminal-reopens-after-drone-strike-on-danube"


@pytest.fixture
def web() -> Iterator[WebServer]:
    with serve() as server:
        yield server


def sent_no_token(running: Running, requests: list[dict[str, str]]) -> bool:
    """Whether none of these requests carried credentials, the bot's token least of all."""
    return all(running.fake.token not in " ".join(r.values())
               and not {k.lower() for k in r} & {"authorization", "cookie"} for r in requests)


async def answer_text(running: Running, question: str) -> str:
    ix = await running.ask("ask", {"question": question})
    return plain(fields_text(answer_message(ix)))


async def test_add_url_then_answer_then_remove(start_bot: Starter, web: WebServer) -> None:
    running = await start_bot(fetch_allow_private=True)
    assert "38 million hryvnias" not in await answer_text(running, IZMAIL_Q)
    ix = await running.ask("add", {"url": web.url(f"/pages/{NEWS}")}, user="admin")
    assert ix.ephemeral
    message = answer_message(ix)
    embed = message["embeds"][0]
    assert embed["title"] == "Izmail ferry terminal reopens after drone strike on Danube port"
    assert embed["url"] == "https://news.example.org/2026/01/06/izmail-ferry-terminal-reopens"
    shown = plain(fields_text(message))
    for part in ("Danube Courier", "2026-01-06", "9 paragraphs, 10 sentences", NEWS_ID,
                 "The ferry terminal at Izmail reopened on Tuesday"):
        assert part in shown
    assert (running.sources / f"{NEWS_ID}.md").is_file()
    assert web.requests and sent_no_token(running, web.requests)
    # Searchable right after, cited with outlet and date, the title linking to the article.
    ix = await running.ask("ask", {"question": IZMAIL_Q})
    first = answer_message(ix)["embeds"][0]["fields"][0]["value"]
    assert "38 million hryvnias" in plain(first)
    assert "[Izmail ferry terminal reopens after drone strike on Danube port](https://news." \
           "example.org/2026/01/06/izmail-ferry-terminal-reopens) — Danube Courier, 2026-01-06" \
           in first
    choices = await running.fake.autocomplete("remove", {}, focused="source", user="admin")
    assert NEWS_ID in [c["value"] for c in choices]
    ix = await running.ask("remove", {"source": NEWS_ID}, user="admin")
    assert ix.ephemeral and f"Removed `{NEWS_ID}`" in plain(ix.content).replace("\\", "")
    assert not (running.sources / f"{NEWS_ID}.md").exists()
    assert "38 million hryvnias" not in await answer_text(running, IZMAIL_Q)


async def test_add_attachment_is_read_without_the_token(start_bot: Starter) -> None:
    running = await start_bot()
    page = AttachmentFile("saved-page.html", (PAGES / "og-only.html").read_bytes())
    ix = await running.ask("add", {"file": page}, user="admin")
    shown = plain(fields_text(answer_message(ix)))
    assert "Tisza bridge at Chop closed to heavy lorries for repairs" in shown
    assert "Carpathian Post" in shown
    downloads = running.fake.world.attachments.downloads
    assert len(downloads) == 1 and sent_no_token(running, downloads)
    assert "Luzhanka" in await answer_text(running, "which crossing must hauliers use instead")


async def test_add_and_remove_are_refused_to_members(running: Running, web: WebServer) -> None:
    before = sorted(p.name for p in running.sources.iterdir())
    for command, options in (("add", {"url": web.url(f"/pages/{NEWS}")}),
                             ("remove", {"source": "peace-talks-sticking-points"})):
        ix = await running.ask(command, options, user="member")
        assert ix.callback_type == 4 and ix.ephemeral
        assert "administrators" in ix.content
    assert sorted(p.name for p in running.sources.iterdir()) == before
    assert not web.requests  # the member's link was never fetched


async def test_add_refuses_private_addresses_by_default(running: Running,
                                                        web: WebServer) -> None:
    ix = await running.ask("add", {"url": web.url(f"/pages/{NEWS}")}, user="admin")
    assert ix.ephemeral and "127.0.0.1 is a loopback address" in ix.content
    assert not web.requests


async def test_add_needs_exactly_one_of_url_and_file(running: Running) -> None:
    ix = await running.ask("add", {}, user="admin")
    assert ix.ephemeral and "exactly one" in ix.content


async def test_add_page_without_article_says_why(start_bot: Starter, web: WebServer) -> None:
    running = await start_bot(fetch_allow_private=True)
    before = sorted(p.name for p in running.sources.iterdir())
    ix = await running.ask("add", {"url": web.url("/empty")}, user="admin")
    assert ix.ephemeral and "no article text: the page is a login" in ix.content
    assert sorted(p.name for p in running.sources.iterdir()) == before


async def test_add_after_the_sources_folder_vanished_says_so_and_answers_go_on(
        start_bot: Starter) -> None:
    running = await start_bot()
    shutil.rmtree(running.sources)  # e.g. a deploy replacing the folder, or a mistaken rm
    page = AttachmentFile("saved-page.html", (PAGES / "og-only.html").read_bytes())
    ix = await running.ask("add", {"file": page}, user="admin")
    assert ix.ephemeral
    said = plain(ix.content)
    assert "Sorry, something went wrong" not in said
    assert f"cannot write the new source in {running.sources}: No such file or directory; " \
           "nothing was added" in said
    assert not running.sources.exists()
    assert "Rosatom" in await answer_text(running, "who runs the Zaporizhzhia nuclear plant")
