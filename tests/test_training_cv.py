"""training/ner/cv.py keeps the folds' out-of-fold scores in the repo without the corpus text, and
reads them back as the scores cv.py wrote (tune.py and stage2.py then need no fold model)."""

from __future__ import annotations

import gzip
import importlib.util
import json
import re

import pytest

from stories.privacy.evaluation import REPO, parse_hard_line

CV_SCRIPT = REPO / "training" / "ner" / "cv.py"
SENTENCES = ["da|{start:I} går var [Asta] og [Bent Nørby] i {place:Odense}.",
             "da|{start:Vi} spillede kort hos [Yusuf] til sent.",
             "da|{start:Hun} købte is."]


@pytest.fixture
def cv(tmp_path, monkeypatch):
    spec = importlib.util.spec_from_file_location("training_cv", CV_SCRIPT)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    monkeypatch.setattr(module, "CV_DIR", tmp_path / "output")
    monkeypatch.setattr(module, "KEPT_DIR", tmp_path / "oof")
    return module


def _written(cv, train, fold_of, lower):
    """Rows as cv.py writes them for fold 0: tokens with their text, made-up scores."""
    from augment import lower_case

    rows = []
    for i, sent in enumerate(train):
        if fold_of[i]:
            continue
        text = lower_case(sent).text if lower else sent.text
        tokens = [[m.start(), m.end(), m.group()] for m in re.finditer(r"\w+|\S", text)]
        rows.append({"index": i, "tokens": tokens, "per": [round(0.1 * (j % 9), 4) for j in range(len(tokens))],
                     "other": [0.0] * len(tokens)})
    path = cv.CV_DIR / "fold0" / cv.SCORE_FILES[lower]
    path.parent.mkdir(parents=True)
    path.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows), encoding="utf-8")
    return rows, path


@pytest.mark.parametrize("lower", [False, True])
def test_kept_scores_read_back_as_written_without_the_text(cv, lower):
    train = [parse_hard_line(line).sentence for line in SENTENCES]
    rows, path = _written(cv, train, [0, 1, 0], lower)
    kept = cv.keep_scores(0, lower)
    with gzip.open(kept, "rt", encoding="utf-8") as fh:
        stored = fh.read()
    assert "Asta" not in stored and "asta" not in stored and "Odense" not in stored  # no corpus text
    path.unlink()  # as on a machine where cv.py never ran
    back = list(cv.fold_scores(0, train, lower))
    assert [r["index"] for r in back] == [0, 2]
    assert [[list(t) for t in r["tokens"]] for r in back] == [r["tokens"] for r in rows]
    assert [r["per"] for r in back] == [r["per"] for r in rows]


def test_the_same_scores_keep_the_same_bytes(cv):
    train = [parse_hard_line(line).sentence for line in SENTENCES]
    _written(cv, train, [0, 1, 0], False)
    first = cv.keep_scores(0, False).read_bytes()
    assert cv.keep_scores(0, False).read_bytes() == first


def test_a_missing_fold_lexicon_is_built_without_the_fold(cv):
    train = [parse_hard_line(line).sentence for line in SENTENCES]
    path = cv.fold_lexicon_path(1, train, [0, 1, 0])
    lexicon = path.read_text(encoding="utf-8")
    assert "Asta" in lexicon and "Yusuf" not in lexicon  # fold 1 (Yusuf's sentence) left out


def test_rule_thresholds_are_measured_with_the_rules_alone(monkeypatch):
    """tune.py must not measure with the shipped second stage: it was fitted on the same words."""
    from stories.privacy import detection
    from stories.privacy.detection import _mask_for_names, score_tokens
    from stories.privacy.name_rules import NameLexicon, current_thresholds

    spec = importlib.util.spec_from_file_location("training_tune", REPO / "training" / "ner" / "tune.py")
    tune = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(tune)

    def refuse():
        raise AssertionError("tune.py used the shipped second stage")

    monkeypatch.setattr(detection, "shipped_stage", refuse)
    sentence = parse_hard_line(SENTENCES[0]).sentence
    folds = tune.Folds.__new__(tune.Folds)
    folds.items = [(sentence, score_tokens(_mask_for_names(sentence.text)), NameLexicon.load(
        detection.MODEL_DIR / "name_lexicon.json"))]
    result = folds.measure(current_thresholds())
    assert result["gold_person_spans"] == 2
