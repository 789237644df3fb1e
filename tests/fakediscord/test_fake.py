"""Self-tests: a real discord.py Bot logs into the fake: commands, views, messages, resumes."""

from __future__ import annotations

import asyncio
import io
from typing import Any

import aiohttp
import discord
import pytest
import pytest_asyncio
from discord import app_commands
from discord.ext import commands

from tests.fakediscord import FakeDiscord, NonLoopbackHostError, loopback_connector

SOURCES = [f"source-{i:02d}" for i in range(40)] + ["galaxy", "gamma", "garden"]


class PickView(discord.ui.View):
    def __init__(self) -> None:
        super().__init__(timeout=None)

    @discord.ui.button(label="Yes", custom_id="pick:yes", style=discord.ButtonStyle.primary)
    async def yes(self, interaction: discord.Interaction, button: discord.ui.Button[Any]) -> None:
        await interaction.response.edit_message(
            content=f"picked yes by {interaction.user.name}", view=None
        )

    @discord.ui.button(label="Off", custom_id="pick:off", disabled=True)
    async def off(self, interaction: discord.Interaction, button: discord.ui.Button[Any]) -> None:
        raise AssertionError("a disabled button cannot be clicked")


class FeedbackModal(discord.ui.Modal, title="Feedback"):
    text: discord.ui.TextInput[Any] = discord.ui.TextInput(
        label="Your feedback", custom_id="feedback:text"
    )

    async def on_submit(self, interaction: discord.Interaction) -> None:
        await interaction.response.send_message(f"thanks: {self.text.value}", ephemeral=True)


def add_commands(tree: app_commands.CommandTree[Any]) -> None:
    @tree.command(description="Think, then answer")
    async def slow(interaction: discord.Interaction, question: str) -> None:
        await interaction.response.defer(thinking=True)
        await asyncio.sleep(0.01)
        await interaction.followup.send(f"answer to {question}")

    @tree.command(description="Answer with an embed")
    async def embed(interaction: discord.Interaction, topic: str) -> None:
        card = discord.Embed(title=f"About {topic}", description="From the manual.")
        card.add_field(name="Source", value="manual.pdf p. 3").set_footer(text="citebot")
        await interaction.response.send_message(embed=card, ephemeral=True)

    @tree.command(description="Too long for Discord")
    async def toolong(interaction: discord.Interaction) -> None:
        await interaction.response.send_message("x" * 2001)

    @tree.command(description="Respond twice")
    async def twice(interaction: discord.Interaction) -> None:
        await interaction.response.send_message("one")
        interaction.response._response_type = None  # bypass discord.py's own guard
        await interaction.response.send_message("two")

    @tree.command(description="Respond too late")
    async def late(interaction: discord.Interaction) -> None:
        await asyncio.sleep(0.3)
        await interaction.response.send_message("sorry")

    @tree.command(description="Show buttons")
    async def buttons(interaction: discord.Interaction) -> None:
        await interaction.response.send_message("pick one", view=PickView())

    @tree.command(description="Who am I")
    async def whoami(interaction: discord.Interaction) -> None:
        member = interaction.user
        assert isinstance(member, discord.Member)
        admin, role_admin = (
            interaction.permissions.administrator,
            member.guild_permissions.administrator,
        )
        text = f"admin={admin} role_admin={role_admin}"
        await interaction.response.send_message(text, ephemeral=True)

    @tree.command(description="Give feedback")
    async def feedback(interaction: discord.Interaction) -> None:
        await interaction.response.send_modal(FeedbackModal())

    @tree.command(description="Look up a source")
    @app_commands.describe(source="Source name")
    async def lookup(interaction: discord.Interaction, source: str) -> None:
        await interaction.response.send_message(f"looked up {source}")

    @lookup.autocomplete("source")
    async def lookup_source(
        interaction: discord.Interaction, current: str
    ) -> list[app_commands.Choice[str]]:
        return [app_commands.Choice(name=s, value=s) for s in SOURCES if s.startswith(current)][:25]

    @tree.command(description="Edit, fetch, follow up, delete")
    async def progress(interaction: discord.Interaction) -> None:
        await interaction.response.defer(ephemeral=True)
        await interaction.edit_original_response(content="50%")
        original = await interaction.original_response()
        extra = await interaction.followup.send(f"done after {original.content}", wait=True)
        await extra.delete()

    @tree.command(description="Answer with a file")
    async def report(interaction: discord.Interaction) -> None:
        upload = discord.File(io.BytesIO(b"abc"), filename="report.txt")
        await interaction.response.send_message("your report", file=upload)

    cite = app_commands.Group(name="cite", description="Citations")

    @cite.command(description="Show a page")
    async def show(interaction: discord.Interaction, page: int, exact: bool = False) -> None:
        await interaction.response.send_message(f"page {page + 1} exact={exact}")

    tree.add_command(cite)


class CiteTestBot(commands.Bot):
    def __init__(self, guild_id: int, *, message_content: bool = True, sync: bool = True) -> None:
        intents = discord.Intents.default()
        intents.message_content = message_content
        super().__init__(
            command_prefix="!",
            intents=intents,
            allowed_mentions=discord.AllowedMentions.none(),
            connector=loopback_connector(),
            guild_ready_timeout=0.05,
        )
        self.guild = discord.Object(guild_id)
        self.sync_on_setup = sync
        self.app_errors: list[Exception] = []
        self.seen: list[str] = []
        add_commands(self.tree)
        self.tree.error(self.on_app_error)

    async def setup_hook(self) -> None:
        self.tree.copy_global_to(guild=self.guild)
        if self.sync_on_setup:
            await self.tree.sync(guild=self.guild)

    async def on_app_error(self, interaction: discord.Interaction, error: Exception) -> None:
        self.app_errors.append(getattr(error, "original", error))

    async def on_message(self, message: discord.Message) -> None:
        if message.author.bot:
            return
        self.seen.append(message.content)
        if self.user in message.mentions:
            await message.reply(f"hello {message.author.name}, you asked: {message.clean_content}")
        elif message.content.startswith("thread:"):
            thread = await message.create_thread(
                name=message.content.removeprefix("thread:").strip()
            )
            await thread.send("answer in thread")


@pytest_asyncio.fixture
async def bot(fake_discord: FakeDiscord, discord_errors: list[Any]) -> Any:
    client = CiteTestBot(fake_discord.guild_id)
    async with fake_discord.run_bot(client):
        yield client


async def test_login_ready_and_guild(fake_discord: FakeDiscord, bot: CiteTestBot) -> None:
    assert bot.user is not None and bot.user.id == fake_discord.bot_user.id
    assert bot.application_id == fake_discord.app_id
    guild = bot.get_guild(fake_discord.guild_id)
    assert guild is not None
    assert {c.name for c in guild.text_channels} == {"general", "answers"}
    assert (
        guild.me is not None and guild.get_member(fake_discord.users["admin"].id) is None
    )  # no members intent
    admin = await guild.fetch_member(fake_discord.users["admin"].id)
    member = await guild.fetch_member(fake_discord.users["member"].id)
    assert admin.guild_permissions.administrator and not member.guild_permissions.administrator
    identify = next(p for p in fake_discord.gateway.received if p["op"] == 2)
    assert identify["d"]["intents"] & (1 << 15)
    me = fake_discord.requests[0]
    assert (me.method, me.path, me.status) == ("GET", "/users/@me", 200)
    assert me.headers["Authorization"] == f"Bot {fake_discord.token}"
    assert all(r.headers["Host"].startswith("127.0.0.1:") for r in fake_discord.requests)


async def test_tree_sync_to_guild(fake_discord: FakeDiscord, bot: CiteTestBot) -> None:
    assert fake_discord.synced_scope == fake_discord.guild_id
    names = {c["name"] for c in fake_discord.synced_commands or []}
    assert {"slow", "embed", "lookup", "cite", "whoami"} <= names
    registered = fake_discord.registered_commands(fake_discord.guild_id)
    assert all(
        c["id"].isdigit() and c["guild_id"] == str(fake_discord.guild_id) for c in registered
    )
    fetched = await bot.tree.fetch_commands(guild=bot.guild)
    assert {c.name for c in fetched} == names
    bad = [{"name": "Bad Name", "description": ""}]
    with pytest.raises(discord.HTTPException) as info:
        await bot.http.bulk_upsert_guild_commands(fake_discord.app_id, fake_discord.guild_id, bad)
    assert info.value.status == 400 and info.value.code == 50035
    [failure] = fake_discord.take_failures()
    assert "0.name: Command name is invalid" in failure and "0.description" in failure


async def test_defer_then_followup(fake_discord: FakeDiscord, bot: CiteTestBot) -> None:
    ix = await fake_discord.slash_command("slow", {"question": "why?"})
    await ix.wait_done()
    assert [kind for kind, _ in ix.responses] == ["callback", "followup"]
    assert ix.responses[0][1] == {"type": 5}
    assert ix.messages == [ix.responses[1][1]] and ix.content == "answer to why?"
    assert ix.original is not None and ix.original["content"] == "answer to why?"
    assert ix.original["flags"] & 128 == 0  # no longer "thinking"
    assert not ix.ephemeral and ix.acknowledged_in is not None and ix.acknowledged_in < 1
    posted = [m for m in fake_discord.posted_messages if m.interaction_id == ix.id]
    assert posted[-1]["allowed_mentions"] == {"parse": []}


async def test_direct_response_with_embed(fake_discord: FakeDiscord, bot: CiteTestBot) -> None:
    ix = await fake_discord.slash_command("embed", {"topic": "rust"})
    await ix.wait_done()
    [(kind, body)] = ix.responses
    assert kind == "callback" and body["type"] == 4 and ix.ephemeral
    [card] = ix.messages[0]["embeds"]
    assert card["title"] == "About rust" and card["fields"][0]["value"] == "manual.pdf p. 3"


async def test_permissions_seen_by_discord_py(fake_discord: FakeDiscord, bot: CiteTestBot) -> None:
    admin = await (await fake_discord.slash_command("whoami", user="admin")).wait_done()
    member = await (await fake_discord.slash_command("whoami", user="member")).wait_done()
    assert admin.content == "admin=True role_admin=True"
    assert member.content == "admin=False role_admin=False"


async def test_over_limit_content_is_rejected(fake_discord: FakeDiscord, bot: CiteTestBot) -> None:
    ix = await fake_discord.slash_command("toolong")
    failure = await fake_discord.wait_for_failure("50035")
    assert "content: Must be 2000 or fewer in length." in failure
    await fake_discord.wait_until(lambda: bool(bot.app_errors))
    error = bot.app_errors[0]
    assert isinstance(error, discord.HTTPException) and error.status == 400 and error.code == 50035
    with pytest.raises(AssertionError, match="rejected"):
        await ix.wait_done(settle=0.01)
    assert ix.callback_type is None and fake_discord.take_failures() == [failure]


async def test_over_limit_channel_embed(fake_discord: FakeDiscord, bot: CiteTestBot) -> None:
    channel = bot.get_channel(fake_discord.channel_ids["answers"])
    assert isinstance(channel, discord.TextChannel)
    card = discord.Embed(title="t" * 257)
    for i in range(26):
        card.add_field(name=f"f{i}", value="v")
    with pytest.raises(discord.HTTPException) as info:
        await channel.send(embed=card)
    assert info.value.code == 50035
    [failure] = fake_discord.take_failures()
    assert "embeds.0.title: Must be 256" in failure and "embeds.0.fields: Must be 25" in failure


async def test_callback_twice_and_late_ack(make_fake_discord: Any) -> None:
    fake = await make_fake_discord(ack_timeout=0.1)
    client = CiteTestBot(fake.guild_id)
    async with fake.run_bot(client):
        twice = await fake.slash_command("twice")
        await fake.wait_until(lambda: bool(client.app_errors))
        assert twice.content == "one" and client.app_errors[0].code == 40060  # type: ignore[attr-defined]
        late = await fake.slash_command("late")
        await fake.wait_until(lambda: len(client.app_errors) == 2)
        assert isinstance(client.app_errors[1], discord.NotFound) and late.expired
    failures = fake.take_failures()
    assert any("40060" in f for f in failures)
    assert any("/late: interaction not acknowledged within 0.1 s" in f for f in failures)


async def test_button_click_updates_message(fake_discord: FakeDiscord, bot: CiteTestBot) -> None:
    shown = await (await fake_discord.slash_command("buttons")).wait_done()
    assert shown.original is not None
    labels = [b["label"] for b in shown.original["components"][0]["components"]]
    assert labels == ["Yes", "Off"]
    with pytest.raises(ValueError, match="disabled"):
        await fake_discord.click_button(shown.original, "pick:off")
    click = await (
        await fake_discord.click_button(shown.original, "pick:yes", user="admin")
    ).wait_done()
    assert click.callback_type == 7
    updated = fake_discord.world.messages[int(shown.original["id"])]
    assert updated["content"] == "picked yes by alice_admin" and updated["components"] == []


async def test_modal_round_trip(fake_discord: FakeDiscord, bot: CiteTestBot) -> None:
    shown = await (await fake_discord.slash_command("feedback")).wait_done()
    assert shown.modal is not None and shown.modal["title"] == "Feedback"
    submit = await (await fake_discord.submit_modal(shown, {"feedback:text": "great"})).wait_done()
    assert submit.content == "thanks: great" and submit.ephemeral


async def test_autocomplete_and_typed_options(fake_discord: FakeDiscord, bot: CiteTestBot) -> None:
    choices = await fake_discord.autocomplete("lookup", {"source": "ga"}, focused="source")
    assert [c["name"] for c in choices] == ["galaxy", "gamma", "garden"]
    many = await fake_discord.autocomplete("lookup", {"source": "source-"}, focused="source")
    assert len(many) == 25
    ix = await (
        await fake_discord.slash_command("cite", {"page": 41}, subcommand="show")
    ).wait_done()
    assert ix.content == "page 42 exact=False"
    with pytest.raises(ValueError, match="needs an integer"):
        await fake_discord.slash_command("cite", {"page": 1.5}, subcommand="show")


async def test_mention_gets_a_reply(fake_discord: FakeDiscord, bot: CiteTestBot) -> None:
    await fake_discord.send_message("just chatting")
    asked = await fake_discord.send_message("what is a citation?", mention_bot=True)
    [reply] = await fake_discord.wait_for_messages("general")
    assert reply.content == "hello bob_member, you asked: @citebot what is a citation?"
    assert reply["message_reference"]["message_id"] == asked["id"]
    assert reply["allowed_mentions"] == {"parse": []}  # AllowedMentions.none(): nobody is pinged
    assert reply["mentions"] == [] and not reply["mention_everyone"]
    assert bot.seen == ["just chatting", asked["content"]]


async def test_without_message_content_intent(fake_discord: FakeDiscord) -> None:
    client = CiteTestBot(fake_discord.guild_id, message_content=False)
    async with fake_discord.run_bot(client):
        await fake_discord.send_message("secret")
        await fake_discord.send_message("hello there", mention_bot=True)
        await fake_discord.wait_for_messages("general")
    assert client.seen == ["", f"<@{fake_discord.bot_user.id}> hello there"]


async def test_privileged_intent_refused(make_fake_discord: Any) -> None:
    fake = await make_fake_discord(allow_message_content=False)
    with pytest.raises(discord.PrivilegedIntentsRequired):
        async with fake.run_bot(CiteTestBot(fake.guild_id)):
            pass
    assert 4014 in fake.gateway.close_codes


async def test_thread_from_message(fake_discord: FakeDiscord, bot: CiteTestBot) -> None:
    asked = await fake_discord.send_message("thread: about sources")
    [answer] = await fake_discord.wait_for_messages("about sources")
    assert answer.channel_id == int(asked["id"])  # a thread started from a message takes its id
    thread = fake_discord.world.channels[answer.channel_id]
    assert thread.type == 11 and thread.parent_id == fake_discord.channel_ids["general"]
    assert isinstance(bot.get_channel(thread.id), discord.Thread)


async def test_resume_replays_and_commands_still_work(
    fake_discord: FakeDiscord, bot: CiteTestBot
) -> None:
    await fake_discord.drop_connection("abrupt", wait=False)
    await fake_discord.send_message("while away", mention_bot=True)  # buffered, replayed on RESUME
    await fake_discord.wait_for_resume(1)
    [reply] = await fake_discord.wait_for_messages("general")
    assert reply.content.endswith("while away")
    await fake_discord.drop_connection("reconnect_op7")
    await fake_discord.drop_connection("close_4000")
    assert fake_discord.resumes == 3 and fake_discord.gateway.identifies == 1
    ix = await (await fake_discord.slash_command("slow", {"question": "still there?"})).wait_done()
    assert ix.content == "answer to still there?"


async def test_rate_limit_is_retried(fake_discord: FakeDiscord, bot: CiteTestBot) -> None:
    fake_discord.inject_429("POST", r"^/channels/\d+/messages$", retry_after=0.01)
    await fake_discord.send_message("hi", mention_bot=True)
    [reply] = await fake_discord.wait_for_messages("general")
    posts = [
        r.status
        for r in fake_discord.requests
        if r.method == "POST" and r.path.endswith("/messages")
    ]
    assert posts == [429, 200] and reply.content.startswith("hello bob_member")


async def test_unknown_route_is_a_failure(fake_discord: FakeDiscord, bot: CiteTestBot) -> None:
    with pytest.raises(discord.NotFound):
        await bot.http.request(discord.http.Route("GET", "/not/a/route"))
    assert fake_discord.take_failures() == [
        "GET /not/a/route: 404 0 404: Not Found (route not served by the fake)"
    ]


async def test_bad_token_is_a_login_failure(fake_discord: FakeDiscord) -> None:
    client = CiteTestBot(fake_discord.guild_id)
    with pytest.raises(discord.LoginFailure):
        await client.start("not-the-token")
    await client.close()
    assert [r.status for r in fake_discord.requests] == [401]
    assert fake_discord.take_failures() == ["GET /users/@me: 401 0 401: Unauthorized"]


async def test_loopback_connector_refuses_other_hosts() -> None:
    async with aiohttp.ClientSession(connector=loopback_connector()) as session:
        for url in ("https://discord.com/api/v10/users/@me", "http://93.184.216.34/"):
            with pytest.raises(NonLoopbackHostError):
                await session.get(url)


async def test_edit_get_followup_delete(fake_discord: FakeDiscord, bot: CiteTestBot) -> None:
    ix = await (await fake_discord.slash_command("progress")).wait_done()
    kinds = [kind for kind, _ in ix.responses]
    assert kinds == ["callback", "edit_original", "followup", "delete_followup"]
    assert ix.ephemeral and ix.original is not None and ix.original["content"] == "50%"
    assert ix.messages[1]["content"] == "done after 50%"
    gets = [r for r in fake_discord.requests if r.method == "GET" and "/webhooks/" in r.path]
    assert len(gets) == 1 and gets[0].path.endswith("/messages/@original")
    assert "Authorization" not in gets[0].headers  # webhook routes are unauthenticated


async def test_multipart_bodies(fake_discord: FakeDiscord, bot: CiteTestBot) -> None:
    ix = await (await fake_discord.slash_command("report")).wait_done()
    assert ix.original is not None
    [attachment] = ix.original["attachments"]
    assert (attachment["filename"], attachment["size"]) == ("report.txt", 3)
    callback = next(r for r in fake_discord.requests if r.path.endswith("/callback"))
    assert callback.json["type"] == 4 and callback.files[0]["data"] == b"abc"
    channel = bot.get_channel(fake_discord.channel_ids["general"])
    assert isinstance(channel, discord.TextChannel)
    with pytest.raises(discord.HTTPException) as info:
        await channel.send("y" * 2001, file=discord.File(io.BytesIO(b"z"), filename="z.txt"))
    assert info.value.code == 50035
    [failure] = fake_discord.take_failures()
    assert "content: Must be 2000 or fewer" in failure


async def test_raw_protocol_details(fake_discord: FakeDiscord) -> None:
    async with aiohttp.ClientSession(connector=loopback_connector()) as session:
        auth = {"Authorization": f"Bot {fake_discord.token}"}
        async with session.get(fake_discord.api_base + "/users/@me", headers=auth) as resp:
            assert resp.headers["Content-Type"] == "application/json"
            assert (await resp.json())["bot"] is True
        async with session.ws_connect(fake_discord.gateway_url + "?v=10&encoding=json") as ws:
            hello = await ws.receive_json()
            assert hello["op"] == 10 and hello["d"]["heartbeat_interval"] == 1000
            await ws.send_json({"op": 1, "d": None})
            assert (await ws.receive_json())["op"] == 11
            await ws.send_json({"op": 2, "d": {"token": "wrong", "intents": 513, "properties": {}}})
            closing = await ws.receive()
            assert closing.type is aiohttp.WSMsgType.CLOSE and ws.close_code == 4004
