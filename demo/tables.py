"""The demo generator's data: place names, people's names, institution names, topics and parameters, read from
demo/data/*.yaml (lists become tuples, so a table cannot be changed by the code that reads it)."""

from __future__ import annotations

import functools
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

import yaml

DATA_DIR = Path(__file__).resolve().parent / "data"


def _frozen(value: Any) -> Any:
    if isinstance(value, list):
        return tuple(_frozen(v) for v in value)
    if isinstance(value, dict):
        return {k: _frozen(v) for k, v in value.items()}
    return value


@functools.cache
def load(name: str) -> dict[str, Any]:
    """demo/data/`name`.yaml as a dict whose lists are tuples."""
    with open(DATA_DIR / f"{name}.yaml", encoding="utf-8") as f:
        data = _frozen(yaml.safe_load(f))
    if not isinstance(data, dict):
        raise ValueError(f"{name}.yaml: expected a mapping")
    return data


def by_kind(table: Mapping[str, Any], kinds: Sequence[str]) -> dict[int, Any]:
    """{institution type code: value} as {index of the type in `kinds`: value}, in the order of `kinds`."""
    if sorted(table) != sorted(kinds):
        raise ValueError(f"expected exactly the institution types {list(kinds)}, got {sorted(table)}")
    return {kinds.index(k): table[k] for k in kinds}
