"""Gateway drops and resumes, and the one app-command error handler."""

from __future__ import annotations

import logging

import pytest

from .conftest import ROSATOM, ZAPORIZHZHIA_Q, Running, answer_message, fields_text, plain


@pytest.mark.parametrize("mode", ["abrupt", "reconnect_op7", "close_4000"])
async def test_bot_resumes_after_the_gateway_drops_and_answers(running: Running,
                                                               mode: str) -> None:
    fake = running.fake
    assert fake.resumes == 0
    await fake.drop_connection(mode)
    assert fake.resumes == 1
    assert fake.gateway.identifies == 1, "resumed, not re-identified"
    ix = await running.ask("ask", {"question": ZAPORIZHZHIA_Q})
    assert ROSATOM in plain(fields_text(answer_message(ix)))
    question = await fake.send_message("who runs the plant?", channel="answers")
    [reply] = await fake.wait_for_messages("answers")
    assert str(reply.payload["message_reference"]["message_id"]) == question["id"]


async def test_events_sent_while_away_are_answered_after_the_resume(running: Running) -> None:
    fake = running.fake
    await fake.drop_connection("abrupt", wait=False)
    question = await fake.send_message(ZAPORIZHZHIA_Q, channel="answers")
    await fake.wait_for_resume(1)
    [reply] = await fake.wait_for_messages("answers")
    assert str(reply.payload["message_reference"]["message_id"]) == question["id"]
    await fake.drop_connection("reconnect_op7")
    assert fake.resumes == 2
    ix = await running.ask("territory", {"side": "ukraine"})
    assert answer_message(ix)["embeds"][0]["fields"]


async def test_expected_error_becomes_a_short_ephemeral_message(running: Running) -> None:
    ix = await running.ask("ask", {"question": ZAPORIZHZHIA_Q, "source": "no-such-source"})
    assert ix.callback_type == 4 and ix.ephemeral, "checked before deferring: private"
    assert "no-such-source" in ix.content and len(ix.content) < 2000
    assert "Traceback" not in ix.content


async def test_a_bug_is_logged_with_its_trace_and_the_user_told_briefly(
        running: Running, monkeypatch: pytest.MonkeyPatch,
        caplog: pytest.LogCaptureFixture) -> None:
    def broken(*args: object, **kwargs: object) -> None:
        raise RuntimeError("kaboom in the engine")

    monkeypatch.setattr(running.bot.engine, "ask", broken)
    with caplog.at_level(logging.ERROR, logger="bot"):
        ix = await running.ask("ask", {"question": ZAPORIZHZHIA_Q})
    assert ix.content.startswith("Sorry, something went wrong")
    assert "kaboom" not in ix.content
    [record] = [r for r in caplog.records if r.name == "bot.answering"]
    assert record.exc_info is not None and "kaboom" in str(record.exc_info[1])
    monkeypatch.undo()
    ix = await running.ask("ask", {"question": ZAPORIZHZHIA_Q})
    assert ROSATOM in plain(fields_text(answer_message(ix)))
