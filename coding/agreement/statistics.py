"""The agreement statistics on plain lists of ratings (the reference definitions the array
computation in `coding.agreement.table` is tested against), and Cohen's kappa of two yes/no arrays."""

from __future__ import annotations

import itertools
import math
from collections import Counter, defaultdict
from collections.abc import Hashable, Sequence


def percent_agreement(units: Sequence[Sequence[Hashable | None]]) -> float | None:
    """Mean share of agreeing coder pairs per unit, over units rated by at least two coders."""
    shares = []
    for ratings in units:
        values = [v for v in ratings if v is not None]
        if len(values) < 2:
            continue
        pairs = list(itertools.combinations(values, 2))
        shares.append(sum(a == b for a, b in pairs) / len(pairs))
    return sum(shares) / len(shares) if shares else None


def cohen_kappa(a: Sequence[Hashable], b: Sequence[Hashable]) -> float | None:
    """Cohen's kappa of two coders' ratings of the same units (None when undefined)."""
    if len(a) != len(b):
        raise ValueError("both coders must rate the same units")
    n = len(a)
    if n == 0:
        return None
    observed = sum(x == y for x, y in zip(a, b)) / n
    count_a, count_b = Counter(a), Counter(b)
    expected = sum(count_a[c] * count_b[c] for c in set(count_a) | set(count_b)) / (n * n)
    if math.isclose(expected, 1.0):
        return None
    return (observed - expected) / (1 - expected)


def krippendorff_alpha(reliability_data: Sequence[Sequence[Hashable | None]]) -> float | None:
    """Krippendorff's alpha for nominal data: rows are coders, columns units, None is missing.

    Units with fewer than two values are not pairable and ignored; None when undefined
    (fewer than two pairable values, or only one value in use).
    """
    if not reliability_data:
        return None
    coincidences: dict[tuple, float] = defaultdict(float)
    for column in zip(*reliability_data):
        values = [v for v in column if v is not None]
        m = len(values)
        if m < 2:
            continue
        counts = Counter(values)
        for c, k in itertools.product(counts, repeat=2):
            pairs = counts[c] * (counts[k] - (c == k))
            if pairs:
                coincidences[(c, k)] += pairs / (m - 1)
    totals: Counter = Counter()
    for (c, _), o in coincidences.items():
        totals[c] += o
    n = sum(totals.values())
    if n < 2:
        return None
    disagreement = sum(o for (c, k), o in coincidences.items() if c != k)
    expected = sum(totals[c] * totals[k] for c in totals for k in totals if c != k)
    if expected == 0:
        return None
    return 1 - (n - 1) * disagreement / expected


def binary_kappa(np, a, b) -> float | None:
    """`cohen_kappa` of two yes/no arrays."""
    n = len(a)
    if n == 0:
        return None
    observed = float(np.mean(a == b))
    pa, pb = float(np.mean(a)), float(np.mean(b))
    expected = pa * pb + (1 - pa) * (1 - pb)
    if math.isclose(expected, 1.0):
        return None
    return (observed - expected) / (1 - expected)
