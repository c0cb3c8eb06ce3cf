"""Counting metrics into a directory of a test's own, and reading them back as a scrape sees
them: ``{'name{label="value",...}': value}``."""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

import pytest
from prometheus_client.metrics_core import Metric
from prometheus_client.parser import text_string_to_metric_families

from stockkeeper.core.db import Database
from stockkeeper.core.metrics import DIRECTORY, metrics_registry


def count_into(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Path:
    """From now until the test ends, this process (and the children it starts) count into a
    new directory: every counter starts at zero."""
    directory = tmp_path / "metrics"
    directory.mkdir()
    monkeypatch.setenv(DIRECTORY, str(directory))
    return directory


def scrape(database: Database) -> dict[str, float]:
    return samples(metrics_registry(database).collect())


def parse(exposition: str) -> dict[str, float]:
    return samples(text_string_to_metric_families(exposition))


def samples(metrics: Iterable[Metric]) -> dict[str, float]:
    found = {}
    for metric in metrics:
        for sample in metric.samples:
            labels = ",".join(f'{k}="{v}"' for k, v in sorted(sample.labels.items()))
            found[f"{sample.name}{{{labels}}}" if labels else sample.name] = sample.value
    return found
