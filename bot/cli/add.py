"""`citebot add URL|FILE …`: fetch or read an article, write it as a source, update the index."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import TYPE_CHECKING

import click

from index.engine import Engine
from index.errors import CitebotError, DuplicateSourceError

from . import index_option, open_engine, sources_option

if TYPE_CHECKING:  # imported by the command itself: aiohttp alone costs every command ~0.1 s
    from index.fetch import FetchPolicy
    from index.ingest import Extraction

_PREVIEW_CHARS = 240


def describe(extraction: Extraction) -> list[str]:
    """What was extracted, as lines for the terminal."""
    article, doc = extraction.article, extraction.document
    first = extraction.first_paragraph
    if len(first) > _PREVIEW_CHARS:
        first = first[:_PREVIEW_CHARS].rsplit(" ", 1)[0] + " …"
    return [f"Extracted {extraction.origin}",
            f"  title:      {doc.title}",
            f"  outlet:     {article.publisher or '(unknown)'}",
            f"  published:  {article.published or '(unknown)'}",
            f"  author:     {article.author or '(unknown)'}",
            f"  url:        {article.url or '(none)'}",
            f"  text:       {extraction.paragraphs} paragraphs, {doc.sentence_count} sentences, "
            f"{len(doc.sections)} sections",
            f"  begins:     {first}"]


def _extract(engine: Engine, target: str, policy: FetchPolicy) -> Extraction:
    """A URL is fetched; anything else is a file path."""
    from index.ingest import extract_path, extract_url

    if "://" in target:
        return extract_url(engine, target, policy)
    return extract_path(engine, Path(target))


@click.command("add")
@click.argument("targets", metavar="URL|FILE…", nargs=-1, required=True)
@click.option("--dry-run", is_flag=True, help="Show what would be added; write nothing.")
@click.option("--allow-private", is_flag=True, envvar="CITEBOT_FETCH_ALLOW_PRIVATE",
              help="Also fetch from loopback and private addresses (tests, intranets). "
                   "[env: CITEBOT_FETCH_ALLOW_PRIVATE]")
@sources_option
@index_option
def add_cmd(targets: tuple[str, ...], dry_run: bool, allow_private: bool, sources_dir: Path,
            index_dir: Path | None) -> None:
    """Add web pages (URL) or saved .html/.md/.txt files as sources, and update the index."""
    from index.fetch import FetchPolicy
    from index.ingest import add

    engine = open_engine(sources_dir, index_dir)
    policy = FetchPolicy(allow_private=allow_private)
    failed = 0
    for target in targets:
        try:
            extraction = _extract(engine, target, policy)
        except DuplicateSourceError as exc:
            click.echo(f"{target}: {exc}")
            continue
        except CitebotError as exc:
            click.echo(f"Error: {exc}", err=True)
            failed += 1
            continue
        click.echo("\n".join(describe(extraction)))
        target_path = sources_dir / extraction.file_name
        if dry_run:
            click.echo(f"Dry run: would write {target_path} (source id {extraction.source_id}); "
                       "nothing written.")
            continue
        added = add(engine, extraction)
        click.echo(f"Wrote {added.path} (source id {extraction.source_id})")
        click.echo(f"Index: {added.report.sources} sources, {added.report.sentences} sentences "
                   f"(rebuilt in {added.report.seconds:.2f} s)")
    if failed:
        sys.exit(1)
