"""The address phones reach the app at, for a camp's link and QR code.

`changestories serve --lan` listens on every network interface and puts the machine's own
address on the local network (detected here) into $CHANGESTORIES_LAN_URL. A facilitator can
override it; the override is kept per install in the `settings` table (`camp_address`), so
every tab and every later start shows the same link until it is cleared.
"""

from __future__ import annotations

import ipaddress
import os
import re
import socket
from collections.abc import Mapping
from urllib.parse import urlsplit

from sqlite_utils import Database

from stories.errors import UserError
from stories.i18n import t
from stories.trust.permissions import SYSTEM, Actor, can_run_camp, require

LAN_ENV = "CHANGESTORIES_LAN_URL"
SETTING = "camp_address"
MAX_LENGTH = 200
_HOSTNAME = re.compile(r"^(?=.{1,253}$)([A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?)(\.[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?)*$")
# Where a datagram socket would send to: the default route first, then the private ranges
# (a laptop's own hotspot or a house's Wi-Fi without internet has no default route).
_PROBES = ("192.0.2.1", "10.255.255.254", "172.31.255.254", "192.168.255.254")


class CampAddressInvalid(UserError):
    """A camp address that is not a web address phones can open; `key` says why."""

    def __init__(self, key: str, **params):
        self.key = key
        self.params = params
        super().__init__(t(key, "en", **params))


def _loopback(host: str) -> bool:
    if host.lower() in ("localhost", "localhost.localdomain") or host.lower().endswith(".localhost"):
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def normalise_address(text: str | None) -> str:
    """The address as scheme://host[:port][/path], or CampAddressInvalid; "" stays "" (no override).

    A missing scheme means http (a laptop in a room has no certificate). Refused: other
    schemes, a user name or password, a query or fragment, a bad port or host, and loopback
    addresses, which a phone cannot reach.
    """
    value = (text or "").strip()
    if not value:
        return ""
    shown = value[:80]
    if len(value) > MAX_LENGTH or any(ch.isspace() or ord(ch) < 32 for ch in value):
        raise CampAddressInvalid("camps.address.invalid", value=shown)
    if "://" not in value:
        value = "http://" + value
    try:
        parts = urlsplit(value)
        port = parts.port
    except ValueError as exc:
        raise CampAddressInvalid("camps.address.invalid", value=shown) from exc
    host = parts.hostname or ""
    if (parts.scheme.lower() not in ("http", "https") or not host or parts.username or parts.password
            or parts.query or parts.fragment or "@" in parts.netloc):
        raise CampAddressInvalid("camps.address.invalid", value=shown)
    try:
        ipaddress.ip_address(host)
    except ValueError:
        if not _HOSTNAME.match(host):
            raise CampAddressInvalid("camps.address.invalid", value=shown) from None
    if _loopback(host):
        raise CampAddressInvalid("camps.address.loopback", value=shown)
    netloc = f"[{host}]" if ":" in host else host
    if port is not None:
        netloc += f":{port}"
    return f"{parts.scheme.lower()}://{netloc}{parts.path.rstrip('/')}"


def detect_lan_ip() -> str | None:
    """This machine's IPv4 address on the local network, or None (no network at all).

    Connecting a datagram socket sends nothing; it only asks the system which interface
    would carry traffic to the probe address.
    """
    for probe in _PROBES:
        with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as sock:
            try:
                sock.connect((probe, 9))
                address = sock.getsockname()[0]
            except OSError:
                continue
        if address and not ipaddress.ip_address(address).is_loopback and address != "0.0.0.0":
            return address
    return None


def lan_url(port: int) -> str | None:
    """http://<this machine's address>:<port>, for `serve --lan`; None when no network is found."""
    address = detect_lan_ip()
    return f"http://{address}:{port}" if address else None


def saved_address(db: Database) -> str:
    """The override kept for this install ("" when none)."""
    from stories.settings import get_setting

    return get_setting(db, SETTING)


def save_address(db: Database, text: str | None, *, actor: Actor = SYSTEM) -> str:
    """Keep (or with "" clear) the address for every tab and later start; facilitators and admins."""
    from stories.settings import store_setting

    require(can_run_camp(actor), "run_camp")
    value = normalise_address(text)
    store_setting(db, SETTING, value, actor=actor)
    return value


def phone_address(db: Database, page_url: str | None, env: Mapping[str, str] | None = None) -> tuple[str, str]:
    """The address for links and QR codes, and where it came from.

    Sources, first found wins: "saved" (the override), "browser" (this browser reached the
    app at an address other than this machine's loopback, e.g. through Caddy), "detected"
    ($CHANGESTORIES_LAN_URL from `serve --lan`), and "local" (the loopback address the
    browser used: phones cannot open it, and the camp page says so).
    """
    from stories.camps.access import base_url

    env = os.environ if env is None else env
    saved = saved_address(db)
    if saved:
        return saved, "saved"
    here = base_url(page_url)
    if not _loopback(urlsplit(here).hostname or "localhost"):
        return here, "browser"
    detected = (env.get(LAN_ENV) or "").strip()
    if detected:
        return detected, "detected"
    return here, "local"
