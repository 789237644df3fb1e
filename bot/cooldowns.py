"""Per-member cooldowns (discord.py's CooldownMapping): questions, More, and notices about them."""

from __future__ import annotations

from discord.ext import commands


def _per_member(seconds: float) -> commands.CooldownMapping[int] | None:
    """One use per `seconds` for each member id; None when there is no cooldown."""
    if seconds <= 0:
        return None
    return commands.CooldownMapping(commands.Cooldown(1, seconds), lambda user_id: user_id)


class Cooldowns:
    """A member may ask once per window, press More once per window, and is told once."""

    def __init__(self, seconds: float) -> None:
        self.seconds = seconds
        self._questions = _per_member(seconds)
        self._more = _per_member(seconds)
        self._notices = _per_member(seconds)

    @staticmethod
    def _wait(mapping: commands.CooldownMapping[int] | None, user_id: int) -> float:
        """Seconds left to wait (0.0 when allowed, which starts a new window)."""
        if mapping is None:
            return 0.0
        bucket = mapping.get_bucket(user_id)
        return (bucket.update_rate_limit() or 0.0) if bucket is not None else 0.0

    def question_wait(self, user_id: int) -> float:
        """Seconds before this member may ask again; 0.0 means: answer now."""
        return self._wait(self._questions, user_id)

    def more_wait(self, user_id: int) -> float:
        """Seconds before this member may press More again; 0.0 means: show more now."""
        return self._wait(self._more, user_id)

    def may_notify(self, user_id: int) -> bool:
        """Whether to tell this member about a cooldown now (at most once per window)."""
        return self._wait(self._notices, user_id) == 0.0


def cooldown_notice(seconds: float) -> str:
    """Word the cooldown politely."""
    return f"Please wait {max(1, round(seconds))} s before asking again — thanks for your patience."
