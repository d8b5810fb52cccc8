"""Path converters: ids in addresses are whole numbers of at most 18 digits, so a huge id
(``99999999999999999999``) matches no page and gets the neutral 404, never a server error
from a number the database cannot hold."""

from __future__ import annotations


class IdConverter:
    regex = "[0-9]{1,18}"

    def to_python(self, value: str) -> int:
        return int(value)

    def to_url(self, value: int) -> str:
        return str(int(value))
