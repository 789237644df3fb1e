"""`citebot run`: a missing or rejected token gives one clear line, exit 1, and never leaks."""

from __future__ import annotations

import asyncio
import logging
from pathlib import Path

import pytest
from click.testing import CliRunner

from bot.cli import main
from tests.fakediscord import FakeDiscord

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
    [line] = [ln for ln in lines(result.output) if ln.startswith("citebot:")]  # besides logs
    assert line.startswith("citebot: Discord rejected the token")
    logged = caplog.text + "".join(str(r.args) for r in caplog.records)
    for text in (result.output, logged, repr(result.exception)):
        assert WRONG_TOKEN not in text
        assert "SecretTokenValue" not in text
    assert "rejected the token" in result.output
    failures = fake.take_failures()
    assert failures and all("401" in f for f in failures), failures
    login = [r for r in fake.requests if r.path == "/users/@me"]
    assert login and login[0].status == 401
