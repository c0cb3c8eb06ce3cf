"""Public ids: a type prefix and 26 characters, time-ordered and not guessable.

The first 10 characters encode the creation time in milliseconds (so ids sort by creation),
the other 16 are 80 random bits (so ids cannot be enumerated).
"""

from __future__ import annotations

import secrets
import time

_ALPHABET = "0123456789abcdefghjkmnpqrstvwxyz"  # Crockford base32, lower case


def _encode(number: int, length: int) -> str:
    chars = []
    for _ in range(length):
        number, digit = divmod(number, 32)
        chars.append(_ALPHABET[digit])
    return "".join(reversed(chars))


def new_id(prefix: str) -> str:
    millis = time.time_ns() // 1_000_000
    # 80 random bits are exactly 16 characters: the time's 10 come first
    return f"{prefix}_{_encode(millis << 80 | secrets.randbits(80), 26)}"


ID_LENGTH = 40  # column width: the longest prefix plus 27 characters fits
