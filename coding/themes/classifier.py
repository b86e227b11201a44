"""Per-code classifiers learned from the coded stories, and their cross-validated quality.

Training data: stories that carry at least one code (`story_codes`), not deleted or
withdrawn; a code is learned once MIN_STORIES of them carry it (and some do not).
Features: TF-IDF of the stored lemma counts, stop words left out, lemmas in at least two
training stories. Model: logistic regression with balanced class weights. Quality is
cached per process until codings, the stop list or the database change. Models are
retrained when the stop list or the database change, or once the codings have grown or
shrunk by more than RETRAIN_SHARE (at least RETRAIN_MIN codings) since they were trained:
one more coding changes a model trained on thousands of stories too little to wait for.
Training runs in a background thread with its own connection, and the coding page suggests
from keywords until the models are ready, whenever it would hold up a page: on a large
corpus, and before scikit-learn is imported in this process (the import takes about a
second, and it is most of a small corpus's first training: 0.7 s CPU against 0.04 s for
fitting 1,000 stories). Once it is imported, a small corpus is trained in the call.
"""

from __future__ import annotations

import logging
import sys
import threading
from dataclasses import dataclass, field

import numpy as np
from sqlite_utils import Database

MIN_STORIES = 20
MIN_NEGATIVES = 5
MAX_TRAIN = 4000  # stories sampled for training on a big corpus
FOLDS = 5
TOP_WORDS = 5
RETRAIN_SHARE = 0.05
RETRAIN_MIN = 20
MODEL_ENTRIES = 4  # databases whose models a process keeps
BACKGROUND_FROM = 5000  # codings: from here on, (re)training does not hold up a page
LEARNER_MODULES = ("sklearn.linear_model", "sklearn.feature_extraction.text")

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Quality:
    code_id: int
    positives: int  # coded stories carrying the code
    stories: int  # coded stories used
    precision: float | None  # cross-validated, None when the code is not learned
    recall: float | None


@dataclass
class CodeModels:
    columns: np.ndarray = field(default_factory=lambda: np.zeros(0, np.int64))  # lemma ids used as features
    idf: np.ndarray = field(default_factory=lambda: np.zeros(0))
    lemmas: np.ndarray = field(default_factory=lambda: np.zeros(0, dtype=object))  # lemma text of each column
    models: dict = field(default_factory=dict)  # code id -> LogisticRegression
    counts: dict = field(default_factory=dict)  # code id -> stories carrying it (all coded stories)

    def features(self, ids: np.ndarray, counts: np.ndarray) -> np.ndarray:
        """The TF-IDF vector (1 x columns) of one story's stored lemma counts."""
        vector = np.zeros(len(self.columns))
        pos = np.searchsorted(self.columns, ids)
        ok = (pos < len(self.columns)) & (self.columns[np.minimum(pos, len(self.columns) - 1)] == ids)
        vector[pos[ok]] = 1.0 + np.log(counts[ok].astype(float))
        vector *= self.idf
        norm = np.linalg.norm(vector)
        return (vector / norm if norm else vector).reshape(1, -1)

    def score(self, code_id: int, ids: np.ndarray, counts: np.ndarray) -> tuple[float, list[str]]:
        model = self.models[code_id]
        x = self.features(ids, counts)
        probability = float(model.predict_proba(x)[0, 1])
        weights = x[0] * model.coef_[0]
        top = [i for i in np.argsort(-weights)[:TOP_WORDS] if weights[i] > 0]
        return probability, [str(self.lemmas[i]) for i in top]


def _version(db: Database) -> tuple:
    from coding.themes.summary import data_version

    version = data_version(db)
    return version[0], version[3], version[4], version[5]  # token, stop list, codings, reconciliations


def training_data(db: Database, seed: int = 1):
    """(tf-idf matrix, label matrix, code ids, columns, idf, lemma texts) of the coded stories."""
    from sklearn.feature_extraction.text import TfidfTransformer

    from coding.nlp.lemma_matrix import load_matrix
    from coding.themes.words import content_mask

    from coding.themes.code_stats import corpus_code_pairs, pairs_of

    live = np.array([r[0] for r in db.execute(
        "SELECT seq FROM stories WHERE deleted_at IS NULL AND consent_withdrawn_at IS NULL ORDER BY seq")], np.int64)
    pairs = pairs_of(corpus_code_pairs(db), live)  # the kept pairs the themes page reads too
    matrix = load_matrix(db)
    seqs = np.unique(pairs[:, 0])
    seqs = seqs[np.isin(seqs, matrix.seqs)]
    if len(seqs) > MAX_TRAIN:
        seqs = np.sort(np.random.default_rng(seed).choice(seqs, MAX_TRAIN, replace=False))
    code_ids = np.unique(pairs[:, 1])
    labels = np.zeros((len(seqs), len(code_ids)), dtype=np.int8)
    keep = np.isin(pairs[:, 0], seqs)
    labels[np.searchsorted(seqs, pairs[keep, 0]), np.searchsorted(code_ids, pairs[keep, 1])] = 1
    x = matrix.counts[matrix.rows(seqs)].astype(np.float64)
    x = x.multiply(content_mask(db, matrix)).tocsr()
    df = np.asarray((x > 0).sum(axis=0)).ravel()
    columns = np.flatnonzero(df >= 2)
    x = x[:, columns]
    tfidf = TfidfTransformer(sublinear_tf=True)
    x = tfidf.fit_transform(x) if x.shape[0] and x.shape[1] else x
    idf = tfidf.idf_ if hasattr(tfidf, "idf_") else np.ones(len(columns))
    return x, labels, code_ids, columns, idf, matrix.lemmas[columns]


def _learnable(labels: np.ndarray) -> np.ndarray:
    positives = labels.sum(axis=0)
    return (positives >= MIN_STORIES) & (len(labels) - positives >= MIN_NEGATIVES)


def _new_model():
    from sklearn.linear_model import LogisticRegression

    return LogisticRegression(class_weight="balanced", solver="liblinear", C=2.0, max_iter=200)


_MODELS: dict[tuple, tuple[int, CodeModels]] = {}  # (token, stop list) -> (codings trained on, models)
_TRAINING: set[tuple] = set()
_FAILED: set[tuple] = set()  # (token, stop list, codings) whose background training failed: not retried
_QUALITY: dict[tuple, list[Quality]] = {}
_LOCK = threading.Lock()


def _model_key(db: Database) -> tuple[tuple, int]:
    token, stop, codings, reconciled = _version(db)
    return (token, stop), int(codings[0]) + int(reconciled[0])


def _train(db: Database) -> CodeModels:
    base, size = _model_key(db)
    x, labels, code_ids, columns, idf, lemmas = training_data(db)
    models = CodeModels(columns, idf, lemmas, {}, {int(c): int(n) for c, n in zip(code_ids, labels.sum(axis=0))})
    if x.shape[1]:
        for j in np.flatnonzero(_learnable(labels)):
            models.models[int(code_ids[j])] = _new_model().fit(x, labels[:, j])
    with _LOCK:
        for key in [k for k in _MODELS if k[0] == base[0] and k != base]:
            del _MODELS[key]  # an older stop list of this database
        _MODELS[base] = (size, models)
        while len(_MODELS) > MODEL_ENTRIES:
            del _MODELS[next(iter(_MODELS))]
    return models


def _database_file(db: Database) -> str | None:
    rows = db.execute("PRAGMA database_list").fetchall()
    return next((r[2] for r in rows if r[1] == "main" and r[2]), None)


def _train_in_background(path: str, base: tuple, size: int) -> None:
    from stories.db import open_database

    def run() -> None:
        own = open_database(path)
        try:
            _train(own)
        except Exception:  # the page keeps suggesting from keywords; logged, not retried for these codings
            log.exception("training the suggestion classifiers failed")
            with _LOCK:
                _FAILED.add((*base, size))
        finally:
            own.conn.close()
            with _LOCK:
                _TRAINING.discard(base)

    with _LOCK:
        if base in _TRAINING or (*base, size) in _FAILED:
            return
        _TRAINING.add(base)
    threading.Thread(target=run, name="changestories-train", daemon=True).start()


def learner_loaded() -> bool:
    """scikit-learn's modules the training needs are imported in this process already."""
    return all(name in sys.modules for name in LEARNER_MODULES)


def training(db: Database) -> bool:
    """The classifiers of this database are being trained in the background now."""
    base, _ = _model_key(db)
    with _LOCK:
        return base in _TRAINING


def trained_models(db: Database, *, wait: bool | None = None) -> CodeModels | None:
    """The classifiers of the codes that can be learned now.

    Cached, and retrained only once the codings changed by more than RETRAIN_SHARE (see the
    module's docstring). `wait=False` never trains in this call: it starts the training in
    a background thread and returns the models trained before (None when there are none
    yet). The default waits only where that is quick: a small corpus (BACKGROUND_FROM) once
    scikit-learn is imported; and always for a database without a file (no second connection).
    """
    base, size = _model_key(db)
    with _LOCK:
        trained = _MODELS.get(base)
    if trained and abs(size - trained[0]) <= max(RETRAIN_MIN, RETRAIN_SHARE * trained[0]):
        return trained[1]
    path = _database_file(db)
    if wait is None:
        wait = size < BACKGROUND_FROM and learner_loaded()
    if wait or path is None:
        return _train(db)
    _train_in_background(path, base, size)
    return trained[1] if trained else None


def code_quality(db: Database) -> list[Quality]:
    """Cross-validated precision and recall (FOLDS folds) of each code's classifier."""
    from sklearn.metrics import precision_score, recall_score
    from sklearn.model_selection import StratifiedKFold, cross_val_predict

    key = _version(db)
    if key in _QUALITY:
        return _QUALITY[key]
    x, labels, code_ids, *_ = training_data(db)
    learnable = _learnable(labels) if len(labels) else np.zeros(len(code_ids), bool)
    result = []
    for j, code_id in enumerate(code_ids.tolist()):
        positives = int(labels[:, j].sum())
        if not learnable[j] or not x.shape[1]:
            result.append(Quality(code_id, positives, len(labels), None, None))
            continue
        folds = StratifiedKFold(n_splits=min(FOLDS, positives, len(labels) - positives), shuffle=True, random_state=1)
        predicted = cross_val_predict(_new_model(), x, labels[:, j], cv=folds)
        result.append(Quality(code_id, positives, len(labels),
                              float(precision_score(labels[:, j], predicted, zero_division=0)),
                              float(recall_score(labels[:, j], predicted, zero_division=0))))
    with _LOCK:
        _QUALITY.clear()
        _QUALITY[key] = result
    return result
