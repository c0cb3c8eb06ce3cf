"""The ceiling of a batch (``bench/batches.py``): a bare ASGI app, under the same uvicorn as
``bench/limit_app.py``'s, that replays the statements one real batch ran (``BENCH_CEILING_PLAN``)
through the sqlite3 driver on a copy of Stockkeeper's database (``BENCH_CEILING_DB``), with
fresh ids, external ids and document numbers, and answers with the batch's response. No
validation, no logic, no framework: whatever a batch does besides, it does on top of this.

Run as ``python -m uvicorn bench.batch_limit:ceiling``.
"""

from __future__ import annotations

import json
import os
import re
from functools import cache
from typing import Any

from bench.limit_app import _connection, _serve, writer_turn
from stockkeeper.core.ids import new_id

_ID = r"[a-z]+_[0-9a-hjkmnp-tv-z]{26}"  # core/ids.py: a prefix and 26 base32 characters


@cache
def _plan() -> dict[str, Any]:
    with open(os.environ["BENCH_CEILING_PLAN"]) as file:
        plan: dict[str, Any] = json.load(file)
    prefixes = sorted({re.escape(n.rstrip("0123456789")) for n in plan["numbers"]})
    plan["pattern"] = re.compile(f"{_ID}|(?:{'|'.join(prefixes)})[0-9]+")
    return plan


def _replay(_body: bytes, headers: dict[bytes, bytes]) -> bytes:
    plan = _plan()
    fresh = {old: new_id(old.partition("_")[0]) for old in plan["new_ids"]}
    fresh[plan["key"]] = headers.get(b"idempotency-key", b"").decode() or new_id("key")
    pattern: re.Pattern[str] = plan["pattern"]

    def renewed(value: Any) -> Any:
        """``value`` with every captured id, number and key replaced by this request's: one
        scan of a text for the ids and numbers inside it (the audit, events, response)."""
        if not isinstance(value, str):
            return value
        if value in fresh:
            return fresh[value]
        return pattern.sub(lambda found: fresh.get(found.group(), found.group()), value)

    counters = dict(zip(plan["counters"], plan["numbers"], strict=True))
    connection = _connection(
        "BENCH_CEILING_DB", "PRAGMA foreign_keys=ON", "PRAGMA cache_size=-32768"
    )
    with writer_turn():
        connection.execute("BEGIN IMMEDIATE")
        try:
            for n, (sql, params, many) in enumerate(plan["statements"]):
                if many:
                    connection.executemany(sql, [[renewed(v) for v in row] for row in params])
                    continue
                rows = connection.execute(sql, [renewed(v) for v in params]).fetchall()
                if n in counters:  # the number's digits at the end (ISS-2026-0001)
                    number = counters[n]
                    digits = len(number) - len(number.rstrip("0123456789"))
                    fresh[number] = f"{number[:-digits]}{rows[0][0]:0{digits}d}"
            connection.execute("COMMIT")
        except BaseException:
            connection.execute("ROLLBACK")
            raise
    return str(renewed(plan["response"])).encode()


ceiling = _serve(_replay)
