"""Floods, cooldowns, people talking to each other, long source ids, and errors after "thinking"."""

from __future__ import annotations

import asyncio

import pytest

from index.errors import UsageError

from .conftest import (
    ROSATOM,
    ZAPORIZHZHIA_Q,
    Running,
    Starter,
    answer_message,
    custom_ids,
    fields_text,
    plain,
)

QUIET = 0.4  # how long to watch for a message that must not come
LONG_ID = "archive/" + "a-very-long-name-for-an-article-about-quokkas-" * 3
QUOKKA = "---\ntitle: Quokkas\n---\n\nThe quokka accord was signed by twelve marsupials.\n"


def reactions(running: Running) -> list[str]:
    return [r.path for r in running.fake.requests
            if r.method == "PUT" and "/reactions/" in r.path]


async def test_a_flood_is_answered_once_with_one_quiet_notice(start_bot: Starter) -> None:
    running = await start_bot(cooldown_seconds=30)
    fake = running.fake
    for i in range(30):
        await fake.send_message(f"{ZAPORIZHZHIA_Q} {i}", channel="answers", user="member")
    await fake.send_message("", channel="general", user="member", mention_bot=True)
    marker = await fake.send_message("who runs the plant?", channel="answers", user="admin")
    await fake.wait_until(lambda: any(
        str((m.payload.get("message_reference") or {}).get("message_id")) == marker["id"]
        for m in fake.channel_messages("answers")), what="the marker's reply")
    await asyncio.sleep(QUIET)
    assert len(fake.channel_messages("answers")) == 2, "one answer for the member, one for admin"
    assert fake.channel_messages("general") == [], "a bare mention does not escape the cooldown"
    assert len(reactions(running)) == 1, "one notice per member per window, as a reaction"


async def test_people_talking_to_each_other_are_left_alone(running: Running) -> None:
    fake = running.fake
    admin = fake.users["admin"].mention
    await fake.send_message(f"{admin} did you read the Zaporizhzhia part?", channel="answers")
    await fake.send_message("who is on call today?", channel="answers",
                            role_mentions=("Helpers",))
    marker = await fake.send_message(ZAPORIZHZHIA_Q, channel="answers", user="owner")
    [reply] = await fake.wait_for_messages("answers")
    assert str(reply.payload["message_reference"]["message_id"]) == marker["id"]
    await asyncio.sleep(QUIET)
    assert len(fake.channel_messages("answers")) == 1
    # mentioning the bot as well makes it a question again
    await fake.send_message(f"{admin} who runs the plant?", channel="answers", mention_bot=True)
    [reply] = await fake.wait_for_messages("answers")
    assert ROSATOM in plain(fields_text(reply))


async def test_more_is_rate_limited_per_member(start_bot: Starter) -> None:
    running = await start_bot(cooldown_seconds=30)
    fake = running.fake
    ix = await running.ask("ask", {"question": ZAPORIZHZHIA_Q})
    message = next(m for m in fake.posted_messages if m.interaction_id == ix.id)
    more = next(c for c in custom_ids(message) if c.startswith("citebot:more:"))
    first = await (await fake.click_button(message, more)).wait_done()
    second = await (await fake.click_button(message, more)).wait_done()
    assert first.messages[-1]["embeds"][0]["footer"]["text"].startswith("Passages 4–6")
    assert second.callback_type == 4 and second.ephemeral and "Please wait" in second.content
    other = await (await fake.click_button(message, more, user="admin")).wait_done()
    assert not other.ephemeral, "the limit is per member"


async def test_a_source_id_over_100_characters_can_be_chosen(running: Running) -> None:
    assert len(LONG_ID) > 100
    path = running.sources / f"{LONG_ID}.md"
    path.parent.mkdir(parents=True)
    path.write_text(QUOKKA, encoding="utf-8")
    await running.bot.rebuild()
    [choice] = await running.fake.autocomplete("ask", {"question": "x", "source": "quokka"},
                                               focused="source")
    assert len(choice["value"]) <= 100 and len(choice["name"]) <= 100
    ix = await running.ask("ask", {"question": "who signed the accord", "source": choice["value"]})
    assert "twelve marsupials" in plain(fields_text(answer_message(ix)))


async def test_more_after_its_source_was_removed_ends_in_a_private_message(
        running: Running) -> None:
    quokka = running.sources / "quokka.md"
    facts = "\n\n".join(f"Quokka number {n} lives on the island of quokkas." for n in range(8))
    quokka.write_text(QUOKKA + "\n" + facts + "\n", encoding="utf-8")
    await running.bot.rebuild()
    ix = await running.ask("ask", {"question": "quokka island", "source": "quokka"})
    message = next(m for m in running.fake.posted_messages if m.interaction_id == ix.id)
    more = next((c for c in custom_ids(message) if c.startswith("citebot:more:")), None)
    assert more is not None, custom_ids(message)
    quokka.unlink()
    await running.bot.rebuild()
    click = await (await running.fake.click_button(message, more)).wait_done()
    assert click.ephemeral and "no source 'quokka'" in click.content
    assert not click.loading


async def test_an_error_after_thinking_replaces_the_thinking(
        running: Running, monkeypatch: pytest.MonkeyPatch) -> None:
    def vanished(*args: object, **kwargs: object) -> None:
        raise UsageError("that source was removed a moment ago")

    monkeypatch.setattr(running.bot.engine, "ask", vanished)
    ix = await running.ask("ask", {"question": ZAPORIZHZHIA_Q})
    assert ix.callback_type == 5 and not ix.loading
    assert ix.content == "that source was removed a moment ago"
    assert len(ix.message_ids) == 1, "the original response was edited, not a second message"
