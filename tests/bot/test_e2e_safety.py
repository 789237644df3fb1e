"""No message the bot sends can ping anyone, whatever the sources or the question contain."""

from __future__ import annotations

from pathlib import Path

from tests.fakediscord import FakeDiscord

from .conftest import ROSATOM, ZAPORIZHZHIA_Q, Starter, custom_ids, fields_text, plain

LOUD_QUESTION = "what did the walrus herald announce?"


def loud_source(fake: FakeDiscord) -> str:
    role = fake.world.role("Helpers").id
    member = fake.users["member"].id
    return (f"---\ntitle: The Walrus Herald @everyone\n---\n\n# Loud news <@&{role}>\n\n"
            f"The walrus herald announced @everyone and @here and <@&{role}> and <@{member}> "
            "must gather at the harbour at dawn.\n")


def assert_pings_no_one(fake: FakeDiscord) -> None:
    """Every message the bot created or edited disables every mention, and pings no one."""
    assert fake.posted_messages
    for pm in fake.posted_messages:
        allowed = pm["allowed_mentions"]
        assert allowed is not None, f"{pm.kind} without allowed_mentions: {pm.payload}"
        assert allowed.get("parse") == [], allowed
        assert not allowed.get("users") and not allowed.get("roles"), allowed
        if pm.payload.get("message_reference"):
            assert allowed.get("replied_user") is False, allowed
        assert pm["mentions"] == [] and pm["mention_roles"] == [], pm.message
        assert not pm["mention_everyone"]
        content = pm.content
        assert "@everyone" not in content and "@here" not in content


async def test_every_message_the_bot_sends_disables_mentions(start_bot: Starter,
                                                             sources_dir: Path) -> None:
    running = await start_bot(cooldown_seconds=30)
    fake = running.fake
    (sources_dir / "walrus.md").write_text(loud_source(fake), encoding="utf-8")
    # every kind of message the bot sends
    ix = await running.ask("reindex", user="admin")  # ephemeral follow-up
    assert "added: walrus" in ix.content
    ix = await running.ask("ask", {"question": LOUD_QUESTION})  # answer with buttons
    message = next(m for m in fake.posted_messages if m.interaction_id == ix.id)
    more = [c for c in custom_ids(message) if "more" in c]
    if more:
        await (await fake.click_button(message, more[0], user="admin")).wait_done()
    await (await fake.click_button(message, custom_ids(message)[-1])).wait_done()  # vote
    await running.ask("ask", {"question": "again?"})  # cooldown notice
    await running.ask("issues", user="admin")
    await running.ask("sources", user="admin")
    await running.ask("reindex", user="member")  # refusal
    await running.ask("ask", {"question": "x", "source": "nope"}, user="owner")  # error
    await fake.send_message(LOUD_QUESTION, channel="answers", user="admin")  # reply
    await fake.wait_for_messages("answers")
    await fake.send_message("again", channel="answers", user="admin")  # cooldown: a reaction
    await fake.wait_until(lambda: any("/reactions/" in r.path for r in fake.requests))
    await fake.send_message("", channel="general", mention_bot=True, user="owner")  # hint
    await fake.wait_for_messages("general")
    await running.ask("zaporizhzhia", {"side": "russia"}, user="owner")
    kinds = {pm.kind for pm in fake.posted_messages}
    assert len(fake.posted_messages) >= 10 and "channel" in kinds, kinds
    assert_pings_no_one(fake)


async def test_a_source_with_everyone_and_role_mentions_pings_no_one(
        start_bot: Starter, sources_dir: Path) -> None:
    running = await start_bot()
    fake = running.fake
    (sources_dir / "walrus.md").write_text(loud_source(fake), encoding="utf-8")
    await running.ask("reindex", user="admin")
    ix = await running.ask("ask", {"question": LOUD_QUESTION})
    text = fields_text(ix.messages[-1])
    assert "harbour at dawn" in text
    assert "@everyone" not in text.replace("@\u200beveryone", "")  # escaped, shown harmlessly
    role = fake.world.role("Helpers").id
    assert f"<@&{role}>" not in text
    await fake.send_message(LOUD_QUESTION, channel="answers")
    [reply] = await fake.wait_for_messages("answers")
    assert "harbour at dawn" in fields_text(reply)
    assert_pings_no_one(fake)


async def test_a_question_with_everyone_and_role_mentions_pings_no_one(
        start_bot: Starter) -> None:
    running = await start_bot()
    fake = running.fake
    await fake.send_message(f"@here {ZAPORIZHZHIA_Q} <@{fake.users['admin'].id}>",
                            channel="answers", role_mentions=("Helpers",), mention_everyone=True,
                            mention_bot=True)
    [reply] = await fake.wait_for_messages("answers")
    assert reply.embeds[0]["title"] == f"Q: {ZAPORIZHZHIA_Q}"  # mention syntax is no question
    assert ROSATOM in plain(fields_text(reply))
    ix = await running.ask("ask", {"question": f"@everyone <@&{fake.world.role('Helpers').id}>"
                                               " who runs the plant"})
    assert "Russia - can run it" in plain(fields_text(ix.messages[-1]))
    ix = await running.ask("ask", {"question": "@everyone @here"})
    assert ix.content and "@everyone" not in ix.content
    assert_pings_no_one(fake)
