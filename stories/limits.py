"""What one imported file may cost: the import limits, each a documented default.

A file from outside can be tiny and still ask for gigabytes (a zip bomb, a sheet that
declares 17 billion cells, a code tree 5,000 levels deep). Every reader (CSV and XLSX in
`stories.tabular`, .qdpx and .qdc in `coding`) checks these limits while it reads and
stops at the first one passed, with a one-line message that names the limit. Together
they keep any file under 10 MB to well under 1 GB of memory and a minute of work.
Storing and indexing costs about 1 CPU second and 45 MB per million characters of text
(measured with bench.hostile), so `text_chars` is what keeps a small file that unpacks to
many stories within the minute and the gigabyte. The defaults are listed in README.md; a caller passes other limits with `replace()`,
e.g. `replace(DEFAULT_LIMITS, rows=100_000)` (the CLI's `--max-rows`).
"""

from __future__ import annotations

from dataclasses import dataclass

from stories.errors import UserError

MB = 1024 * 1024


@dataclass(frozen=True)
class ImportLimits:
    file_bytes: int = 50 * MB  # the file as uploaded or read from disk
    unpacked_bytes: int = 200 * MB  # all a .xlsx/.qdpx unpacks to; a member counts once per reference
    member_bytes: int = 64 * MB  # one member of a .xlsx/.qdpx (project.qde, a sheet, shared strings)
    text_member_bytes: int = 1 * MB  # one text file inside a .qdpx (a source or a note)
    ratio: int = 100  # unpacked / packed size of one zip member bigger than 1 MB
    rows: int = 50_000  # data rows (stories) in a CSV or XLSX, sources in a .qdpx
    columns: int = 1_000  # columns of a CSV or XLSX
    cells: int = 2_000_000  # cells read from a CSV or sheet, empty ones included
    text_chars: int = 12_000_000  # characters of all cells (CSV, XLSX) or source and note texts (.qdpx)
    code_depth: int = 50  # levels of a code tree in a .qdc or .qdpx
    xml_elements: int = 1_000_000  # elements of one XML document (project.qde, a .qdc)


DEFAULT_LIMITS = ImportLimits()
RATIO_FLOOR = 1 * MB  # members smaller than this unpack to at most this much, whatever their ratio


class LimitExceeded(UserError, ValueError):
    """A file passes one of the import limits; nothing was imported. `key` names the limit."""

    def __init__(self, limit: str, maximum: int, what: str = ""):
        from stories.i18n import error_message

        self.limit, self.maximum = limit, maximum
        self.key = f"limit.{limit}"
        shown = maximum // MB if limit.endswith("bytes") else maximum
        self.params = {"max": shown, "what": f"({what})" if what else ""}
        super().__init__(error_message(self, "en"))


def check_count(limit: str, count: int, limits: ImportLimits, what: str = "") -> None:
    """Raise LimitExceeded when `count` passes the limit named `limit`."""
    maximum = getattr(limits, limit)
    if count > maximum:
        raise LimitExceeded(limit, maximum, what)
