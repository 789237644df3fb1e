"""The issues file's schema (pydantic): imported only when an issues file is parsed."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field


class IssueModel(BaseModel):
    """One sticking point."""

    model_config = ConfigDict(extra="forbid")
    title: str = Field(min_length=1, max_length=256)
    description: str = Field(min_length=1, max_length=100)
    terms: list[str] = Field(min_length=1)


class PartyModel(BaseModel):
    """One party."""

    model_config = ConfigDict(extra="forbid")
    name: str = Field(min_length=1)
    aliases: list[str] = []


class TopicsModel(BaseModel):
    """The whole file."""

    model_config = ConfigDict(extra="forbid")
    issues: dict[str, IssueModel] = {}
    parties: dict[str, PartyModel] = {}
