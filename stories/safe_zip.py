"""Reading zip archives from outside (.xlsx, .qdpx) without trusting them.

Before anything is unpacked, every member's declared size and compression ratio is
checked against the import limits, and so is their sum. Python's zipfile never yields
more bytes than a member declares (a lying header only fails the CRC check), so the
declared sizes are a true upper bound. A member is read streaming, in chunks, and every
read is charged to an `UnpackBudget`, so a member that many sources refer to counts once
per reference. A damaged archive (bad CRC, truncated or corrupt data, an unsupported
compression method, encryption) raises DamagedArchive, never a zipfile or zlib error.
"""

from __future__ import annotations

import io
import zipfile
import zlib
from typing import IO

from stories.errors import UserError
from stories.limits import RATIO_FLOOR, ImportLimits, LimitExceeded, check_count

CHUNK = 64 * 1024
# What zipfile and zlib raise for a damaged, truncated, encrypted or exotic member.
ZIP_ERRORS = (zipfile.BadZipFile, zipfile.LargeZipFile, zlib.error, EOFError, NotImplementedError, RuntimeError,
              OSError)


class DamagedArchive(UserError, ValueError):
    """The zip archive is not a zip or is damaged; `detail` says how (in English)."""

    def __init__(self, what: str, detail: str):
        from stories.i18n import t

        self.key, self.params = "error.archive.damaged", {"what": what, "detail": detail}
        super().__init__(t(self.key, "en", **self.params))


class NotAnArchive(UserError, ValueError):
    """The file is not a zip archive at all."""

    def __init__(self, what: str):
        from stories.i18n import t

        self.key, self.params = "error.archive.not_zip", {"what": what}
        super().__init__(t(self.key, "en", **self.params))


def open_archive(source: str | bytes | IO[bytes], what: str, limits: ImportLimits) -> zipfile.ZipFile:
    """The archive, once its members' declared sizes and ratios are within the limits."""
    if isinstance(source, bytes):
        source = io.BytesIO(source)
    try:
        archive = zipfile.ZipFile(source)
    except zipfile.BadZipFile:
        raise NotAnArchive(what) from None
    except ZIP_ERRORS as exc:
        raise DamagedArchive(what, _detail(exc)) from exc
    try:
        check_members(archive, what, limits)
    except BaseException:
        archive.close()
        raise
    return archive


def check_members(archive: zipfile.ZipFile, what: str, limits: ImportLimits) -> None:
    """Refuse an archive whose members, as declared, unpack too far."""
    total = 0
    for info in archive.infolist():
        check_count("member_bytes", info.file_size, limits, f"{what}: {info.filename}")
        if info.file_size > RATIO_FLOOR and info.file_size > limits.ratio * max(info.compress_size, 1):
            raise LimitExceeded("ratio", limits.ratio, f"{what}: {info.filename}")
        total += info.file_size
    check_count("unpacked_bytes", total, limits, what)


class UnpackBudget:
    """The bytes a whole import may still unpack; every read of a member is charged."""

    def __init__(self, limits: ImportLimits, what: str):
        self.limits, self.what, self.used = limits, what, 0

    def charge(self, size: int) -> None:
        self.used += size
        check_count("unpacked_bytes", self.used, self.limits, self.what)


class _Counted(io.RawIOBase):
    """A member being read: its bytes charged to the budget as they come, errors made ours."""

    def __init__(self, member: IO[bytes], budget: UnpackBudget, what: str, maximum: int, limit: str):
        self.member, self.budget, self.what, self.maximum, self.limit, self.read_bytes = (
            member, budget, what, maximum, limit, 0)

    def readable(self) -> bool:
        return True

    def readinto(self, buffer) -> int:
        try:
            data = self.member.read(min(len(buffer), CHUNK))
        except ZIP_ERRORS as exc:
            raise DamagedArchive(self.what, _detail(exc)) from exc
        self.read_bytes += len(data)
        if self.read_bytes > self.maximum:
            raise LimitExceeded(self.limit, self.maximum, self.what)
        self.budget.charge(len(data))
        buffer[: len(data)] = data
        return len(data)

    def close(self) -> None:
        self.member.close()
        super().close()


def open_member(archive: zipfile.ZipFile, info: zipfile.ZipInfo, budget: UnpackBudget, what: str, *,
                limit: str = "member_bytes") -> IO[bytes]:
    """A streaming reader of one member, charged to `budget`, at most the limit named `limit`."""
    maximum = getattr(budget.limits, limit)
    check_count(limit, info.file_size, budget.limits, what)
    try:
        member = archive.open(info)
    except ZIP_ERRORS as exc:
        raise DamagedArchive(what, _detail(exc)) from exc
    return io.BufferedReader(_Counted(member, budget, what, maximum, limit), CHUNK)


def read_member(archive: zipfile.ZipFile, info: zipfile.ZipInfo, budget: UnpackBudget, what: str, *,
                limit: str = "member_bytes") -> bytes:
    """All of one member (streamed, checked against its limit and the budget as it comes)."""
    with open_member(archive, info, budget, what, limit=limit) as stream:
        return stream.read()


def _detail(exc: BaseException) -> str:
    return str(exc).splitlines()[0] if str(exc) else type(exc).__name__
