"""The learned second stage of name detection (stories/privacy/name_stage.py): its JSON form,
its scoring, and where it decides (capitalised words of Danish text; not English, not lower case).

All names are fictional.
"""

from __future__ import annotations

import json
import math
import sys
from pathlib import Path

import pytest

from stories.privacy import detection
from stories.privacy.detection import _mask_for_names, score_tokens, spans_from_scores
from stories.privacy.name_features import FEATURES, is_candidate, stage_may_add, token_features
from stories.privacy.name_rules import current_thresholds
from stories.privacy.name_stage import NameStage, StageFormatError, shipped_stage

ROOT = Path(__file__).resolve().parents[1]


def constant_stage(raw: float, threshold: float = 0.5) -> NameStage:
    """A stage whose one tree is a single leaf: every word gets sigmoid(raw)."""
    return NameStage.from_dict({"features": list(FEATURES), "init": raw, "learning_rate": 1.0,
                                "threshold": threshold,
                                "trees": [{"feature": [-1], "threshold": [0.0], "left": [-1], "right": [-1],
                                           "value": [0.0]}]})


def split_on(feature: str, cut: float, low: float, high: float) -> NameStage:
    i = FEATURES.index(feature)
    return NameStage.from_dict({"features": list(FEATURES), "init": 0.0, "learning_rate": 1.0, "threshold": 0.5,
                                "trees": [{"feature": [i, -1, -1], "threshold": [cut, 0.0, 0.0], "left": [1, -1, -1],
                                           "right": [2, -1, -1], "value": [0.0, low, high]}]})


def spans(text: str, lang: str, stage) -> list[str]:
    masked = _mask_for_names(text)
    found = spans_from_scores(score_tokens(masked), masked, detection._detector().lexicon, lang, stage=stage)
    return [text[s:e] for s, e in found]


def test_a_tree_is_walked_left_when_the_value_is_at_most_the_threshold():
    stage = split_on("first_log", 1.0, -3.0, 3.0)
    feats = dict.fromkeys(FEATURES, 0.0)
    assert stage.probability({**feats, "first_log": 1.0}) == pytest.approx(1 / (1 + math.exp(3.0)))
    assert stage.probability({**feats, "first_log": 2.5}) == pytest.approx(1 / (1 + math.exp(-3.0)))


def test_round_trip_through_json():
    stage = split_on("zipf_da", 4.0, 2.0, -2.0)
    again = NameStage.from_dict(json.loads(json.dumps(stage.to_dict())))
    assert again == stage


def test_the_gate_round_trips_and_old_files_have_none():
    stage = NameStage.from_dict({**split_on("zipf_da", 4.0, 2.0, -2.0).to_dict(), "gated_min": 0.5})
    assert stage.gated_min == 0.5
    assert NameStage.from_dict(json.loads(json.dumps(stage.to_dict()))) == stage
    old = split_on("zipf_da", 4.0, 2.0, -2.0).to_dict()
    del old["gated_min"]
    assert NameStage.from_dict(old).gated_min is None


@pytest.mark.parametrize("gated_min, p, expected", [
    (None, 0.99, False),  # no gate value: a held-back word is never added
    (0.5, 0.49, False),
    (0.5, 0.5, True),
    (0.5, 0.2, False),  # above the threshold (0.1) but below the gate
])
def test_a_word_the_rules_hold_back_is_added_only_at_the_gate(gated_min, p, expected):
    stage = NameStage((), 0.0, 1.0, (), 0.1, gated_min=gated_min)
    tokens = [(0, 3, "Han"), (4, 7, "ser"), (8, 15, "Netflix")]
    decided = stage.decide(tokens, "Han ser Netflix", [False, False, False], {2: p}, {2: False})
    assert decided == [False, False, expected]


def test_a_word_the_stage_may_add_needs_only_the_threshold():
    stage = NameStage((), 0.0, 1.0, (), 0.1, gated_min=0.5)
    tokens = [(0, 3, "Han"), (4, 7, "ser"), (8, 14, "Malthe")]
    assert stage.decide(tokens, "Han ser Malthe", [False, False, False], {2: 0.2}, {2: True}) == [False, False, True]
    assert stage.decide(tokens, "Han ser Malthe", [False, False, True], {2: 0.05}, {2: True}) == [False, False, False]


@pytest.mark.parametrize("data", [{}, {"features": [], "init": "x", "learning_rate": 1, "threshold": 0.5, "trees": []},
                                  {"features": [], "init": 0, "learning_rate": 1, "threshold": 0.5, "trees": [{}]}])
def test_a_malformed_stage_is_refused(data):
    with pytest.raises(StageFormatError):
        NameStage.from_dict(data)


def test_the_stage_decides_capitalised_words_in_danish_text():
    text = "I går kom Mikkel Rasmussen forbi og spurgte efter arbejde."
    assert spans(text, "da", None) == ["Mikkel Rasmussen"]
    assert spans(text, "da", constant_stage(-20.0)) == []  # a stage that sees no names: none
    assert "Mikkel Rasmussen" in " ".join(spans(text, "da", constant_stage(20.0)))


def test_english_stories_and_lower_case_names_keep_the_rules():
    english = "Yesterday Hassan and Emilie went to the club."
    assert spans(english, "en", constant_stage(-20.0)) == spans(english, "en", None) == ["Hassan", "Emilie"]
    lower = "i dag var mads og sofie glade"
    assert spans(lower, "da", constant_stage(-20.0)) == ["mads", "sofie"]


def decided_by_stage(text: str, lang: str = "da") -> list[str]:
    """The words whose verdict the stage can set either way, with the rules' verdict still unknown."""
    masked = _mask_for_names(text)
    tokens = score_tokens(masked).tokens
    lex = detection._detector().lexicon
    return [w for i, (_, _, w) in enumerate(tokens)
            if is_candidate(w, lang) and stage_may_add(tokens, masked, i, lex, current_thresholds(), lang)]


@pytest.mark.parametrize("text,expected", [
    ("Han kom i går med mads og Mikkel.", ["Mikkel"]),  # function words, lower case: the rules
    ("Mandag var Sofie Rasmussen i Vejle.", ["Sofie", "Rasmussen"]),  # calendar words: never names
    # a name-word opening a sentence, frequent words that are neither listed names nor known to the
    # lexicon as names (a brand, a role, a town): only the rules can make them names
    ("Hans mor så Netflix med Ida.", ["Ida"]),
    ("Vi mødte Mentor og Hans i Vejle.", ["Hans"]),
    ("Vi mødte Hans på Jobcentret.", ["Hans", "Jobcentret"]),  # frequent only as a compound: the stage
    # a frequent word opening a sentence, listed as a surname but unknown to the lexicon as a name;
    # the same word inside the sentence is the stage's to decide
    ("Smidt ud i en uge.", []),
    ("Vi ringede til Smidt i går.", ["Smidt"]),
])
def test_which_words_the_stage_may_call_names(text, expected):
    assert decided_by_stage(text) == expected


def test_function_and_calendar_words_are_never_decided_by_the_stage():
    assert not is_candidate("Han") and not is_candidate("Mandag") and not is_candidate("mads")
    assert is_candidate("Mikkel") and is_candidate("Jobcentret")


def test_features_are_numbers_for_every_name():
    text = "Hun mødte Fru Jensen i Aarhus, og Mads sagde hej."
    masked = _mask_for_names(text)
    scores = score_tokens(masked)
    flags = [False] * len(scores.tokens)
    for i, (_, _, word) in enumerate(scores.tokens):
        feats = token_features(scores.tokens, masked, scores.per, scores.other, flags, i,
                               detection._detector().lexicon, current_thresholds())
        assert set(feats) == set(FEATURES)
        assert all(isinstance(v, float) and math.isfinite(v) for v in feats.values()), word


def test_the_shipped_stage_uses_these_features():
    stage = shipped_stage()
    if stage is None:
        pytest.skip("no second stage shipped in models/ner_da/")
    assert set(stage.features) <= set(FEATURES)
    assert 0.0 < stage.threshold < 1.0


def test_export_from_scikit_learn_scores_like_scikit_learn():
    sklearn = pytest.importorskip("sklearn.ensemble")
    import numpy as np

    sys.path.insert(0, str(ROOT / "training" / "ner"))
    from stage2 import to_stage

    rng = np.random.default_rng(0)
    X = rng.normal(size=(400, len(FEATURES)))
    y = (X[:, 0] + 0.5 * X[:, 3] - X[:, 7] + rng.normal(scale=0.5, size=400) > 0).astype(int)
    clf = sklearn.GradientBoostingClassifier(n_estimators=20, max_depth=3, random_state=0).fit(X, y)
    stage = to_stage(clf, 0.5)
    rows = [dict(zip(FEATURES, row)) for row in X[:50]]
    ours = [stage.probability(r) for r in rows]
    assert np.allclose(ours, clf.predict_proba(X[:50])[:, 1], atol=1e-9)
    assert np.allclose(stage.probabilities(rows), ours, atol=1e-12)  # all words at once, the same


def test_many_words_at_once_score_as_one_at_a_time():
    stage = shipped_stage()
    if stage is None:
        pytest.skip("no second stage shipped in models/ner_da/")
    text = "Mikkel Rasmussen og Sofie så Netflix på Jobcentret i Aarhus med Fru Jensen."
    masked = _mask_for_names(text)
    scores = score_tokens(masked)
    lex = detection._detector().lexicon
    flags = [False] * len(scores.tokens)
    rows = [token_features(scores.tokens, masked, scores.per, scores.other, flags, i, lex, current_thresholds())
            for i in range(len(scores.tokens))]
    assert stage.probabilities(rows) == pytest.approx([stage.probability(r) for r in rows], abs=1e-12)
    assert stage.probabilities([]) == []
