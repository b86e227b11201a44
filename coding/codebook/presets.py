"""Codebook presets shipped with the app (coding/presets/*.json), in Danish and English.

A preset is a JSON object: key, name_da, name_en, description_da, description_en and
`codes`, a list of code dicts (the `codes` columns; keyword lists as lists) whose optional
`children` make the tree. A code with children is a code group.
"""

from __future__ import annotations

import functools
import json
from pathlib import Path

PRESET_DIR = Path(__file__).resolve().parent / "presets"
# In the order they are offered.
PRESETS = ("kbh_plus", "developmental_relationships", "relational_welfare", "msc_domains")


class UnknownPreset(ValueError):
    """No preset with that key."""


@functools.lru_cache(maxsize=None)
def _load(key: str) -> str:
    if key not in PRESETS:
        raise UnknownPreset(f"unknown codebook preset {key!r} (known: {', '.join(PRESETS)})")
    return (PRESET_DIR / f"{key}.json").read_text(encoding="utf-8")


def load_preset(key: str) -> dict:
    """A fresh copy of the preset `key` (safe to modify)."""
    return json.loads(_load(key))


def list_presets(lang: str = "da") -> list[tuple[str, str, str]]:
    """(key, name, description) of every preset, in `lang`."""
    result = []
    for key in PRESETS:
        data = load_preset(key)
        result.append((key, data[f"name_{lang}"], data.get(f"description_{lang}", "")))
    return result


def iter_codes(nodes: list[dict]):
    """Every code dict of a preset tree, parents first."""
    for node in nodes:
        yield node
        yield from iter_codes(node.get("children") or [])
