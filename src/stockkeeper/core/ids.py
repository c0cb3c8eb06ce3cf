"""Public ids: a type prefix and 26 characters, time-ordered and not guessable.

The first 10 characters encode the creation time in milliseconds (so ids sort by creation),
the other 16 are 80 random bits (so ids cannot be enumerated).
"""

from __future__ import annotations

import os
import threading
import time

_ALPHABET = "0123456789abcdefghjkmnpqrstvwxyz"  # Crockford base32, lower case
# a random byte's digit is its low five bits: 256 is a multiple of 32, so every digit is as
# likely as the next, and 16 digits carry 80 random bits
_DIGIT_OF_BYTE = bytes(_ALPHABET.encode()[byte & 31] for byte in range(256))
_RANDOM_DIGITS = 16
_DRAWS_A_READ = 256


def _encode(number: int, length: int) -> str:
    """``number`` in ``length`` base32 digits (it must fit), most significant first."""
    return "".join(_ALPHABET[number >> 5 * k & 31] for k in range(length - 1, -1, -1))


class _Chance(threading.local):
    """The operating system's random bytes, read 4 KB at a time a thread and turned into
    digits at once (in C): a read per id was a twentieth of a large document's posting, and
    encoding each id's bits alone a tenth of its ids' cost. A forked process starts a buffer
    of its own, so that it never hands out the digits its parent holds."""

    def __init__(self) -> None:
        self.buffer = ""
        self.used = 0

    def digits(self) -> str:
        if self.used == len(self.buffer):
            drawn = os.urandom(_RANDOM_DIGITS * _DRAWS_A_READ)
            self.buffer, self.used = drawn.translate(_DIGIT_OF_BYTE).decode(), 0
        start, self.used = self.used, self.used + _RANDOM_DIGITS
        return self.buffer[start : self.used]


_chance = _Chance()


def _forget_chance() -> None:
    global _chance
    _chance = _Chance()


os.register_at_fork(after_in_child=_forget_chance)

# the last millisecond an id was made in, and its 10 digits: ids are made by the thousand
_last: tuple[int, str] = (-1, "")


def new_id(prefix: str) -> str:
    global _last
    millis = time.time_ns() // 1_000_000
    moment = _last
    if moment[0] != millis:
        moment = _last = (millis, _encode(millis, 10))
    return f"{prefix}_{moment[1]}{_chance.digits()}"


ID_LENGTH = 40  # column width: the longest prefix plus 27 characters fits
