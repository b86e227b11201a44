"""Reading CSV and XLSX files into rows, whatever their encoding and delimiter."""

from __future__ import annotations

import csv
import datetime as dt
import io
from dataclasses import dataclass
from pathlib import Path

from stories.errors import UserError

MAX_FILE_BYTES = 200 * 1024 * 1024


class UnreadableFile(UserError):
    """The file is not a CSV or XLSX table we can read; `reason` names why."""

    REASONS = ("binary", "encoding", "xlsx", "empty", "too_big")

    def __init__(self, reason: str, detail: str = ""):
        from stories.i18n import t

        self.reason = reason if reason in self.REASONS else "other"
        self.detail = detail or reason
        key = f"error.unreadable.{self.reason}"
        super().__init__(t(key, "en", detail=self.detail) if self.reason == "other" else t(key, "en"))


@dataclass
class Table:
    headers: list[str]
    rows: list[tuple[int, dict[str, object]]]  # (line number in the file, values by header)


def decode(data: bytes) -> str:
    """UTF-8 (with or without BOM), UTF-16 with BOM (Excel's "Unicode text"), else
    Windows-1252; refuses binary data."""
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            return data.decode("utf-16")
        except UnicodeDecodeError as exc:
            raise UnreadableFile("encoding") from exc
    if b"\x00" in data[:65536]:
        raise UnreadableFile("binary")
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    try:
        text = data.decode("cp1252")
    except UnicodeDecodeError as exc:
        raise UnreadableFile("encoding") from exc
    controls = sum(1 for ch in text[:65536] if ord(ch) < 32 and ch not in "\r\n\t")
    if controls:
        raise UnreadableFile("binary")
    return text


def _read_csv(data: bytes) -> Table:
    text = decode(data)
    sample = text[:20000]
    try:
        dialect = csv.Sniffer().sniff(sample, delimiters=",;\t")
    except csv.Error:
        dialect = csv.excel
    reader = csv.reader(io.StringIO(text, newline=""), dialect)
    try:
        headers = [h.strip() for h in next(reader)]
    except StopIteration:
        raise UnreadableFile("empty") from None
    rows = []
    line = reader.line_num
    try:
        for values in reader:
            start, line = line + 1, reader.line_num
            if not any(v.strip() for v in values):
                continue
            rows.append((start, dict(zip(headers, values + [""] * (len(headers) - len(values))))))
    except csv.Error as exc:
        raise UnreadableFile("other", f"csv: {exc}") from exc
    return Table(headers, rows)


def _read_xlsx(data: bytes) -> Table:
    from openpyxl import load_workbook

    try:
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many kinds for a damaged file
        raise UnreadableFile("xlsx") from exc
    sheet = workbook.worksheets[0]
    rows_iter = sheet.iter_rows(values_only=True)
    try:
        headers = [str(h).strip() if h is not None else "" for h in next(rows_iter)]
    except StopIteration:
        raise UnreadableFile("empty") from None
    rows = []
    for number, values in enumerate(rows_iter, start=2):
        if values is None or all(v is None or str(v).strip() == "" for v in values):
            continue
        rows.append((number, {h: ("" if v is None else v) for h, v in zip(headers, values)}))
    workbook.close()
    return Table(headers, rows)


def read_table(path: str | Path, data: bytes | None = None) -> Table:
    """Rows of a .csv or .xlsx file (by content: an XLSX is a zip)."""
    path = Path(path)
    if data is None:
        if path.stat().st_size > MAX_FILE_BYTES:
            raise UnreadableFile("too_big")
        data = path.read_bytes()
    if data.startswith(b"PK\x03\x04"):
        return _read_xlsx(data)
    if path.suffix.lower() in (".xlsx", ".xlsm"):
        raise UnreadableFile("xlsx")
    return _read_csv(data)


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
