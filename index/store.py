"""Saving and loading an Index as plain versioned data: JSON and .npy, published atomically.

One writer at a time per index folder (`writer_lock`, an fcntl lock); readers never lock: a
generation is complete before CURRENT names it, and a replaced one stays readable while mapped.
"""

from __future__ import annotations

import errno
import fcntl
import json
import logging
import os
import shutil
import uuid
import zlib
from collections.abc import Iterator
from concurrent.futures import Future, ThreadPoolExecutor
from contextlib import contextmanager
from dataclasses import asdict
from pathlib import Path

import numpy as np

from .bm25 import Bm25Params, Postings
from .corpus import FORMAT_VERSION, Index, SourceRecord
from .errors import IndexFormatError, IndexWriteError
from .tokens import known_stems

log = logging.getLogger(__name__)

FORMAT_NAME = "citebot-index"
POINTER = "CURRENT"  # names the live generation folder; replaced atomically
LOCK = ".writer.lock"
STEMS = "stems.json"  # the stems the build computed, so that serving needs no nltk import
_ARRAYS = ("postings.ptr", "postings.ids", "postings.tf", "postings.idf",
           "postings.doc_len", "sent_source",
           "sent_section", "sent_para", "para_number", "features", "text_offsets",
           "row_terms", "row_places")
# Verifying checksums reads every byte: past this size a load checks headers and sizes, and the
# checksums are verified in the background (Engine), before patching, or when a question fails.
VERIFY_LIMIT_BYTES = 256 * 1024 * 1024


def _array(index: Index, name: str) -> np.ndarray:
    """The array saved under a name."""
    owner, _, attr = name.rpartition(".")
    return getattr(index.postings if owner else index, attr)


def _checksum(path: Path) -> int:
    """A file's CRC-32: finds damage (not tampering) at ~2 GB/s, so big indexes can be checked."""
    crc = 0
    with path.open("rb") as f:
        while chunk := f.read(8 << 20):
            crc = zlib.crc32(chunk, crc)
    return crc


@contextmanager
def writer_lock(folder: Path) -> Iterator[bool]:
    """Hold the index folder's writer lock; yields whether another writer had to finish first."""
    try:
        folder.mkdir(parents=True, exist_ok=True)
        handle = (folder / LOCK).open("a")
    except OSError as exc:
        raise _write_error(exc, folder) from None
    with handle:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
            waited = False
        except BlockingIOError:
            log.info("another process is writing the index in %s; waiting for it", folder)
            fcntl.flock(handle, fcntl.LOCK_EX)
            waited = True
        try:
            yield waited
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def _write_error(exc: OSError, folder: Path) -> IndexWriteError:
    """The one-line error for a failed index write (a full disk named as such)."""
    if exc.errno in (errno.ENOSPC, errno.EDQUOT):
        return IndexWriteError(f"no space left on device writing the index in {folder}")
    return IndexWriteError(f"cannot write the index in {folder}: {exc.strerror or exc}")


def save_index(index: Index, folder: Path, extra: dict[str, object] | None = None) -> Path:
    """Write the index into a new generation folder, then switch CURRENT to it atomically.

    Callers that may race hold `writer_lock`. On failure (a full disk) nothing partial is left
    behind, the live generation is untouched, and IndexWriteError says why in one line.
    """
    gen = folder / f"gen-{uuid.uuid4().hex[:12]}"
    tmp = folder / f".tmp-{gen.name}"
    pointer_tmp = folder / f".{POINTER}.{gen.name}"
    try:
        folder.mkdir(parents=True, exist_ok=True)
        tmp.mkdir()
        _write_generation(index, tmp, extra)
        os.replace(tmp, gen)
        pointer_tmp.write_text(gen.name, encoding="utf-8")
        _repair_pointer(folder)
        os.replace(pointer_tmp, folder / POINTER)  # the publish: one atomic rename
    except OSError as exc:
        for leftover in (tmp, gen):
            shutil.rmtree(leftover, ignore_errors=True)
        pointer_tmp.unlink(missing_ok=True)
        raise _write_error(exc, folder) from None
    _remove_old_generations(folder, keep=gen.name)
    return gen


def _repair_pointer(folder: Path) -> None:
    """Remove a CURRENT that is a folder (no rename can replace one), with a warning."""
    pointer = folder / POINTER
    if pointer.is_dir() and not pointer.is_symlink():
        log.warning("index pointer %s is a folder, not a file; replacing it", pointer)
        shutil.rmtree(pointer)


def _write_generation(index: Index, tmp: Path, extra: dict[str, object] | None) -> None:
    """Every file of a generation, its manifest last (with each file's size and checksum).

    Each file's CRC-32 is taken from the bytes in memory on a second thread while the next
    files are written, instead of reading every file back afterwards.
    """
    files: dict[str, dict[str, object]] = {}
    with ThreadPoolExecutor(1, thread_name_prefix="citebot-crc") as pool:
        crcs: dict[str, Future[int]] = {}
        for name in _ARRAYS:
            arr = np.ascontiguousarray(_array(index, name))
            np.save(tmp / f"{name}.npy", arr, allow_pickle=False)
            files[f"{name}.npy"] = {"dtype": arr.dtype.str, "shape": list(arr.shape)}
            crcs[f"{name}.npy"] = pool.submit(_npy_checksum, tmp / f"{name}.npy", arr)
        crcs["text.bin"] = pool.submit(zlib.crc32, index.text)
        with (tmp / "text.bin").open("wb") as f:
            f.write(index.text)  # bytes or a uint8 array: written without a copy
        terms = {"vocab": sorted(index.postings.vocab, key=index.postings.vocab.__getitem__),
                 "heading_terms": {t: v.tolist() for t, v in index.heading_terms.items()},
                 "title_terms": {t: v.tolist() for t, v in index.title_terms.items()}}
        stems = {"tokenizer": index.tokenizer, "stems": known_stems()}
        for name, value in (("terms.json", terms), (STEMS, stems)):
            data = json.dumps(value, ensure_ascii=False).encode("utf-8")
            (tmp / name).write_bytes(data)
            crcs[name] = pool.submit(zlib.crc32, data)
        for name, crc in crcs.items():
            entry = files.setdefault(name, {})
            entry["bytes"] = (tmp / name).stat().st_size
            entry["crc32"] = crc.result()
    manifest = {
        "format": FORMAT_NAME, "format_version": FORMAT_VERSION, "tokenizer": index.tokenizer,
        "params": asdict(index.params), "built_at": index.built_at, "sentences": index.size,
        "sources": [dict(vars(s)) for s in index.sources],  # asdict is 20× slower
        "section_headings": list(index.section_headings), "files": files, **(extra or {}),
    }
    # Compact: json's C encoder is skipped when indenting (~4× slower on 5,000 sources).
    (tmp / "manifest.json").write_text(json.dumps(manifest, ensure_ascii=False),
                                       encoding="utf-8")


def _npy_checksum(path: Path, arr: np.ndarray) -> int:
    """The CRC-32 of a saved .npy file: its header read back, then the array's bytes in memory."""
    with path.open("rb") as f:
        header = f.read(path.stat().st_size - arr.nbytes)
    return zlib.crc32(arr, zlib.crc32(header))


def _remove_old_generations(folder: Path, keep: str) -> None:
    """Delete generations other than the live one (open memory maps stay valid on POSIX).

    Called by the lock holder only, so a `.tmp-gen-*` here is a crashed writer's leftover.
    """
    for path in folder.iterdir():
        if path.is_dir() and path.name.startswith(("gen-", ".tmp-gen-")) and path.name != keep:
            shutil.rmtree(path, ignore_errors=True)


def read_manifest(folder: Path) -> tuple[Path, dict[str, object]]:
    """The live generation folder and its manifest; IndexFormatError if missing or foreign."""
    try:
        gen = folder / (folder / POINTER).read_text(encoding="utf-8").strip()
        manifest = json.loads((gen / "manifest.json").read_text(encoding="utf-8"))
    except IsADirectoryError:
        raise IndexFormatError(f"index pointer {folder / POINTER} is a folder") from None
    except FileNotFoundError:
        raise IndexFormatError(f"no index at {folder}") from None
    except (OSError, ValueError) as exc:
        raise IndexFormatError(f"unreadable index manifest in {folder}: {exc}") from None
    if not isinstance(manifest, dict) or manifest.get("format") != FORMAT_NAME:
        raise IndexFormatError(f"{folder} does not hold a citebot index")
    if manifest.get("format_version") != FORMAT_VERSION:
        raise IndexFormatError(f"index format {manifest.get('format_version')} is not "
                               f"{FORMAT_VERSION}")
    return gen, manifest


def _check_files(gen: Path, files: dict[str, dict[str, object]], verify: bool) -> None:
    """Every file present, of the recorded size, and (when verifying) of the recorded checksum."""
    for name, entry in files.items():
        path = gen / name
        if not path.is_file() or path.stat().st_size != entry.get("bytes"):
            raise IndexFormatError(f"index file {name} is missing or truncated")
        if verify and _checksum(path) != entry.get("crc32"):
            raise IndexFormatError(f"index file {name} is corrupt (checksum differs)")


def _load_array(gen: Path, name: str, entry: dict[str, object]) -> np.ndarray:
    """Memory-map one saved array, checking its dtype and shape against the manifest."""
    try:
        arr = np.load(gen / name, mmap_mode="r", allow_pickle=False)
    except (OSError, ValueError) as exc:
        raise IndexFormatError(f"index file {name} is unreadable: {exc}") from None
    if arr.dtype.str != entry.get("dtype") or list(arr.shape) != entry.get("shape"):
        raise IndexFormatError(f"index file {name} does not match the manifest")
    # A plain ndarray view of the map: np.memmap's Python-level indexing costs ~10 µs a slice.
    return arr.view(np.ndarray)


def needs_background_check(manifest: dict[str, object]) -> bool:
    """Whether loading skipped the checksums (a big index): verify them in the background."""
    files = manifest.get("files")
    return isinstance(files, dict) and \
        sum(int(e.get("bytes", 0)) for e in files.values()) > VERIFY_LIMIT_BYTES


def verify_generation(folder: Path, generation: str) -> None:
    """Check every file of a generation against its recorded checksum; IndexFormatError if not."""
    gen = folder / generation
    try:
        manifest = json.loads((gen / "manifest.json").read_text(encoding="utf-8"))
        _check_files(gen, manifest["files"], verify=True)
    except (OSError, ValueError, KeyError, TypeError, AttributeError) as exc:
        raise IndexFormatError(f"index generation {gen} is unreadable: {exc}") from None


def load_index(folder: Path) -> tuple[Index, dict[str, object]]:
    """Load the live index (arrays memory-mapped) and its manifest; IndexFormatError if bad.

    The manifest returned also names the loaded generation folder (`generation`).
    """
    gen, manifest = read_manifest(folder)
    try:
        files = manifest["files"]
        _check_files(gen, files, verify=not needs_background_check(manifest))
        arrays = {n: _load_array(gen, f"{n}.npy", files[f"{n}.npy"]) for n in _ARRAYS}
        terms = json.loads((gen / "terms.json").read_text(encoding="utf-8"))
        vocab = {t: i for i, t in enumerate(terms["vocab"])}
        text = np.memmap(gen / "text.bin", mode="r").view(np.ndarray) \
            if files["text.bin"]["bytes"] else b""
        params = Bm25Params(**manifest["params"])
        postings = Postings(vocab=vocab, params=params, **{k: arrays[f"postings.{k}"] for k in
                                                         ("ptr", "ids", "tf", "idf", "doc_len")})
        index = Index(
            params=params, tokenizer=str(manifest["tokenizer"]),
            sources=tuple(SourceRecord(**s) for s in manifest["sources"]),
            section_headings=tuple(manifest["section_headings"]), postings=postings,
            **{k: arrays[k] for k in _ARRAYS if "." not in k}, text=text,
            heading_terms={t: np.asarray(v, dtype=np.int32)
                           for t, v in terms["heading_terms"].items()},
            title_terms={t: np.asarray(v, dtype=np.int32) for t, v in terms["title_terms"].items()},
            built_at=str(manifest.get("built_at", "")),
        )
    except IndexFormatError:
        raise
    except (KeyError, TypeError, ValueError, OSError) as exc:
        raise IndexFormatError(f"index in {folder} is inconsistent: {exc!r}") from None
    _check_consistency(index)
    return index, {**manifest, "generation": gen.name}


def _check_consistency(index: Index) -> None:
    """Cheap cross-checks between arrays, so a damaged index is never served."""
    n, p = index.size, index.postings
    ok = (len(p.ptr) == len(p.vocab) + 1 and len(p.idf) == len(p.vocab) and len(p.doc_len) == n
          and int(p.ptr[-1]) == len(p.ids) == len(p.tf)
          and len(index.text_offsets) == n + 1
          and len(index.sent_section) == len(index.sent_para) == len(index.features) == n
          and sum(s.count for s in index.sources) == n
          and int(index.text_offsets[-1]) == len(index.text)
          and int(index.token_first[-1]) == len(index.row_terms) == len(index.row_places)
          and index.row_places.shape[1:] == (2,))
    if not ok:
        raise IndexFormatError("index arrays do not fit together")
