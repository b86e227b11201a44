"""The one error of the question library and its answers."""

from __future__ import annotations

from stories.errors import UserError


class QuestionInvalid(UserError, ValueError):
    """A question, form or answer is not acceptable; `key` is the catalog message."""

    def __init__(self, key: str, **params):
        self.key, self.params = key, params
        super().__init__(f"{key} {params}" if params else key)
