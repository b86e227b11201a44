"""Reading CSV and XLSX files into rows, whatever their encoding and delimiter.

Every character of every cell comes through exactly, or the file is refused with a
message that names the line. CSV: the encoding is decided once for the whole file
(UTF-8 with or without BOM, UTF-16 with BOM, else Windows-1252; a UTF-8 file with a
line in another encoding is refused naming that line, never decoded as mojibake), the
delimiter is detected by CleverCSV, and the file is parsed strictly (RFC 4180 quoting,
doubled quotes): a quote that never closes, or text after a closing quote, is refused
naming the line where its record starts; a row with more filled fields than the header
is refused too. XLSX: the archive's sizes are checked before it is opened, the sheet is
streamed (openpyxl read-only) without trusting its declared dimension, and damaged XML
or zip data is refused. Rows, columns and cells stop at the import limits.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
from dataclasses import dataclass
from pathlib import Path

from stories.errors import UserError
from stories.limits import DEFAULT_LIMITS, ImportLimits, LimitExceeded, check_count
from stories.safe_zip import ZIP_ERRORS, DamagedArchive, NotAnArchive, open_archive

DELIMITERS = (",", ";", "\t")
# A UTF-8 encoded character of two to four bytes (a Windows-1252 text almost never holds one).
UTF8_SEQUENCE = re.compile(rb"[\xc2-\xdf][\x80-\xbf]|\xe0[\xa0-\xbf][\x80-\xbf]|[\xe1-\xec\xee\xef][\x80-\xbf]{2}"
                           rb"|\xed[\x80-\x9f][\x80-\xbf]|\xf0[\x90-\xbf][\x80-\xbf]{2}|[\xf1-\xf3][\x80-\xbf]{3}"
                           rb"|\xf4[\x80-\x8f][\x80-\xbf]{2}")  # RFC 3629: no surrogates, nothing past U+10FFFF
SAMPLE_CHARS = 64 * 1024  # what CleverCSV looks at to detect the dialect
EXCEL_MAX_ROWS = 1_048_576
NO_DELIMITER = "\x1f"
LINE = re.compile(r"[^\r\n]*(?:\r\n|\r|\n)|[^\r\n]+\Z")  # a physical line with its ending, as open(newline="") reads it  # a one-column file: a character no text may hold (a control character)


class UnreadableFile(UserError):
    """The file is not a CSV or XLSX table we can read; `reason` names why."""

    REASONS = ("binary", "encoding", "encoding_line", "xlsx", "xlsx_damaged", "empty", "quote", "fields",
               "duplicate_column")

    def __init__(self, reason: str, detail: str = "", **params):
        from stories.i18n import t

        self.reason = reason if reason in self.REASONS else "other"
        self.detail = detail or reason
        self.key = f"error.unreadable.{self.reason}"
        self.params = {"detail": self.detail, **params}
        super().__init__(t(self.key, "en", **self.params))


@dataclass
class Table:
    headers: list[str]
    rows: list[tuple[int, dict[str, object]]]  # (line number in the file, values by header)


def decode(data: bytes) -> str:
    """UTF-8 (with or without BOM), UTF-16 with BOM (Excel's "Unicode text"), else
    Windows-1252 for the whole file; refuses binary data, and a UTF-8 file with a line in
    another encoding (naming the line)."""
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            return data.decode("utf-16")
        except UnicodeDecodeError as exc:
            raise UnreadableFile("encoding") from exc
    if b"\x00" in data[:65536]:
        raise UnreadableFile("binary")
    bom = data.startswith(b"\xef\xbb\xbf")
    if bom:
        data = data[3:]
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    first_bad, utf8 = None, bom
    for number, line in enumerate(data.split(b"\n"), start=1):
        if line.isascii():
            continue
        try:
            line.decode("utf-8")
        except UnicodeDecodeError:
            first_bad = first_bad or number
            utf8 = utf8 or UTF8_SEQUENCE.search(line) is not None  # "Søren" in UTF-8 beside "Åse" in cp1252
        else:
            utf8 = True
    if utf8:  # a UTF-8 file with lines in another encoding: refuse, never decode it all as cp1252
        raise UnreadableFile("encoding_line", line=first_bad)
    try:
        text = data.decode("cp1252")
    except UnicodeDecodeError as exc:
        raise UnreadableFile("encoding") from exc
    controls = sum(1 for ch in text[:65536] if ord(ch) < 32 and ch not in "\r\n\t")
    if controls:
        raise UnreadableFile("binary")
    return text


def detect_delimiter(text: str) -> str:
    """The delimiter CleverCSV finds in the start of the file, checked against the header
    line (which must hold it, unless the file has one column)."""
    import clevercsv

    sample = text[:SAMPLE_CHARS]
    if len(text) > SAMPLE_CHARS and "\n" in sample:
        sample = sample[: sample.rindex("\n") + 1]
    header = text.split("\n", 1)[0]
    try:
        dialect = clevercsv.Detector().detect(sample, delimiters=list(DELIMITERS))
    except Exception:  # noqa: BLE001 - detection is a guess; the header line decides below
        dialect = None
    if dialect is not None and dialect.delimiter in DELIMITERS and dialect.delimiter in header:
        return dialect.delimiter
    counts = {d: header.count(d) for d in DELIMITERS}
    best = max(counts, key=counts.get)
    return best if counts[best] else NO_DELIMITER


def _read_csv(data: bytes, limits: ImportLimits) -> Table:
    text = decode(data)
    delimiter = detect_delimiter(text)
    lines = (match.group(0) for match in LINE.finditer(text))  # lazily: no second copy of the text
    reader = csv.reader(lines, delimiter=delimiter, quotechar='"', doublequote=True,
                        escapechar=None, skipinitialspace=False, strict=True)
    line = 0

    def records():
        nonlocal line
        while True:
            start = line + 1
            try:
                values = next(reader)
            except StopIteration:
                return
            except csv.Error as exc:
                raise UnreadableFile("quote", str(exc), line=start) from None
            line = reader.line_num
            yield start, values

    rows_iter = records()
    try:
        _, first = next(rows_iter)
    except StopIteration:
        raise UnreadableFile("empty") from None
    headers = _headers(first, limits)
    named = any(headers)
    cells = len(headers)
    rows = []
    chars = sum(map(len, first))
    for start, values in rows_iter:
        cells += len(values)
        check_count("cells", cells, limits)
        chars += sum(map(len, values))
        check_count("text_chars", chars, limits)
        if named and len(values) > len(headers) and any(v.strip() for v in values[len(headers):]):
            raise UnreadableFile("fields", line=start, n=len(values), m=len(headers))
        if not any(v.strip() for v in values):
            continue
        rows.append((start, dict(zip(headers, values + [""] * (len(headers) - len(values))))))
        check_count("rows", len(rows), limits)
    return Table(headers, rows)


def _headers(values, limits: ImportLimits) -> list[str]:
    check_count("columns", len(values), limits)
    headers = ["" if h is None else str(h).strip() for h in values]
    seen: set[str] = set()
    for header in headers:
        if header and header in seen:
            raise UnreadableFile("duplicate_column", column=header)
        seen.add(header)
    return headers


def _read_xlsx(data: bytes, limits: ImportLimits) -> Table:
    from openpyxl import load_workbook

    try:
        open_archive(data, "the .xlsx file", limits).close()
    except NotAnArchive:
        raise UnreadableFile("xlsx") from None
    except DamagedArchive as exc:
        raise UnreadableFile("xlsx_damaged", exc.params["detail"]) from None
    try:
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
        sheet = workbook.worksheets[0]
    except (SyntaxError, *ZIP_ERRORS) as exc:  # damaged XML or zip data
        raise UnreadableFile("xlsx_damaged", _first_line(exc)) from None
    except Exception as exc:  # noqa: BLE001 - openpyxl raises many kinds for a file that is no workbook
        raise UnreadableFile("xlsx") from exc
    try:
        sheet.reset_dimensions()  # never trust the declared size (A1:XFD1048576 is 17 billion cells)
        return _sheet_table(sheet.iter_rows(values_only=True), limits)
    except (UnreadableFile, LimitExceeded):
        raise
    except (SyntaxError, *ZIP_ERRORS, KeyError, ValueError, TypeError, IndexError) as exc:
        raise UnreadableFile("xlsx_damaged", _first_line(exc)) from None
    finally:
        workbook.close()


def _sheet_table(rows_iter, limits: ImportLimits) -> Table:
    """The rows openpyxl streams from a sheet, stopped at the limits. Its row numbers are
    the sheet's (missing rows come as empty tuples)."""
    try:
        headers = _headers(next(rows_iter), limits)
    except StopIteration:
        raise UnreadableFile("empty") from None
    named = any(headers)
    cells, chars = len(headers), sum(map(len, headers))
    rows = []
    for number, values in enumerate(rows_iter, start=2):
        if number > EXCEL_MAX_ROWS:
            raise UnreadableFile("xlsx_damaged", f"a row after Excel's last row ({EXCEL_MAX_ROWS})")
        if not values:
            continue
        cells += len(values)
        if cells > limits.cells:
            raise LimitExceeded("cells", limits.cells)
        chars += sum(len(v) if isinstance(v, str) else 8 for v in values if v is not None)
        if chars > limits.text_chars:
            raise LimitExceeded("text_chars", limits.text_chars)
        if named and len(values) > len(headers) and any(_filled(v) for v in values[len(headers):]):
            raise UnreadableFile("fields", line=number, n=len(values), m=len(headers))
        if not any(_filled(v) for v in values):
            continue
        rows.append((number, {h: ("" if v is None else v) for h, v in zip(headers, values)}))
        if len(rows) > limits.rows:
            raise LimitExceeded("rows", limits.rows)
    return Table(headers, rows)


def _first_line(exc: BaseException) -> str:
    return str(exc).splitlines()[0] if str(exc) else type(exc).__name__


def _filled(value: object) -> bool:
    return value is not None and str(value).strip() != ""


def read_table(path: str | Path, data: bytes | None = None, *, limits: ImportLimits = DEFAULT_LIMITS) -> Table:
    """Rows of a .csv or .xlsx file (by content: an XLSX is a zip)."""
    path = Path(path)
    size = path.stat().st_size if data is None else len(data)
    check_count("file_bytes", size, limits, path.name)
    if data is None:
        data = path.read_bytes()
    if data.startswith(b"PK\x03\x04"):
        return _read_xlsx(data, limits)
    if path.suffix.lower() in (".xlsx", ".xlsm"):
        raise UnreadableFile("xlsx")
    return _read_csv(data, limits)


def cell_text(value: object) -> str:
    """A cell as text: dates as ISO dates, whole floats without '.0'."""
    if value is None:
        return ""
    if isinstance(value, dt.datetime):
        return value.date().isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)
