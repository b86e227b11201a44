"""The learned second stage of name detection: is this capitalised word part of a person's name?

A small gradient-boosted tree ensemble (scikit-learn at training time, ``training/ner/stage2.py``),
stored as plain JSON beside the NER model (``models/ner_da/name_stage.json``: the features' names,
each tree's split features, thresholds and leaf values, and the decision threshold chosen by
cross-validation on the train split). Scoring is plain Python: no pickle, nothing to import.
"""

from __future__ import annotations

import functools
import json
import math
import struct
from dataclasses import dataclass
from pathlib import Path

from stories.privacy.name_rules import adjacent

MODEL_DIR = Path(__file__).resolve().parents[2] / "models" / "ner_da"
STAGE_FILE = "name_stage.json"


class StageFormatError(ValueError):
    """The second stage's JSON file is not in the expected form."""


@dataclass(frozen=True)
class _Tree:
    feature: tuple[int, ...]  # -1 at a leaf
    threshold: tuple[float, ...]
    left: tuple[int, ...]
    right: tuple[int, ...]
    value: tuple[float, ...]

    def predict(self, x: list[float]) -> float:
        node = 0
        while self.feature[node] >= 0:
            node = self.left[node] if x[self.feature[node]] <= self.threshold[node] else self.right[node]
        return self.value[node]


def _depth(tree: _Tree, node: int = 0) -> int:
    if tree.feature[node] < 0:
        return 0
    return 1 + max(_depth(tree, tree.left[node]), _depth(tree, tree.right[node]))


_ARRAYS: dict[int, tuple] = {}  # id(stage) -> (stage, its trees as padded numpy arrays)


@dataclass(frozen=True)
class NameStage:
    features: tuple[str, ...]
    init: float
    learning_rate: float
    trees: tuple[_Tree, ...]
    threshold: float  # a word is a name when its probability reaches this
    # span level: a word next to a name word this probable joins the name when its own probability
    # reaches extend_min ("Jesper Bank", "Dan M."); None: no extension
    extend_anchor: float | None = None
    extend_min: float = 0.0
    # a word the stage may not add by default (``may_add`` False: a frequent unlisted word, a
    # name-word opening a sentence) is added when its probability reaches this; None: never
    gated_min: float | None = None

    @classmethod
    def from_dict(cls, data: dict) -> "NameStage":
        try:
            trees = tuple(_Tree(tuple(t["feature"]), tuple(t["threshold"]), tuple(t["left"]), tuple(t["right"]),
                                tuple(t["value"])) for t in data["trees"])
            anchor = data.get("extend_anchor")
            gated = data.get("gated_min")
            return cls(tuple(data["features"]), float(data["init"]), float(data["learning_rate"]), trees,
                       float(data["threshold"]), None if anchor is None else float(anchor),
                       float(data.get("extend_min", 0.0)), None if gated is None else float(gated))
        except (KeyError, TypeError, ValueError) as exc:
            raise StageFormatError(f"not a name stage: {exc}") from exc

    def to_dict(self) -> dict:
        return {"features": list(self.features), "init": self.init, "learning_rate": self.learning_rate,
                "threshold": self.threshold, "extend_anchor": self.extend_anchor, "extend_min": self.extend_min,
                "gated_min": self.gated_min,
                "trees": [{"feature": list(t.feature), "threshold": list(t.threshold), "left": list(t.left),
                           "right": list(t.right), "value": list(t.value)} for t in self.trees]}

    def probability(self, features: dict[str, float]) -> float:
        # scikit-learn's trees compare features as 32-bit floats: so do these, or a value on a split's
        # edge goes the other way
        x = [_float32(features[n]) for n in self.features]
        raw = self.init + self.learning_rate * sum(t.predict(x) for t in self.trees)
        return 1.0 / (1.0 + math.exp(-max(-40.0, min(40.0, raw))))

    def probabilities(self, rows: list[dict[str, float]]) -> list[float]:
        """``probability`` for many words at once: all trees walked together with numpy."""
        if not rows:
            return []
        import numpy as np

        feature, threshold, left, right, value, depth = self._arrays()
        x = np.array([[r[n] for n in self.features] for r in rows], dtype=np.float32)  # words x features, as sklearn
        trees = np.arange(feature.shape[0])[:, None]
        node = np.zeros((feature.shape[0], len(rows)), dtype=np.int64)  # trees x words
        words = np.arange(len(rows))[None, :]
        for _ in range(depth):
            f = feature[trees, node]
            leaf = f < 0
            go_left = x[words, np.where(leaf, 0, f)] <= threshold[trees, node]
            node = np.where(leaf, node, np.where(go_left, left[trees, node], right[trees, node]))
        raw = self.init + self.learning_rate * value[trees, node].sum(axis=0)
        return list(1.0 / (1.0 + np.exp(-np.clip(raw, -40.0, 40.0))))

    def _arrays(self):
        cached = _ARRAYS.get(id(self))
        if cached is None or cached[0] is not self:
            import numpy as np

            width = max(len(t.feature) for t in self.trees)

            def pad(values, fill, dtype):
                return np.array([list(v) + [fill] * (width - len(v)) for v in values], dtype=dtype)

            arrays = (pad([t.feature for t in self.trees], -1, np.int64),
                      pad([t.threshold for t in self.trees], 0.0, np.float64),
                      pad([t.left for t in self.trees], 0, np.int64),
                      pad([t.right for t in self.trees], 0, np.int64),
                      pad([t.value for t in self.trees], 0.0, np.float64),
                      max(_depth(t) for t in self.trees))
            cached = _ARRAYS[id(self)] = (self, arrays)
        return cached[1]


    def decide(self, tokens: list[tuple[int, int, str]], text: str, rule_flags: list[bool],
               probs: dict[int, float], may_add: dict[int, bool]) -> list[bool]:
        """Per token: in a name? ``probs`` holds the stage's probability of each word it decides,
        ``may_add`` whether it may make that word a name against the rules at its threshold (else
        only when the probability reaches ``gated_min``)."""
        decided = list(rule_flags)
        for i, p in probs.items():
            if rule_flags[i] or may_add[i]:
                decided[i] = p >= self.threshold
            elif self.gated_min is not None and p >= self.gated_min:
                decided[i] = True
        if self.extend_anchor is not None:
            anchors = [i for i, p in probs.items() if decided[i] and p >= self.extend_anchor]
            for i in anchors:
                for j in (i - 1, i + 1):
                    if j in probs and not decided[j] and may_add[j] and probs[j] >= self.extend_min \
                            and adjacent(tokens, text, min(i, j), max(i, j)):
                        decided[j] = True
        return decided


@functools.lru_cache(maxsize=1)
def shipped_stage() -> NameStage | None:
    """The shipped second stage, or None (then the rule layer alone decides)."""
    path = MODEL_DIR / STAGE_FILE
    if not path.is_file():
        return None
    return NameStage.from_dict(json.loads(path.read_text(encoding="utf-8")))


def _float32(v: float) -> float:
    return struct.unpack("f", struct.pack("f", v))[0]
