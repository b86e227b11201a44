"""Hostile and messy files, built on the fly (nothing is committed): zip and XML bombs,
damaged archives, deep code trees, spreadsheets that lie about their size, messy CSV.

Every builder writes to a path the test gives (under `tmp_path`) or returns bytes; sizes
are parameters, so a test can build a small file against small limits, or the real-size
file from issue 9 where that is fast.
"""

from __future__ import annotations

import io
import uuid
import zipfile
from pathlib import Path

PROJECT_NS = "urn:QDA-XML:project:1.0"
CODEBOOK_NS = "urn:QDA-XML:codebook:1.0"


def guid(n: int, kind: int = 0) -> str:
    """A stable GUID for the n-th thing of a kind."""
    return str(uuid.UUID(int=(kind << 64) + n + 1))


# ---- REFI-QDA ------------------------------------------------------------------------------

def nested_codes(depth: int) -> str:
    """Code elements nested `depth` deep (no recursion needed to build them)."""
    opening = "".join(f'<Code guid="{guid(i, 1)}" name="Kode {i}" isCodable="true">' for i in range(depth))
    return opening + "</Code>" * depth


def qde(sources: str = "", codes: str = "") -> bytes:
    codebook = f"<CodeBook><Codes>{codes}</Codes></CodeBook>" if codes else ""
    sources = f"<Sources>{sources}</Sources>" if sources else ""
    return (f'<?xml version="1.0" encoding="utf-8"?><Project xmlns="{PROJECT_NS}" name="Fiktivt projekt">'
            f"{codebook}{sources}</Project>").encode("utf-8")


def text_sources(count: int, reference: str = "internal://story.txt") -> str:
    return "".join(f'<TextSource guid="{guid(i, 2)}" name="Kilde {i}" plainTextPath="{reference}"/>'
                   for i in range(count))


def write_zip(path: Path, members: dict[str, bytes], compression: int = zipfile.ZIP_DEFLATED) -> Path:
    with zipfile.ZipFile(path, "w", compression, compresslevel=9 if compression == zipfile.ZIP_DEFLATED else None) as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    return path


def qdpx_reference_bomb(path: Path, member_bytes: int = 10_000_000, references: int = 1000) -> Path:
    """Issue 9: a ~36 KB .qdpx whose one 10 MB member is the text of 1,000 sources."""
    return write_zip(path, {"project.qde": qde(text_sources(references)),
                            "sources/story.txt": b"a" * member_bytes})


def qdpx_small(path: Path, sources: int = 2, text: bytes = "Mikkel fik en ven på værkstedet.".encode()) -> Path:
    """A harmless .qdpx: `sources` text sources sharing one small member."""
    return write_zip(path, {"project.qde": qde(text_sources(sources)), "sources/story.txt": text})


def qdpx_bad_crc(path: Path) -> Path:
    """A .qdpx whose project.qde fails its CRC check (one byte changed after zipping, the
    XML still well-formed)."""
    data = qde(text_sources(1, "internal://story.txt"))
    write_zip(path, {"project.qde": data, "sources/story.txt": "Historien om Ida.".encode()},
              compression=zipfile.ZIP_STORED)
    raw = bytearray(path.read_bytes())
    at = raw.index(b"Fiktivt projekt")
    raw[at] = ord("f")
    path.write_bytes(bytes(raw))
    return path


def qdpx_deep(path: Path, depth: int = 5000) -> Path:
    """Issue 9: a .qdpx with codes nested 5,000 deep."""
    return write_zip(path, {"project.qde": qde(codes=nested_codes(depth))})


def qdc_deep(depth: int = 5000) -> bytes:
    """Issue 9: a .qdc codebook with codes nested 5,000 deep."""
    return (f'<?xml version="1.0" encoding="utf-8"?><CodeBook xmlns="{CODEBOOK_NS}"><Codes>'
            f"{nested_codes(depth)}</Codes></CodeBook>").encode("utf-8")


# ---- XLSX ----------------------------------------------------------------------------------

def xlsx_bytes(rows: list[list[object]]) -> bytes:
    from openpyxl import Workbook

    workbook = Workbook()
    sheet = workbook.active
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def rewrite_member(data: bytes, name: str, change) -> bytes:
    """The xlsx (a zip) with member `name` replaced by change(old bytes)."""
    source = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            content = source.read(info)
            target.writestr(info.filename, change(content) if info.filename == name else content)
    return out.getvalue()


SHEET = "xl/worksheets/sheet1.xml"
STORY_ROWS = [["text", "site"], ["Mikkel fik en ven.", "Valby"], ["Ida lærte at cykle.", "Nordvest"]]


def xlsx_huge_dimension() -> bytes:
    """Issue 9: a ~5 KB .xlsx whose sheet declares A1:XFD1048576 (17 billion cells) and
    holds a story in its last row."""
    def change(xml: bytes) -> bytes:
        start = xml.index(b"<dimension ref=\"")
        end = xml.index(b"\"", start + len(b"<dimension ref=\""))
        xml = xml[:start] + b'<dimension ref="A1:XFD1048576' + xml[end:]
        last = b'<row r="1048576"><c r="A1048576" t="inlineStr"><is><t>Sidste historie.</t></is></c></row>'
        return xml.replace(b"</sheetData>", last + b"</sheetData>")
    return rewrite_member(xlsx_bytes(STORY_ROWS), SHEET, change)


def xlsx_far_cells(rows: int) -> bytes:
    """A small .xlsx whose every row has one cell in the last column (XFD): 16,384 cells a row
    once padded."""
    body = "".join(f'<row r="{r}"><c r="XFD{r}" t="inlineStr"><is><t>x</t></is></c></row>' for r in range(1, rows + 1))
    return rewrite_member(xlsx_bytes(STORY_ROWS), SHEET, lambda xml: _with_sheet_data(xml, body))


def _with_sheet_data(xml: bytes, body: str) -> bytes:
    start = xml.index(b"<sheetData")
    end = xml.index(b"</sheetData>") + len(b"</sheetData>")
    return xml[:start] + b"<sheetData>" + body.encode("utf-8") + b"</sheetData>" + xml[end:]


def xlsx_broken_xml() -> bytes:
    """Issue 9: an .xlsx whose sheet XML is cut off in the middle of a row."""
    def change(xml: bytes) -> bytes:
        return xml[: xml.index(b"</sheetData>") - 10]
    return rewrite_member(xlsx_bytes(STORY_ROWS), SHEET, change)


def xlsx_inflating(sheet_bytes: int) -> bytes:
    """Issue 9: an .xlsx whose sheet inflates to `sheet_bytes` (1 GB in the issue) of rows
    that all say the same thing; streamed through zlib, never held whole."""
    template = xlsx_bytes(STORY_ROWS)
    source = zipfile.ZipFile(io.BytesIO(template))
    sheet = source.read(SHEET)
    head, tail = sheet[: sheet.index(b"<sheetData>") + len(b"<sheetData>")], sheet[sheet.index(b"</sheetData>"):]
    row = b'<row><c t="inlineStr"><is><t>Samme historie igen.</t></is></c></row>'
    chunk = row * (1_048_576 // len(row))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            if info.filename != SHEET:
                target.writestr(info.filename, source.read(info))
        info = zipfile.ZipInfo(SHEET)
        info.compress_type = zipfile.ZIP_DEFLATED
        with target.open(info, "w", force_zip64=True) as member:
            member.write(head)
            left = sheet_bytes - len(head) - len(tail)
            while left > 0:
                piece = chunk[:left]
                member.write(piece)
                left -= len(piece)
            member.write(tail)
    return out.getvalue()


def zip_lying_about_size(data: bytes, name: str) -> bytes:
    """The zip with member `name` declaring a 1-byte uncompressed size in both its headers."""
    raw = bytearray(data)
    info = zipfile.ZipFile(io.BytesIO(data)).getinfo(name)
    raw[info.header_offset + 22: info.header_offset + 26] = (1).to_bytes(4, "little")  # local header
    at = raw.index(b"PK\x01\x02")  # the central directory, entry by entry
    while True:
        name_len = int.from_bytes(raw[at + 28: at + 30], "little")
        if raw[at + 46: at + 46 + name_len] == name.encode():
            raw[at + 24: at + 28] = (1).to_bytes(4, "little")
            return bytes(raw)
        at = raw.index(b"PK\x01\x02", at + 46)


# ---- CSV -----------------------------------------------------------------------------------

def csv_rows(count: int, header: str = "text") -> bytes:
    """A CSV of `count` short stories (1,000,000 rows is about 17 MB)."""
    return (header + "\n" + "".join(f"Historie {i}\n" for i in range(count))).encode("ascii")


def incompressible_text(size: int, seed: int = 9) -> bytes:
    """`size` bytes of ASCII letters that do not compress much (a long, dull, fictional text)."""
    import random

    rng = random.Random(seed)
    return "".join(rng.choice("abcdefghijklmnopqrstuvwxyz ") for _ in range(size)).encode("ascii")


def qdpx_many_sources(path: Path, sources: int, selections: int = 5) -> Path:
    """A large but honest .qdpx: `sources` inline texts of about 800 characters, each with
    `selections` coded selections (one code), packed small because the texts repeat."""
    code = guid(0, 1)
    text = ("Mikkel kom i værkstedet hver tirsdag, og til sidst lavede han mad med de andre. " * 10)[:800]
    body = []
    for i in range(sources):
        marks = "".join(
            f'<PlainTextSelection guid="{guid(i * selections + k, 3)}" startPosition="{k * 100}" '
            f'endPosition="{k * 100 + 50}"><Coding guid="{guid(i * selections + k, 4)}">'
            f'<CodeRef targetGUID="{code}"/></Coding></PlainTextSelection>' for k in range(selections))
        body.append(f'<TextSource guid="{guid(i, 2)}" name="Kilde {i}"><PlainTextContent>{text} {i}'
                    f"</PlainTextContent>{marks}</TextSource>")
    codes = f'<Code guid="{code}" name="Fællesskab" isCodable="true"/>'
    return write_zip(path, {"project.qde": qde("".join(body), codes)})


def qde_dense_elements(path: Path, count: int) -> Path:
    """A .qdpx whose project.qde is `count` empty <Description/> elements: as many elements
    per byte as the schema's names allow, with random whitespace between them so the
    member does not compress past the ratio limit."""
    import random

    rng = random.Random(5)
    body = b"".join(b"<Description/>" + rng.choice((b"", b" ", b"\n", b"\t", b"  ", b" \n")) for _ in range(count))
    return write_zip(path, {"project.qde": qde()[: -len(b"</Project>")] + body + b"</Project>"})
