"""The base of errors whose message is meant for the user (the CLI prints them on one line)."""


class UserError(Exception):
    """An error caused by input or state the user can fix; its message says how."""
