"""Month names as the sites print them, January first: one list for every reader of dates."""

from __future__ import annotations

ENGLISH: tuple[str, ...] = (
    "January", "February", "March", "April", "May", "June",
    "July", "August", "September", "October", "November", "December",
)  # fmt: skip
# Genitive, as Ukrainian dates write them ("14 грудня").
UKRAINIAN_GENITIVE: tuple[str, ...] = (
    "січня", "лютого", "березня", "квітня", "травня", "червня",
    "липня", "серпня", "вересня", "жовтня", "листопада", "грудня",
)  # fmt: skip
