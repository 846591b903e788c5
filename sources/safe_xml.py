"""XML a site sends, parsed without ever needing a DTD (entity tricks are refused)."""

from __future__ import annotations

from xml.etree import ElementTree

import defusedxml.ElementTree as defused
from defusedxml import DefusedXmlException


def xml_root(body: bytes, what: str) -> tuple[ElementTree.Element | None, str | None]:
    """Parse XML that never needs a DTD: entity tricks (billion laughs, external entities) are refused."""
    try:
        return defused.fromstring(body, forbid_dtd=True), None
    except DefusedXmlException as error:
        return None, f"{what} refused: {type(error).__name__} ({error})"
    except ElementTree.ParseError as error:
        return None, f"{what} is not well-formed XML: {error}"
