"""Convert IOB2 NER files (with ``# text`` lines) to spaCy DocBin files.

Each sentence is re-tokenised from its original text with the blank Danish
tokenizer (the one the shipped model uses at run time); gold entities are
mapped from the IOB2 tokens' character offsets onto those tokens.

    python training/ner/convert.py IN.iob2 OUT.spacy [--labels PER,LOC,ORG]
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

import spacy
from spacy.tokens import DocBin

REPO = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(REPO))

from stories.privacy.evaluation import read_iob2  # noqa: E402


def convert(src: Path, dest: Path, labels: set[str] | None = None) -> dict:
    return to_docbin(read_iob2(src), dest, labels)


def to_docbin(sentences, dest: Path, labels: set[str] | None = None) -> dict:
    """Write sentences (``stories.privacy.evaluation.Sentence``) as a spaCy DocBin."""
    nlp = spacy.blank("da")
    db = DocBin(store_user_data=False)
    stats = {"sentences": 0, "entities": 0, "expanded": 0, "dropped": 0}
    for sent in sentences:
        doc = nlp.make_doc(sent.text)
        ents = []
        for start, end, label in sent.spans():
            if labels and label not in labels:
                continue
            span = doc.char_span(start, end, label=label)
            if span is None:
                span = doc.char_span(start, end, label=label, alignment_mode="expand")
                stats["expanded"] += 1
            if span is None or any(span.start < e.end and e.start < span.end for e in ents):
                stats["dropped"] += 1
                continue
            ents.append(span)
        doc.ents = ents
        db.add(doc)
        stats["sentences"] += 1
        stats["entities"] += len(ents)
    dest.parent.mkdir(parents=True, exist_ok=True)
    db.to_disk(dest)
    return stats


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("src", type=Path)
    ap.add_argument("dest", type=Path)
    ap.add_argument("--labels", default="", help="comma-separated labels to keep (default: all)")
    args = ap.parse_args()
    labels = {x for x in args.labels.split(",") if x} or None
    print(args.src.name, convert(args.src, args.dest, labels))


if __name__ == "__main__":
    main()
