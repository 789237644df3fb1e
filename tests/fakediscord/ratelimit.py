"""Injected 429 answers shaped so discord.py retries them (`Via` header, JSON `retry_after`)."""

from __future__ import annotations

import re
from dataclasses import dataclass

from aiohttp import web

from .httputil import json_reply


@dataclass
class RateLimitRule:
    """Answer the next `left` requests matching `method` and `regex` with 429."""

    method: str
    regex: re.Pattern[str]
    left: int
    retry_after: float
    is_global: bool
    via: bool


class RateLimits:
    """The injected rate limits of one fake."""

    def __init__(self) -> None:
        self.rules: list[RateLimitRule] = []

    def add(self, rule: RateLimitRule) -> None:
        """Register a rule."""
        self.rules.append(rule)

    def take(self, method: str, path: str) -> web.Response | None:
        """Return a 429 reply if a rule matches this request (using one of its answers)."""
        for rule in self.rules:
            if rule.left > 0 and rule.method == method and rule.regex.search(path):
                rule.left -= 1
                body = {
                    "message": "You are being rate limited.",
                    "retry_after": rule.retry_after,
                    "global": rule.is_global,
                    "code": 0,
                }
                headers = {"Retry-After": str(rule.retry_after), "X-RateLimit-Scope": "user"}
                if rule.via:
                    headers["Via"] = "1.1 google"
                return json_reply(body, status=429, headers=headers)
        return None
