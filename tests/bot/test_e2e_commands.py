"""Login, command sync from issues.toml, /ask, every issue command, side, abstention, lists."""

from __future__ import annotations

import re

import discord
import pytest

from index.topics import load_topics
from tests.fakediscord import FakeDiscord

from .conftest import (
    ROSATOM,
    UNCOVERED_Q,
    ZAPORIZHZHIA_Q,
    Running,
    answer_message,
    bot_config,
    fields_text,
    make_bot,
    passages,
    plain,
)

ARTICLE = "Sticking points in the Russia–Ukraine peace talks"
MESSAGE_CONTENT = 1 << 15
DEFER = 5

# Every sticking point: a real question, the sentence expected first, its paragraph.
ISSUE_QUESTIONS = {
    "territory": ("who gets Donetsk", "75% of Donetsk, and Putin wants it all", "¶5"),
    "zaporizhzhia": ("who runs the plant", ROSATOM, "¶18"),
    "trust": ("does Zelensky trust Putin", "I don't trust Putin", "¶23"),
    "security": ("what guarantees does Ukraine want",
                 "security guarantees to ensure a Nato-style response", "¶26"),
    "reconstruction": ("who pays for the losses",
                       "Financial losses for Ukraine have been estimated at $800bn", "¶28"),
    "nato": ("will Ukraine join Nato", "Russia also rejects Ukraine's bid to join Nato.", "¶29"),
    "eu": ("when will Ukraine join the EU", "Membership of the European Union", "¶30"),
    "referendum": ("will there be a referendum", "without a popular vote and a 60-day ceasefire",
                   "¶32"),
}


def bold(value: str) -> str:
    """The bold (matched) sentence of a passage, unescaped."""
    found = re.search(r"\*\*(.+?)\*\*", value, re.S)
    assert found, value
    return plain(found.group(1))


async def test_login_ready_and_commands_match_issues_toml(running: Running) -> None:
    fake, bot = running.fake, running.bot
    assert bot.is_ready() and fake.gateway.identifies == 1
    assert bot.user is not None and bot.user.id == fake.bot_user.id
    assert fake.gateway.intents is not None and fake.gateway.intents & MESSAGE_CONTENT
    assert fake.synced_scope == fake.guild_id
    synced = {c["name"]: c for c in fake.synced_commands}
    topics = load_topics(running.sources)
    assert set(synced) == {"ask", "issues", "sources", "reindex", "add", "remove",
                           *(i.key for i in topics.issues)}
    assert [c["name"] for c in fake.registered_commands(fake.guild_id)] == \
        [c["name"] for c in fake.synced_commands]
    choices = [{"name": p.name, "value": p.key} for p in topics.parties]
    assert len(choices) == 4
    for issue in topics.issues:
        command = synced[issue.key]
        assert command["description"] == issue.description
        side, question = command["options"]
        assert (side["name"], side["type"], side["required"]) == ("side", 3, False)
        assert side["choices"] == choices
        assert (question["name"], question["type"], question["required"]) == \
            ("question", 3, False)
    ask = synced["ask"]
    assert [(o["name"], o["required"]) for o in ask["options"]] == \
        [("question", True), ("source", False)]
    assert ask["options"][1]["autocomplete"] is True
    assert synced["reindex"]["default_member_permissions"] == 8  # Administrator


async def test_second_start_with_same_commands_does_not_sync_again(
        make_fake_discord, sources_dir, tmp_path) -> None:
    fake: FakeDiscord = await make_fake_discord()
    config = bot_config(fake, tmp_path, sources_dir)

    def puts() -> int:
        return sum(r.method == "PUT" and r.path.endswith("/commands") for r in fake.requests)

    async with fake.run_bot(make_bot(fake, config)):
        pass
    assert puts() == 1
    assert (config.state_dir / "commands.sha256").read_text().strip()
    async with fake.run_bot(make_bot(fake, config)) as bot:
        ix = await fake.slash_command("ask", {"question": ZAPORIZHZHIA_Q})
        await ix.wait_done()
        assert ROSATOM in plain(fields_text(answer_message(ix)))
        assert bot.is_ready()
    assert puts() == 1, "unchanged commands were synced again"
    async with fake.run_bot(make_bot(fake, config, force_sync=True)):
        pass
    assert puts() == 2  # `citebot sync` forces it


async def test_ask_quotes_the_rosatom_sentence_with_its_citation(running: Running) -> None:
    ix = await running.ask("ask", {"question": ZAPORIZHZHIA_Q})
    assert ix.responses[0] == ("callback", {"type": DEFER})  # acknowledged first, then answered
    assert ix.acknowledged_in is not None and ix.acknowledged_in < 3
    assert not ix.ephemeral
    message = answer_message(ix)
    embed = message["embeds"][0]
    assert embed["title"] == f"Q: {ZAPORIZHZHIA_Q}"
    first = embed["fields"][0]["value"]
    assert ROSATOM in bold(first)
    assert first.rstrip().endswith(
        f"— {ARTICLE} · Ukraine's huge nuclear power plant in Russian hands · ¶18")
    assert "Passages 1–3" in embed["footer"]["text"]


@pytest.mark.parametrize("key", sorted(ISSUE_QUESTIONS))
async def test_issue_command_quotes_the_expected_passage(running: Running, key: str) -> None:
    question, expected, paragraph = ISSUE_QUESTIONS[key]
    ix = await running.ask(key, {"question": question})
    assert ix.responses[0] == ("callback", {"type": DEFER})
    issue = load_topics(running.sources).issue(key)
    embed = answer_message(ix)["embeds"][0]
    assert embed["title"] == f"{issue.title}: {question}"
    top = embed["fields"][0]["value"]
    assert expected in bold(top)
    assert top.split("\n")[-1].startswith(f"— {ARTICLE} · ")
    assert top.rstrip().endswith(paragraph)


async def test_issue_command_without_options_quotes_the_issue(running: Running) -> None:
    ix = await running.ask("zaporizhzhia")
    embed = answer_message(ix)["embeds"][0]
    assert embed["title"] == "The Zaporizhzhia nuclear plant"
    assert len(embed["fields"]) == 3
    assert any("Zaporizhzhia" in v or "nuclear" in v for v in passages(answer_message(ix)))


@pytest.mark.parametrize(("key", "side", "names"), [
    ("territory", "us", ("US", "Trump", "Washington", "America")),
    ("referendum", "russia", ("Russia", "Kremlin", "Putin", "Ushakov", "Rosatom", "Likachev")),
    ("zaporizhzhia", "us", ("US", "Washington", "Trump")),
])
async def test_side_narrows_to_passages_about_that_party(running: Running, key: str, side: str,
                                                        names: tuple[str, ...]) -> None:
    question = ISSUE_QUESTIONS[key][0]
    unnarrowed = passages(answer_message(await running.ask(key, {"question": question})))
    narrowed = passages(answer_message(
        await running.ask(key, {"question": question, "side": side})))
    assert narrowed and narrowed != unnarrowed
    for value in narrowed:
        matched = bold(value)
        assert any(re.search(rf"\b{re.escape(n)}\b", matched) for n in names), matched


async def test_uncovered_question_gets_the_abstention_pointing_to_issues(
        running: Running) -> None:
    ix = await running.ask("ask", {"question": UNCOVERED_Q})
    message = answer_message(ix)
    [embed] = message["embeds"]
    assert embed["title"] == "No answer in the sources"
    assert "How tall is the Eiffel Tower?" in embed["description"]
    assert "/issues" in embed["description"]
    assert not embed.get("fields")
    assert not message.get("components"), "no buttons under an abstention"


async def test_issues_and_sources_list_what_is_there(running: Running) -> None:
    ix = await running.ask("issues")
    assert ix.ephemeral and ix.callback_type == 4
    text = fields_text(answer_message(ix))
    for issue in load_topics(running.sources).issues:
        assert f"`/{issue.key}`" in text
    ix = await running.ask("sources")
    assert ix.ephemeral
    text = fields_text(answer_message(ix))
    assert "Indexed sources (1)" in text and "`peace-talks-sticking-points`" in text
    assert re.search(r"\d+ sentences", text)


async def test_bot_is_created_with_mentions_disabled(running: Running) -> None:
    mentions = running.bot.allowed_mentions
    assert mentions is not None
    assert mentions.to_dict() == discord.AllowedMentions.none().to_dict()
