"""training/ner/unseen.py: the recall on names no other fold had, beside the usual one. The
sentences are fictional."""

from __future__ import annotations

import importlib.util
import sys

from stories.privacy.evaluation import REPO, parse_hard_line
from stories.privacy.name_rules import NameLexicon

TRAINING = REPO / "training" / "ner"


def _module(name: str):
    sys.path.insert(0, str(TRAINING))
    try:
        spec = importlib.util.spec_from_file_location(f"training_{name}", TRAINING / f"{name}.py")
        module = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(module)
        return module
    finally:
        sys.path.remove(str(TRAINING))


def test_names_the_lexicon_knows_are_left_out_of_the_unseen_recall():
    unseen = _module("unseen")
    first = parse_hard_line("da|{start:I} dag kom [Mette Holm] og [Dawit] forbi.").sentence
    second = parse_hard_line("da|[Sahra] ringede til [Frost].").sentence
    lexicons = [NameLexicon(person={"Mette": (4, 0)}), NameLexicon(person={"Frost": (0, 2)})]  # Frost: never a person
    text1, text2 = first.text, second.text
    found = [[(text1.index("Mette"), text1.index("Mette") + 10)],  # Mette Holm (seen), not Dawit
             [(0, 5), (text2.index("Frost"), len(text2) - 1)]]  # Sahra and Frost
    result = unseen.unseen_name_recall([first, second], found, lexicons)
    assert result == {"unseen_person_spans": 3, "unseen_name_recall": 2 / 3}  # Dawit missed; Sahra, Frost covered


def test_the_report_prints_the_unseen_recall():
    spec = importlib.util.spec_from_file_location("privacy_evaluate", TRAINING / "evaluate.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    cv = {"name_recall": 0.95, "token_precision": 0.8, "unseen_person_spans": 397, "unseen_name_recall": 0.872}
    text = module.report({"cv": {"chosen_by": "cross-validation", "cv": cv, "cv_lower_case": cv},
                          "dev": None, "dev_skipped": True, "hard": {}})
    assert "of the 397 names no other fold had, fully covered 0.872" in text


def test_a_name_in_lower_case_is_seen_when_the_lexicon_has_it_capitalised():
    unseen = _module("unseen")
    sentence = parse_hard_line("da|i dag kom [mette] og [dawit] forbi").sentence
    result = unseen.unseen_name_recall([sentence], [[]], [NameLexicon(person={"Mette": (4, 0)})])
    assert result == {"unseen_person_spans": 1, "unseen_name_recall": 0.0}  # only dawit is unseen
