"""ASCII text is scanned by the tokenizer's pattern in ASCII classes: the same tokens, faster."""

from __future__ import annotations

import random
import re
from pathlib import Path

from index.tokens import _ASCII_TOKEN_RE, _TOKEN_RE

DATA = Path(__file__).parent / "data"


def _tokens(pattern: re.Pattern[str], text: str) -> list[tuple[int, int, str | None]]:
    return [(*m.span(), m.lastgroup) for m in pattern.finditer(text)]


def test_every_ascii_character_around_numbers_and_words_scans_the_same() -> None:
    # \x1c-\x1f are whitespace to Unicode's \s but not to ASCII's: the ASCII pattern adds them.
    for code in range(128):
        c = chr(code)
        for text in (f"5{c}million", f"${c}5", f"5{c}%", f"per{c}cent", f"U.S.{c}A.",
                     f"it{c}s", f"a{c}b", f"{c}USA{c}", f"5{c}5,000.5{c}bn"):
            assert _tokens(_ASCII_TOKEN_RE, text) == _tokens(_TOKEN_RE, text), repr(text)


def test_real_and_random_ascii_texts_scan_the_same() -> None:
    texts = [line for path in sorted(DATA.glob("encyclopedia_dev/*"))
             for line in path.read_text(encoding="utf-8").splitlines() if line.isascii()]
    rnd = random.Random(7)
    alphabet = "aZ09 ,.$%-'\x1c\x1f\t\n\x0bUSA m k bn percent per cent million thousand"
    texts += ["".join(rnd.choice(alphabet) for _ in range(rnd.randint(1, 40)))
              for _ in range(5000)]
    assert len(texts) > 5000
    for text in texts:
        assert _tokens(_ASCII_TOKEN_RE, text) == _tokens(_TOKEN_RE, text), repr(text)
