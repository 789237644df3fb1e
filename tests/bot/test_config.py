"""The bot's config file: the example parses; mistakes are named; the token stays secret."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.config import BotConfig, load_config
from index.errors import ConfigError

REPO = Path(__file__).resolve().parents[2]
TOKEN = "MTIz.secret-token-value.xyz"


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "config.toml"
    path.write_text(text, encoding="utf-8")
    return path


def test_example_config_parses(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("DISCORD_TOKEN", raising=False)
    config = load_config(REPO / "config.example.toml")
    assert isinstance(config, BotConfig)
    assert config.results_per_answer == 3
    assert config.keep_questions_days == 30
    assert config.sources == REPO / "sources"
    assert config.secret_token() is None


def test_every_key_in_the_example_is_documented() -> None:
    text = (REPO / "config.example.toml").read_text(encoding="utf-8")
    for key in BotConfig.model_fields:
        assert f"{key} =" in text, key


def test_relative_paths_resolve_against_the_config_folder(tmp_path: Path) -> None:
    config = load_config(write(tmp_path, 'sources = "docs"\nindex = "ix"\n'))
    assert config.sources == tmp_path / "docs"
    assert config.index == tmp_path / "ix"
    assert config.state_dir == tmp_path / ".citebot" / "state"


def test_unknown_key_is_named(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match=r"answer_chanels: unknown key"):
        load_config(write(tmp_path, "answer_chanels = [1]\n"))


@pytest.mark.parametrize(("text", "key"), [
    ('guild_ids = ["abc"]\n', "guild_ids.0"),
    ('reply_in_thread = "yes"\n', "reply_in_thread"),
    ("results_per_answer = 11\n", "results_per_answer"),
    ('log_level = "LOUD"\n', "log_level"),
    ('api_base = "discord.com"\n', "api_base"),
    ("keep_questions_days = 0\n", "keep_questions_days"),
    ("cooldown_seconds = inf\n", "cooldown_seconds: Input should be a finite number"),
    ("cooldown_seconds = nan\n", "cooldown_seconds: Input should be a finite number"),
    ("cooldown_seconds = -1\n", "cooldown_seconds: Input should be greater than or equal to 0"),
    ("cooldown_seconds = 1e9\n", "cooldown_seconds: Input should be less than or equal to 3600"),
    ("max_question_chars = 5\n", "max_question_chars"),
    ("shard_count = 0\n", "shard_count"),
])
def test_wrong_type_is_named(tmp_path: Path, text: str, key: str) -> None:
    with pytest.raises(ConfigError, match=key):
        load_config(write(tmp_path, text))


def test_bad_toml_and_missing_file(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="not valid TOML"):
        load_config(write(tmp_path, "guild_ids = [\n"))
    with pytest.raises(ConfigError, match="no such config file"):
        load_config(tmp_path / "nope.toml")


def test_env_token_wins(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    config = load_config(write(tmp_path, 'token = "from-file"\n'))
    monkeypatch.delenv("DISCORD_TOKEN", raising=False)
    assert config.secret_token() == "from-file"
    monkeypatch.setenv("DISCORD_TOKEN", "from-env")
    assert config.secret_token() == "from-env"


def test_token_not_in_repr_or_errors(tmp_path: Path) -> None:
    config = load_config(write(tmp_path, f'token = "{TOKEN}"\n'))
    assert TOKEN not in repr(config) and TOKEN not in str(config)
    assert TOKEN not in config.model_dump_json()
    with pytest.raises(ConfigError) as caught:
        load_config(write(tmp_path, f'token = "{TOKEN}"\nresults_per_answer = 0\n'))
    assert TOKEN not in str(caught.value)


def test_config_is_frozen(tmp_path: Path) -> None:
    config = load_config(write(tmp_path, ""))
    with pytest.raises(ValueError):
        config.cooldown_seconds = 1.0  # type: ignore[misc]


@pytest.mark.parametrize("key", ["sources", "index", "state_dir"])
def test_an_empty_path_is_named_not_taken_as_the_config_folder(tmp_path: Path, key: str) -> None:
    # `sources = ""` would otherwise index every file under the config's folder.
    with pytest.raises(ConfigError, match=f"{key}: .*empty path"):
        load_config(write(tmp_path, f'{key} = ""'))
    with pytest.raises(ConfigError, match=f"{key}: .*empty path"):
        load_config(write(tmp_path, f'{key} = "  "'))
