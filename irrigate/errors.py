"""Errors meant for people: one line that says what is wrong and how to fix it."""

from __future__ import annotations


class InputError(ValueError):
    """Bad user input (file, variable, option or parameter).

    The message is a single line naming the file or variable and the fix. The CLI prints it
    to stderr as ``error: <message>`` and exits with status 2, without a traceback.
    """

    def __init__(self, message: str) -> None:
        super().__init__(" ".join(str(message).split()))
