"""Logging is set up once, at the entry point: plain for the terminal, timestamped for the bot."""

import logging
import re
from pathlib import Path

import pytest
from click.testing import CliRunner

import bot.runner
from bot.cli import main

STAMP = re.compile(r"^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d,\d{3} INFO index\.engine: index rebuilt")


def test_the_bot_logs_with_timestamps_at_its_configured_level(
        sources_dir: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    config = tmp_path / "citebot.toml"
    config.write_text(f'token = "x"\nsources = "{sources_dir}"\nindex = "{tmp_path / "ix"}"\n'
                      'log_level = "INFO"\n')

    async def serve(*args, **kwargs) -> None:  # no Discord here: only the start-up is under test
        logging.getLogger("discord.client").debug("not shown at INFO")

    monkeypatch.setattr(bot.runner, "_serve", serve)
    result = CliRunner().invoke(main, ["run", "--config", str(config)])
    assert result.exit_code == 0, result.output
    logged = result.stderr.splitlines()
    assert sum(bool(STAMP.match(line)) for line in logged) == 1, result.stderr  # said once
    assert "not shown" not in result.stderr


def test_terminal_commands_log_plain_lines_at_the_verbosity_asked(
        sources_dir: Path, tmp_path: Path) -> None:
    result = CliRunner().invoke(main, ["-v", "index", "--sources", str(sources_dir),
                                       "--index", str(tmp_path / "ix")])
    assert result.exit_code == 0, result.output
    assert "INFO index.engine: index rebuilt" in result.stderr.splitlines()[0]
    assert result.stderr.count("index rebuilt") == 1
    quiet = CliRunner().invoke(main, ["index", "--sources", str(sources_dir),
                                      "--index", str(tmp_path / "ix2")])
    assert quiet.stderr == ""
