"""Public ids: a type prefix and 26 characters, time-ordered and not guessable.

The first 10 characters encode the creation time in milliseconds (so ids sort by creation),
the other 16 are 80 random bits (so ids cannot be enumerated).
"""

from __future__ import annotations

import base64
import os
import threading
import time

_ALPHABET = "0123456789abcdefghjkmnpqrstvwxyz"  # Crockford base32, lower case
# base64's base32 (in C) writes the same digits in another alphabet
_FROM_RFC_4648 = bytes.maketrans(b"ABCDEFGHIJKLMNOPQRSTUVWXYZ234567", _ALPHABET.encode())


def _encode(number: int, length: int) -> str:
    """``number`` in ``length`` base32 digits (it must fit), most significant first: the
    digits past a multiple of eight one by one, the rest eight (five bytes) at a time by
    base64's base32, for ids are made by the thousand."""
    body = length - length % 8
    head = "".join(_ALPHABET[number >> 5 * k & 31] for k in range(length - 1, body - 1, -1))
    digits = base64.b32encode((number & ((1 << 5 * body) - 1)).to_bytes(body * 5 // 8))
    return head + digits.translate(_FROM_RFC_4648).decode()


_DRAW = 10  # bytes: 80 random bits are exactly 16 characters, after the time's 10
_DRAWS_A_READ = 400


class _Chance(threading.local):
    """The operating system's random bytes, read 4 KB at a time a thread: a read per id was
    a twentieth of a large document's posting. A forked process starts a buffer of its own,
    so that it never hands out the bytes its parent holds."""

    def __init__(self) -> None:
        self.buffer = b""
        self.used = 0

    def bits(self) -> int:
        if self.used == len(self.buffer):
            self.buffer, self.used = os.urandom(_DRAW * _DRAWS_A_READ), 0
        start, self.used = self.used, self.used + _DRAW
        return int.from_bytes(self.buffer[start : self.used])


_chance = _Chance()


def _forget_chance() -> None:
    global _chance
    _chance = _Chance()


os.register_at_fork(after_in_child=_forget_chance)


def new_id(prefix: str) -> str:
    millis = time.time_ns() // 1_000_000
    return f"{prefix}_{_encode(millis << 80 | _chance.bits(), 26)}"


ID_LENGTH = 40  # column width: the longest prefix plus 27 characters fits
