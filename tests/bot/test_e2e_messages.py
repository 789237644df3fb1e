"""Mentions and answer channels, what is ignored, autocomplete, More, feedback, cooldown, limits."""

from __future__ import annotations

import asyncio
import logging

import pytest

from tests.fakediscord import PostedMessage

from .conftest import (
    ROSATOM,
    UNCOVERED_Q,
    ZAPORIZHZHIA_Q,
    Running,
    Starter,
    answer_message,
    custom_ids,
    fields_text,
    passages,
    plain,
)

QUIET = 0.4  # how long to watch for a reply that must not come


def assert_reply_to(reply: PostedMessage, question: dict) -> None:
    """The bot replied to this message, without pinging its author."""
    assert reply.kind == "channel"
    ref = reply.payload.get("message_reference") or {}
    assert str(ref.get("message_id")) == str(question["id"])
    assert reply["allowed_mentions"]["parse"] == []
    assert reply["allowed_mentions"].get("replied_user") is False
    assert reply["mentions"] == [] and reply["mention_roles"] == []
    assert not reply["mention_everyone"]


async def test_answer_channel_message_gets_a_reply(running: Running) -> None:
    fake = running.fake
    question = await fake.send_message("who runs the Zaporizhzhia nuclear plant?",
                                       channel="answers")
    [reply] = await fake.wait_for_messages("answers")
    assert_reply_to(reply, question)
    assert reply.embeds[0]["title"] == "Q: who runs the Zaporizhzhia nuclear plant?"
    assert ROSATOM in plain(fields_text(reply))
    assert any(c.startswith("citebot:vote:up:") for c in custom_ids(reply))


async def test_mention_elsewhere_gets_a_reply_without_the_mention(running: Running) -> None:
    fake = running.fake
    question = await fake.send_message(ZAPORIZHZHIA_Q, channel="general", mention_bot=True)
    [reply] = await fake.wait_for_messages("general")
    assert_reply_to(reply, question)
    assert reply.embeds[0]["title"] == f"Q: {ZAPORIZHZHIA_Q}"  # the mention was stripped
    assert ROSATOM in plain(fields_text(reply))


async def test_bare_mention_gets_a_hint(running: Running) -> None:
    fake = running.fake
    question = await fake.send_message("", channel="general", mention_bot=True)
    [reply] = await fake.wait_for_messages("general")
    assert_reply_to(reply, question)
    assert "Ask me a question" in reply.content


async def test_other_channels_and_bots_are_ignored(running: Running) -> None:
    fake = running.fake
    await fake.send_message(ZAPORIZHZHIA_Q, channel="general")  # no mention
    await fake.send_message(ZAPORIZHZHIA_Q, channel="answers", user="otherbot")
    await fake.send_message(ZAPORIZHZHIA_Q, channel="general", user="otherbot", mention_bot=True)
    # a question that is answered, sent after them: its reply proves the bot has seen the others
    marker = await fake.send_message("who runs the plant?", channel="answers")
    [reply] = await fake.wait_for_messages("answers")
    assert_reply_to(reply, marker)
    await asyncio.sleep(QUIET)
    assert fake.channel_messages("general") == []
    assert len(fake.channel_messages("answers")) == 1
    assert [r for r in fake.requests if r.method == "POST" and "/messages" in r.path
            and r.path.startswith(f"/channels/{fake.channel_ids['general']}")] == []


async def test_own_messages_are_not_answered(running: Running) -> None:
    fake = running.fake
    await fake.send_message("who runs the plant?", channel="answers")
    await fake.wait_for_messages("answers")  # echoed back to the bot by the fake, as Discord does
    await asyncio.sleep(QUIET)
    assert len(fake.channel_messages("answers")) == 1


async def test_autocomplete_offers_indexed_sources(running: Running) -> None:
    fake = running.fake
    ids = {s.source_id for s in running.bot.engine.sources()}
    assert ids == {"peace-talks-sticking-points"}
    choices = await fake.autocomplete("ask", {"question": "x", "source": "peace"},
                                      focused="source")
    assert [c["value"] for c in choices] == ["peace-talks-sticking-points"]
    assert "Sticking points" in choices[0]["name"]
    assert await fake.autocomplete("ask", {"question": "x", "source": "zzz"},
                                   focused="source") == []
    everything = await fake.autocomplete("ask", {"question": "x", "source": ""}, focused="source")
    assert {c["value"] for c in everything} == ids


async def test_ask_limited_to_a_source(running: Running) -> None:
    ix = await running.ask("ask", {"question": ZAPORIZHZHIA_Q,
                                   "source": "peace-talks-sticking-points"})
    assert ROSATOM in plain(fields_text(answer_message(ix)))


async def test_more_button_shows_the_next_passages(running: Running) -> None:
    fake = running.fake
    ix = await running.ask("ask", {"question": ZAPORIZHZHIA_Q})
    [message] = [m for m in fake.posted_messages if m.interaction_id == ix.id]
    first = passages(message)
    [more] = [c for c in custom_ids(message) if c.startswith("citebot:more:")]
    click = await fake.click_button(message, more)
    await click.wait_done()
    assert click.responses[0] == ("callback", {"type": 5})
    shown = answer_message(click)
    footer = shown["embeds"][0]["footer"]["text"]
    assert footer.startswith("Passages 4–6")
    later = passages(shown)
    assert len(later) == 3 and not set(later) & set(first)
    assert all("¶" in v for v in later)


async def test_cooldown_gives_a_polite_ephemeral_notice(start_bot: Starter) -> None:
    running = await start_bot(cooldown_seconds=30)
    first = await running.ask("ask", {"question": ZAPORIZHZHIA_Q})
    assert not first.ephemeral and ROSATOM in plain(fields_text(answer_message(first)))
    second = await running.ask("ask", {"question": "who runs the plant"})
    assert second.callback_type == 4 and second.ephemeral
    assert "Please wait" in second.content and "thanks" in second.content.lower()
    other = await running.ask("ask", {"question": "who runs the plant"}, user="admin")
    assert not other.ephemeral, "the cooldown is per user"


async def test_a_6000_character_question_is_cut_with_a_notice(running: Running) -> None:
    fake = running.fake
    question = ("who runs the Zaporizhzhia nuclear plant " * 200)[:6000]
    assert len(question) == 6000
    ix = await running.ask("ask", {"question": question})
    message = answer_message(ix)
    assert "only its first 500 characters" in message["content"]
    embed = message["embeds"][0]
    assert len(embed["title"]) <= 256 and embed["title"].endswith("…")
    assert ROSATOM in plain(fields_text(message))
    # and in an answer channel (a message may hold 4,000 characters with Nitro)
    sent = await fake.send_message(question[:4000], channel="answers")
    [reply] = await fake.wait_for_messages("answers")
    assert_reply_to(reply, sent)
    assert "only its first 500 characters" in reply.content
    assert fake.failures == []


async def test_an_emoji_only_question_gets_a_sensible_reply(running: Running) -> None:
    fake = running.fake
    ix = await running.ask("ask", {"question": "🤔🇺🇦❓🙏"})
    text = fields_text(answer_message(ix))
    assert "No answer in the sources" in text or "question" in text.lower()
    assert len(text) < 6000
    sent = await fake.send_message("🤔🇺🇦❓🙏", channel="answers")
    [reply] = await fake.wait_for_messages("answers")
    assert_reply_to(reply, sent)
    assert fields_text(reply).strip()
    assert fake.failures == []


async def test_uncovered_question_in_a_channel_abstains(running: Running) -> None:
    fake = running.fake
    await fake.send_message(UNCOVERED_Q, channel="answers")
    [reply] = await fake.wait_for_messages("answers")
    assert reply.embeds[0]["title"] == "No answer in the sources"
    assert "/issues" in reply.embeds[0]["description"]


async def test_reply_in_thread_when_configured(start_bot: Starter) -> None:
    running = await start_bot(reply_in_thread=True)
    fake = running.fake
    await fake.send_message(ZAPORIZHZHIA_Q, channel="answers")
    [answer] = await fake.wait_for_messages(ZAPORIZHZHIA_Q)  # the thread is named by the question
    assert ROSATOM in plain(fields_text(answer))
    assert answer["allowed_mentions"]["parse"] == []
    assert fake.channel_messages("answers") == []


async def test_reply_in_thread_without_thread_permission_replies_in_the_channel(
        start_bot: Starter) -> None:
    running = await start_bot(reply_in_thread=True)
    fake = running.fake
    # The channel denies the bot Create Public Threads (a channel permission overwrite).
    fake.inject_error("POST", r"/channels/\d+/messages/\d+/threads", 403)
    question = await fake.send_message(ZAPORIZHZHIA_Q, channel="answers")
    [answer] = await fake.wait_for_messages("answers")
    assert ROSATOM in plain(fields_text(answer))
    assert answer["message_reference"]["message_id"] == question["id"]
    assert answer["allowed_mentions"]["parse"] == []


async def test_a_channel_the_bot_may_not_post_in_costs_one_log_line_not_a_traceback(
        start_bot: Starter, caplog: pytest.LogCaptureFixture) -> None:
    # Members may mention the bot where it can read but not write (an announcements channel).
    running = await start_bot()
    fake = running.fake
    fake.inject_error("POST", r"/channels/\d+/messages$", 403, count=2)
    with caplog.at_level(logging.INFO):
        await fake.send_message(ZAPORIZHZHIA_Q, mention_bot=True)
        await fake.send_message("", mention_bot=True)  # a bare mention: the hint
        await fake.wait_until(lambda: sum(r.status == 403 for r in fake.requests) == 2,
                              what="both replies refused")
        await asyncio.sleep(0.2)  # let the handlers finish
    assert not [r for r in caplog.records if r.levelno >= logging.ERROR], caplog.text
    refused = [r for r in caplog.records if "cannot post in channel" in r.getMessage()]
    assert len(refused) == 2 and all(r.exc_info is None for r in refused)
    await fake.send_message(ZAPORIZHZHIA_Q, mention_bot=True)  # allowed again: answered
    [answer] = await fake.wait_for_messages("general")
    assert ROSATOM in plain(fields_text(answer))
