"""The one error of the Most Significant Change cycle: bad input, refused with a catalog message."""

from __future__ import annotations

from stories.errors import UserError
from stories.i18n import t


class MscInvalid(UserError, ValueError):
    """A domain, period, panel, vote, choice or verification cannot be recorded; `key` is the catalog message."""

    def __init__(self, key: str, **params):
        self.key, self.params = key, params
        super().__init__(t(key, "en", **params))

    def message(self, lang: str = "da") -> str:
        """The message in the user's language."""
        return t(self.key, lang, **self.params)
