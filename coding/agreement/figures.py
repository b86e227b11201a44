"""What an agreement report holds: figures per code and overall, the disagreements, the coders."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass
class Figures:
    """Agreement on one code (code_id None: all codes pooled)."""

    code_id: int | None
    units: int  # units rated by at least two coders
    percent: float | None
    kappa: float | None  # with exactly two coders
    alpha: float | None
    applied: dict[str, int] = field(default_factory=dict)  # coder -> units they applied the code to


@dataclass
class Disagreement:
    unit: tuple  # (seq,) or (seq, start, end)
    codes: list[int]  # the codes the coders disagree on
    by_coder: dict[str, set[int]]


@dataclass
class AgreementReport:
    level: str
    coders: list[str]
    per_code: list[Figures]
    overall: Figures
    pairwise_kappa: dict[tuple[str, str], float | None]
    disagreements: list[Disagreement]
    units_by_coder: dict[str, int]
