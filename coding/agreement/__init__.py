"""Inter-coder agreement: percent agreement, Cohen's kappa and Krippendorff's alpha (nominal).

Each code is a yes/no decision per unit. At story level the unit is a story and a coder
says "yes" when they applied the code anywhere in it (whole story or a passage); at
sentence level the unit is a stored sentence and "yes" means a passage coding of the
code overlaps it. Only coders who finished (saved) a story rate its units; other coders
are missing there, which Krippendorff's alpha allows. Reconciled codings never count.
The overall figures pool every (unit, code) decision.
"""

from coding.agreement.figures import AgreementReport, Disagreement, Figures
from coding.agreement.ratings import LEVELS, Ratings, gather
from coding.agreement.report import agreement_report, clear_cache, compute_report, data_version, disagreeing_stories
from coding.agreement.statistics import cohen_kappa, krippendorff_alpha, percent_agreement
from coding.agreement.table import Table

__all__ = [
    "LEVELS", "AgreementReport", "Disagreement", "Figures", "Ratings", "Table", "agreement_report", "clear_cache",
    "cohen_kappa", "compute_report", "data_version", "disagreeing_stories", "gather", "krippendorff_alpha",
    "percent_agreement",
]
