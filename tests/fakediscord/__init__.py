"""A strict fake Discord (REST + gateway on 127.0.0.1) for driving the real discord.py client."""

from .connector import (
    LoopbackConnector,
    NonLoopbackHostError,
    Restore,
    loopback_connector,
    point_discord_py,
)
from .interactions import FakeInteraction
from .server import FakeDiscord
from .state import FakeChannel, FakeRole, FakeUser, PostedMessage, RecordedRequest

__all__ = [
    "FakeChannel",
    "FakeDiscord",
    "FakeInteraction",
    "FakeRole",
    "FakeUser",
    "LoopbackConnector",
    "NonLoopbackHostError",
    "PostedMessage",
    "RecordedRequest",
    "Restore",
    "loopback_connector",
    "point_discord_py",
]
