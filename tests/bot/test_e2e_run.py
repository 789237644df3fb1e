"""`citebot run`: a missing or rejected token gives one clear line, exit 1, and never leaks."""

from __future__ import annotations

import asyncio
import logging
import os
import signal
import socket
import sqlite3
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from bot import app, runner
from bot.cli import main
from tests.fakediscord import FakeDiscord

from .conftest import ROSATOM, ZAPORIZHZHIA_Q, bot_config, make_bot

WRONG_TOKEN = "MTIzNDU2Nzg5MDEyMzQ1Njc4.wrong.SecretTokenValue_do-not-leak"


def write_config(path: Path, sources: Path, tmp_path: Path, extra: str = "") -> Path:
    path.write_text(f'sources = "{sources}"\nindex = "{tmp_path / "index"}"\n'
                    f'state_dir = "{tmp_path / "state"}"\n{extra}', encoding="utf-8")
    return path


def lines(text: str) -> list[str]:
    return [line for line in text.splitlines() if line.strip()]


def test_run_without_a_token_exits_1_with_one_line(
        sources_dir: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("DISCORD_TOKEN", raising=False)
    config = write_config(tmp_path / "citebot.toml", sources_dir, tmp_path)
    result = CliRunner().invoke(main, ["run", "--config", str(config)])
    assert result.exit_code == 1
    assert result.exception is None or isinstance(result.exception, SystemExit)
    [line] = lines(result.output)
    assert "no Discord token" in line
    assert "Traceback" not in result.output


async def test_run_with_a_wrong_token_exits_1_and_never_shows_it(
        fake_discord: FakeDiscord, sources_dir: Path, tmp_path: Path,
        monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture) -> None:
    fake = fake_discord
    monkeypatch.setenv("DISCORD_TOKEN", WRONG_TOKEN)
    config = write_config(tmp_path / "citebot.toml", sources_dir, tmp_path,
                          f'api_base = "{fake.api_base}"\ngateway_url = "{fake.gateway_url}"\n'
                          'log_level = "DEBUG"\n')
    root = logging.getLogger()
    level = root.level
    caplog.set_level(logging.DEBUG)
    try:
        # `citebot run` calls asyncio.run itself, so it runs in a worker thread here
        result = await asyncio.to_thread(CliRunner().invoke, main, ["run", "--config",
                                                                     str(config)])
    finally:
        root.setLevel(level)
    assert result.exit_code == 1, result.output
    [line] = [ln for ln in lines(result.output) if ln.startswith("Error:")]  # besides logs
    assert line.startswith("Error: Discord rejected the token")
    logged = caplog.text + "".join(str(r.args) for r in caplog.records)
    for text in (result.output, logged, repr(result.exception)):
        assert WRONG_TOKEN not in text
        assert "SecretTokenValue" not in text
    assert "rejected the token" in result.output
    failures = fake.take_failures()
    assert failures and all("401" in f for f in failures), failures
    login = [r for r in fake.requests if r.path == "/users/@me"]
    assert login and login[0].status == 401


def test_state_dir_that_is_a_file_is_one_error_line(
        sources_dir: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("DISCORD_TOKEN", WRONG_TOKEN)
    (tmp_path / "state").write_text("I am a file", encoding="utf-8")
    config = write_config(tmp_path / "citebot.toml", sources_dir, tmp_path)
    result = CliRunner().invoke(main, ["run", "--config", str(config)])
    assert result.exit_code == 1
    [line] = lines(result.output)
    assert line.startswith("Error: state_dir") and "is a file" in line
    assert (tmp_path / "state").read_text(encoding="utf-8") == "I am a file"


def test_discord_unreachable_is_retried_then_one_error_line(
        sources_dir: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
        caplog: pytest.LogCaptureFixture) -> None:
    monkeypatch.setenv("DISCORD_TOKEN", WRONG_TOKEN)
    monkeypatch.setattr(runner, "LOGIN_RETRY_S", (0.01, 0.01))
    with socket.socket() as probe:  # a loopback port that nothing listens on
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    config = write_config(tmp_path / "citebot.toml", sources_dir, tmp_path,
                          f'api_base = "http://127.0.0.1:{port}/api/v10"\n'
                          f'gateway_url = "ws://127.0.0.1:{port}/"\n')
    caplog.set_level(logging.WARNING, logger="bot.runner")
    result = CliRunner().invoke(main, ["run", "--config", str(config)])
    assert result.exit_code == 1, result.output
    [line] = [ln for ln in lines(result.output) if ln.startswith("Error:")]  # besides the retries
    assert line.startswith(f"Error: cannot reach Discord at http://127.0.0.1:{port}/api/v10")
    retries = [r for r in caplog.records if "trying again" in r.getMessage()]
    assert len(retries) == 2


async def test_a_discord_outage_during_the_startup_sync_is_retried(
        make_fake_discord, sources_dir: Path, tmp_path: Path,
        monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(app, "SYNC_RETRY_S", (0.05,))
    fake: FakeDiscord = await make_fake_discord()
    config = bot_config(fake, tmp_path, sources_dir)
    async with fake.run_bot(make_bot(fake, config)):  # registers the commands
        pass
    (config.state_dir / app.SYNC_HASH_FILE).unlink()  # so the next start syncs again
    fake.inject_error("PUT", r"/commands$", 503, count=2)
    async with fake.run_bot(make_bot(fake, config)):
        ix = await fake.slash_command("ask", {"question": ZAPORIZHZHIA_Q})  # registered before
        await ix.wait_done()
        assert ix.messages[-1]["embeds"]
        await fake.wait_until(lambda: len([r for r in fake.requests if r.method == "PUT"]) == 4,
                              what="the sync retried until it worked")
        assert [r.status for r in fake.requests if r.method == "PUT"] == [200, 503, 503, 200]
        await fake.wait_until((config.state_dir / app.SYNC_HASH_FILE).is_file)


async def test_sigterm_stops_the_bot_cleanly_keeping_its_state(
        fake_discord: FakeDiscord, sources_dir: Path, tmp_path: Path) -> None:
    """`systemctl stop` / `docker stop` send SIGTERM: the bot closes as on Ctrl-C, exit 0."""
    fake = fake_discord
    config = write_config(tmp_path / "citebot.toml", sources_dir, tmp_path,
                          f'api_base = "{fake.api_base}"\ngateway_url = "{fake.gateway_url}"\n'
                          f'guild_ids = [{fake.guild_id}]\ncooldown_seconds = 0\n')
    process = await asyncio.create_subprocess_exec(
        sys.executable, "-c", "import sys; from bot.cli import main; sys.exit(main())",
        "run", "--config", str(config), env={**os.environ, "DISCORD_TOKEN": fake.token},
        stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.PIPE)
    try:
        await fake.wait_ready(timeout=60)
        await fake.wait_until(lambda: bool(fake.commands.get(fake.guild_id)), 30, "the sync")
        ix = await fake.slash_command("ask", {"question": ZAPORIZHZHIA_Q})
        await ix.wait_done(timeout=30)
        process.send_signal(signal.SIGTERM)
        _, stderr = await asyncio.wait_for(process.communicate(), 30)
    finally:
        if process.returncode is None:
            process.kill()
            await process.wait()
    log = stderr.decode()
    assert process.returncode == 0, log
    assert "Traceback" not in log
    assert " WARNING " not in log  # a clean start and stop: nothing for the operator to chase
    assert fake.gateway.client_close_codes == [1000]  # the bot said goodbye to the gateway
    with sqlite3.connect(tmp_path / "state" / "feedback.sqlite3") as db:
        assert db.execute("SELECT count(*) FROM asked").fetchone() == (1,)


async def test_a_guild_that_refuses_the_sync_does_not_keep_the_others_without_commands(
        make_fake_discord, sources_dir: Path, tmp_path: Path,
        monkeypatch: pytest.MonkeyPatch) -> None:
    # The bot was removed from the first configured server: the others still get their commands.
    monkeypatch.setattr(app, "SYNC_RETRY_S", (30.0,))  # no retry within the test
    fake: FakeDiscord = await make_fake_discord()
    gone = fake.guild_id + 1
    config = bot_config(fake, tmp_path, sources_dir, guild_ids=[gone, fake.guild_id])
    async with fake.run_bot(make_bot(fake, config)):
        puts = [r for r in fake.requests if r.method == "PUT"]
        assert [(r.path.split("/")[-2], r.status) for r in puts] == \
            [(str(gone), 404), (str(fake.guild_id), 200)]
        assert "zaporizhzhia" in {c["name"] for c in fake.registered_commands(fake.guild_id)}
        ix = await fake.slash_command("ask", {"question": ZAPORIZHZHIA_Q})
        await ix.wait_done()
        assert ROSATOM in ix.messages[-1]["embeds"][0]["fields"][0]["value"].replace("\\", "")
        # Not recorded as synced: the refused server is tried again later.
        assert not (config.state_dir / app.SYNC_HASH_FILE).exists()
    assert all("10004" in f or "Unknown Guild" in f for f in fake.take_failures())
