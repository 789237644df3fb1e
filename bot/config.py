"""The bot's configuration: TOML read into a frozen, validated value; the token from the env."""

from __future__ import annotations

import os
import tomllib
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, SecretStr, ValidationError, field_validator

from index.errors import ConfigError

TOKEN_ENV = "DISCORD_TOKEN"
LogLevel = Literal["DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL"]


class BotConfig(BaseModel):
    """Everything `citebot run` needs besides the sources themselves; paths are absolute."""

    # Every number has a range (Field ge/le) and no float may be inf or NaN: a new numeric key
    # follows the same pattern, and a bad value is named at start-up, not met later as a crash.
    model_config = ConfigDict(extra="forbid", frozen=True, strict=True, allow_inf_nan=False)

    token: SecretStr | None = None
    guild_ids: tuple[int, ...] = ()
    answer_channels: tuple[int, ...] = ()
    reply_in_thread: bool = False
    admin_roles: tuple[int, ...] = ()
    results_per_answer: int = Field(default=3, ge=1, le=10)
    cooldown_seconds: float = Field(default=10.0, ge=0, le=3600)
    max_question_chars: int = Field(default=500, ge=20, le=4000)
    sources: Path = Path("sources")
    index: Path | None = None
    state_dir: Path = Path(".citebot/state")
    keep_questions_days: int = Field(default=30, ge=1, le=3650)
    follow_up_minutes: float = Field(default=60.0, ge=0)  # idle time ending a conversation; 0: off
    log_level: LogLevel = "INFO"
    shard_count: int | None = Field(default=None, ge=1)
    fetch_allow_private: bool = False  # /add may fetch loopback and private addresses too
    api_base: str = "https://discord.com/api/v10"
    gateway_url: str = "wss://gateway.discord.gg/"

    @field_validator("token", mode="before")
    @classmethod
    def _token_text(cls, value: object) -> object:
        """Accept the token as plain text (strict mode would otherwise demand a SecretStr)."""
        return SecretStr(value) if isinstance(value, str) else value

    @field_validator("sources", "index", "state_dir", mode="before")
    @classmethod
    def _path_text(cls, value: object) -> object:
        """Accept paths written as TOML strings; "" is refused (it would be the config's folder)."""
        if isinstance(value, str) and not value.strip():
            raise ValueError("an empty path; leave the key out for the default")
        return Path(value) if isinstance(value, str) else value

    @field_validator("guild_ids", "answer_channels", "admin_roles", mode="before")
    @classmethod
    def _id_list(cls, value: object) -> object:
        """Accept TOML arrays for id lists."""
        return tuple(value) if isinstance(value, list) else value

    @field_validator("cooldown_seconds", "follow_up_minutes", mode="before")
    @classmethod
    def _seconds(cls, value: object) -> object:
        """Accept whole seconds as well as fractions."""
        return float(value) if isinstance(value, int) and not isinstance(value, bool) else value

    @field_validator("api_base", "gateway_url")
    @classmethod
    def _url(cls, value: str) -> str:
        """Require an absolute http(s) or ws(s) URL."""
        if value.split("://", 1)[0] not in ("http", "https", "ws", "wss") or "://" not in value:
            raise ValueError("must be an absolute http(s):// or ws(s):// URL")
        return value

    def secret_token(self) -> str | None:
        """Return the login token: DISCORD_TOKEN if set, else the file's (never log it)."""
        env = os.environ.get(TOKEN_ENV, "").strip()
        if env:
            return env
        return self.token.get_secret_value() if self.token else None

    def resolved(self, base: Path) -> BotConfig:
        """Return a copy with relative paths made absolute against `base`."""
        def fix(path: Path) -> Path:
            return path if path.is_absolute() else (base / path).resolve()
        return self.model_copy(update={
            "sources": fix(self.sources), "state_dir": fix(self.state_dir),
            "index": fix(self.index) if self.index is not None else None})


def _describe(exc: ValidationError, path: Path) -> str:
    """One line per problem, naming the key path."""
    lines = []
    for err in exc.errors():
        key = ".".join(str(p) for p in err["loc"]) or "(top level)"
        msg = "unknown key" if err["type"] == "extra_forbidden" else err["msg"]
        lines.append(f"{key}: {msg}")
    return f"{path}: invalid config: " + "; ".join(lines)


def parse_config(data: dict[str, object], base: Path, origin: Path | None = None) -> BotConfig:
    """Validate a mapping as read from TOML; relative paths resolve against `base`."""
    try:
        return BotConfig.model_validate(data).resolved(base)
    except ValidationError as exc:
        raise ConfigError(_describe(exc, origin or base)) from None


def load_config(path: Path) -> BotConfig:
    """Read and validate a config file, or raise ConfigError saying exactly what is wrong."""
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise ConfigError(f"{path}: no such config file (copy config.example.toml)") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise ConfigError(f"{path}: cannot read: {exc}") from None
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"{path}: not valid TOML: {exc}") from None
    return parse_config(data, path.resolve().parent, path)
