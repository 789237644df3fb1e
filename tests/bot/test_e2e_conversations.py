"""Follow-ups on Discord through the real client: threads, reply chains, /ask in a thread, state."""

from __future__ import annotations

import asyncio
import time
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from bot.answering import READING_MAX
from bot.app import make_intents
from bot.cli import main
from bot.config import parse_config
from tests.fakediscord import PostedMessage

from .conftest import (
    Running,
    Starter,
    answer_message,
    custom_ids,
    fields_text,
    passages,
    plain,
)
from .test_e2e_run import write_config

REACTORS = "what state are the zaporizhzhia reactors in"
LUHANSK = "how much of luhansk has russia taken"
FOLLOW = "for how long now?"
REACTORS_READING = "Reading this as: for how long now — state zaporizhzhia reactors"
THREE_YEARS = "for more than three years"
QUIET = 0.4


def follow_id(message: PostedMessage | dict) -> str:
    """The Follow up button's custom id on an answer."""
    [found] = [c for c in custom_ids(message) if c.startswith("citebot:follow:")]
    return found


async def open_thread(running: Running, question: str, user: str = "member") -> int:
    """Ask by /ask, click Follow up, and return the new thread's id (after its hint message)."""
    fake = running.fake
    ix = await running.ask("ask", {"question": question}, user=user)
    [answer] = [m for m in fake.posted_messages if m.interaction_id == ix.id]
    click = await fake.click_button(answer, follow_id(answer), user=user)
    await click.wait_done()
    [hint] = await fake.wait_for_messages(question[:100])  # the thread is named by the question
    assert "no mention needed" in hint.content
    thread = fake.world.channel(question[:100])
    assert thread.is_thread and thread.id == answer.id  # a thread on the answer itself
    return thread.id


async def remembered(running: Running, message: PostedMessage) -> None:
    """Wait until the bot has taken in its own answer (Discord acknowledges a post first)."""
    async def known() -> bool:
        store = running.bot.conversations
        return await store.aconversation_of_answer(message.id) is not None
    await running.eventually(known, timeout=5.0, every=0.02)


def assert_safe(message: PostedMessage) -> None:
    """Mentions disabled and the reading line within Discord's limits."""
    assert message["allowed_mentions"]["parse"] == []
    assert message["mentions"] == [] and not message["mention_everyone"]
    assert len(message.content) <= 2000


async def test_follow_up_thread_answers_messages_without_a_mention(running: Running) -> None:
    fake = running.fake
    thread = await open_thread(running, REACTORS)
    await fake.send_message(FOLLOW, channel=thread)
    [reply] = await fake.wait_for_messages(thread)
    assert_safe(reply)
    assert reply.content.startswith(REACTORS_READING)
    assert THREE_YEARS in plain(fields_text(reply))
    assert not any(c.startswith("citebot:follow:") for c in custom_ids(reply))  # in it already


async def test_reply_to_an_answer_continues_its_conversation(running: Running) -> None:
    fake = running.fake
    await fake.send_message(REACTORS, channel="general", mention_bot=True)
    [answer] = await fake.wait_for_messages("general")
    await remembered(running, answer)
    question = await fake.send_message(FOLLOW, channel="general", reply_to=answer)
    [reply] = await fake.wait_for_messages("general")
    assert str(reply.payload["message_reference"]["message_id"]) == str(question["id"])
    assert_safe(reply)
    assert reply.content.startswith(REACTORS_READING)
    assert THREE_YEARS in plain(fields_text(reply))
    # and a reply to that answer continues the same chain
    await remembered(running, reply)
    await fake.send_message("so how is it kept safe?", channel="general", reply_to=reply)
    [third] = await fake.wait_for_messages("general")
    assert "state zaporizhzhia reactors" in third.content
    assert "external power supplied by Ukraine" in plain(fields_text(third))


async def test_a_thread_the_bot_answered_in_is_a_conversation(start_bot: Starter) -> None:
    running = await start_bot(reply_in_thread=True)
    fake = running.fake
    await fake.send_message(REACTORS, channel="answers")
    [answer] = await fake.wait_for_messages(REACTORS)  # a thread named by the question
    await remembered(running, answer)
    await fake.send_message(FOLLOW, channel=answer.channel_id)  # no mention
    [reply] = await fake.wait_for_messages(answer.channel_id)
    assert reply.content.startswith(REACTORS_READING)
    assert THREE_YEARS in plain(fields_text(reply))


async def test_slash_ask_inside_the_thread_is_a_turn(running: Running) -> None:
    thread = await open_thread(running, REACTORS)
    ix = await running.ask("ask", {"question": FOLLOW}, channel=thread)
    message = answer_message(ix)
    assert message["content"].startswith(REACTORS_READING)
    assert THREE_YEARS in plain(fields_text(message))
    alone = answer_message(await running.ask("ask", {"question": FOLLOW}))
    assert "Reading this as" not in (alone.get("content") or "")  # outside: it stands alone


async def test_an_issue_command_in_the_thread_sets_topic_and_party(running: Running) -> None:
    fake = running.fake
    thread = await open_thread(running, LUHANSK)
    await running.ask("zaporizhzhia", {"side": "russia"}, channel=thread)
    await fake.send_message("and why?", channel=thread)
    [reply] = await fake.wait_for_messages(thread)
    assert reply.content == "Reading this as: and why — The Zaporizhzhia nuclear plant Russia"
    first = plain(passages(reply)[0])
    assert "plant" in first and "Luhansk" not in first  # the issue's topic, not the old one


async def test_conversations_survive_a_restart(start_bot: Starter) -> None:
    running = await start_bot()
    thread = await open_thread(running, REACTORS)
    await running.bot.close()
    again = await start_bot()
    assert again.bot is not running.bot
    await again.fake.send_message(FOLLOW, channel=thread)
    [reply] = await again.fake.wait_for_messages(thread)
    assert reply.content.startswith(REACTORS_READING)


async def test_two_threads_never_mix(running: Running) -> None:
    fake = running.fake
    reactors = await open_thread(running, REACTORS)
    luhansk = await open_thread(running, LUHANSK)
    await fake.send_message("and the other half of the donbas?", channel=luhansk)
    await fake.send_message(FOLLOW, channel=reactors)
    [in_luhansk] = await fake.wait_for_messages(luhansk)
    [in_reactors] = await fake.wait_for_messages(reactors)
    assert in_reactors.content.startswith(REACTORS_READING)
    assert "luhansk russia taken" in in_luhansk.content
    assert "zaporizhzhia" not in in_luhansk.content.lower()
    assert "75% of Donetsk" in plain(fields_text(in_luhansk))


async def test_an_idle_conversation_expires(running: Running) -> None:
    fake = running.fake
    thread = await open_thread(running, REACTORS)
    later = time.time() + running.config.follow_up_minutes * 60 + 5
    running.bot.conversations._clock = lambda: later
    await fake.send_message(FOLLOW, channel=thread)  # no mention: no longer a turn
    await asyncio.sleep(QUIET)
    assert fake.channel_messages(thread)[-1].content.startswith("Ask your follow-up")
    await fake.send_message(FOLLOW, channel=thread, mention_bot=True)  # a fresh question
    [reply] = await fake.wait_for_messages(thread)
    assert "Reading this as" not in reply.content


async def test_a_second_user_joins_the_same_conversation(running: Running) -> None:
    fake = running.fake
    thread = await open_thread(running, REACTORS)
    await fake.send_message(FOLLOW, channel=thread, user="member")
    await fake.wait_for_messages(thread)
    await fake.send_message("what would it take to restart them?", channel=thread, user="admin")
    [reply] = await fake.wait_for_messages(thread)
    assert "state zaporizhzhia reactors" in reply.content
    assert "needs substantial investment" in plain(fields_text(reply))


async def test_a_long_follow_up_reading_fits_discords_limits(running: Running) -> None:
    fake = running.fake
    thread = await open_thread(running, REACTORS)
    long_turn = "and what about " + " ".join(["the reactor cooling water supply"] * 14)
    await fake.send_message(long_turn, channel=thread)
    [reply] = await fake.wait_for_messages(thread)
    assert_safe(reply)
    reading = reply.content.splitlines()[0]
    assert reading.startswith("Reading this as: and what about") and reading.endswith("…")
    assert len(reading) <= READING_MAX


def test_message_content_is_asked_for_when_follow_ups_are_on(tmp_path: Path) -> None:
    on = parse_config({}, tmp_path)
    off = parse_config({"follow_up_minutes": 0}, tmp_path)
    assert on.follow_up_minutes == 60 and make_intents(on).message_content
    assert not make_intents(off).message_content


async def test_a_refused_message_content_intent_is_one_clear_line(
        make_fake_discord: Any, sources_dir: Path, tmp_path: Path,
        monkeypatch: pytest.MonkeyPatch) -> None:
    fake = await make_fake_discord(allow_message_content=False)
    monkeypatch.setenv("DISCORD_TOKEN", fake.token)
    config = write_config(tmp_path / "citebot.toml", sources_dir, tmp_path,
                          f'api_base = "{fake.api_base}"\ngateway_url = "{fake.gateway_url}"\n')
    result = await asyncio.to_thread(CliRunner().invoke, main, ["run", "--config", str(config)])
    assert result.exit_code == 1, result.output
    [line] = [x for x in result.output.splitlines() if x.startswith("Error:")]  # besides logs
    assert line.startswith("Error: the Message Content intent is not enabled")
    assert "follow_up_minutes = 0" in line
    assert 4014 in fake.gateway.close_codes


async def test_follow_up_button_after_follow_ups_were_turned_off_says_so(
        start_bot: Starter) -> None:
    running = await start_bot()
    ix = await running.ask("ask", {"question": REACTORS})
    [answer] = [m for m in running.fake.posted_messages if m.interaction_id == ix.id]
    await running.bot.close()
    again = await start_bot(follow_up_minutes=0)  # the operator turned follow-ups off
    click = await again.fake.click_button(answer, follow_id(answer))
    await click.wait_done()
    assert click.ephemeral and "Follow-up questions are turned off" in click.content
    # No thread promising follow-ups that would then go unanswered.
    assert not any(c.is_thread for c in again.fake.world.channels.values())


async def test_follow_up_clicked_twice_points_to_the_thread_and_keeps_one_turn(
        running: Running) -> None:
    fake = running.fake
    thread = await open_thread(running, REACTORS)
    [answer] = [m for m in fake.posted_messages if m.id == thread]  # the thread is on the answer
    again = await fake.click_button(answer, follow_id(answer), user="admin")  # someone else
    await again.wait_done()
    pointer = again.messages[-1]
    assert int(pointer.get("flags") or 0) & 64 and f"<#{thread}>" in pointer["content"]
    await asyncio.sleep(QUIET)
    assert len(fake.channel_messages(thread)) == 1  # one hint, not two
    history = await running.bot.conversations.ahistory(f"thread:{thread}")
    assert [t.question for t in history] == [REACTORS]
