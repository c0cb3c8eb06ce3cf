"""Figures kept in memory while what they were worked out from stands: the settled parts of
the reports (see ``costing/service/snapshots.py`` for why a settled day stays true). Each is
kept under its key with the standing it was worked out from (the items, with their cost
revisions and standard costs), and counts only while that is still so. The least recently
used go first when there are too many."""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Callable, Hashable
from threading import Lock
from typing import Generic, TypeVar

V = TypeVar("V")


class Kept(Generic[V]):
    def __init__(self, most: int) -> None:
        self.most = most
        self._entries: OrderedDict[Hashable, tuple[Hashable, V]] = OrderedDict()
        self._lock = Lock()  # requests in several threads share it

    def get(self, key: Hashable, standing: Hashable) -> V | None:
        """What is kept under ``key``, if it was worked out from ``standing``."""
        with self._lock:
            found = self._entries.get(key)
            if found is None or found[0] != standing:
                return None
            self._entries.move_to_end(key)
            return found[1]

    def keep(self, key: Hashable, standing: Hashable, value: V) -> V:
        with self._lock:
            self._entries[key] = (standing, value)
            self._entries.move_to_end(key)
            while len(self._entries) > self.most:
                self._entries.popitem(last=False)
        return value

    def held(self, key: Hashable, standing: Hashable, work: Callable[[], V]) -> V:
        """What is kept under ``key`` if it was worked out from ``standing``; else what
        ``work`` gives, kept."""
        found = self.get(key, standing)
        return found if found is not None else self.keep(key, standing, work())
