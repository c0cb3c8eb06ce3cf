"""Public ids: a type prefix and 26 characters, time-ordered and not guessable.

The first 10 characters encode the creation time in milliseconds (so ids sort by creation),
the other 16 are 80 random bits (so ids cannot be enumerated).
"""

from __future__ import annotations

import secrets
import time

_ALPHABET = "0123456789abcdefghjkmnpqrstvwxyz"  # Crockford base32, lower case
_PAIRS = [first + second for first in _ALPHABET for second in _ALPHABET]  # 10 bits each


def _encode(number: int, length: int) -> str:
    """``number`` in ``length`` base32 digits (it must fit), most significant first; two
    digits a step, for ids are made by the thousand."""
    pairs = (length + 1) // 2
    text = "".join(_PAIRS[number >> 10 * k & 1023] for k in range(pairs - 1, -1, -1))
    return text[len(text) - length :]


def new_id(prefix: str) -> str:
    millis = time.time_ns() // 1_000_000
    # 80 random bits are exactly 16 characters: the time's 10 come first
    return f"{prefix}_{_encode(millis << 80 | secrets.randbits(80), 26)}"


ID_LENGTH = 40  # column width: the longest prefix plus 27 characters fits
