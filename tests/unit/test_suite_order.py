"""The suite's order: the slowest files, which `make test` starts first, are files that exist and
that pytest collects first."""

from __future__ import annotations

import pytest

from tests.conftest import REPO, SLOWEST_FIRST, pytest_collection_modifyitems


def test_every_slowest_file_exists_once() -> None:
    assert [path for path in SLOWEST_FIRST if not (REPO / path).is_file()] == []
    assert len(set(SLOWEST_FIRST)) == len(SLOWEST_FIRST)


class _Item:
    def __init__(self, nodeid: str) -> None:
        self.nodeid = nodeid


def test_the_slowest_files_come_first_and_the_rest_keep_their_order() -> None:
    collected = [
        _Item("tests/integration/test_analyst_session.py::test_a"),
        _Item(f"{SLOWEST_FIRST[1]}::test_b"),
        _Item("tests/unit/test_layering.py::test_c"),
        _Item(f"{SLOWEST_FIRST[0]}::test_d"),
        _Item(f"{SLOWEST_FIRST[1]}::test_e[2]"),
        _Item("tests/integration/test_analyst_session.py::test_f"),
    ]
    items: list[pytest.Item] = list(collected)  # type: ignore[arg-type]
    pytest_collection_modifyitems(items)
    assert [item.nodeid for item in items] == [
        f"{SLOWEST_FIRST[0]}::test_d",
        f"{SLOWEST_FIRST[1]}::test_b",
        f"{SLOWEST_FIRST[1]}::test_e[2]",
        "tests/integration/test_analyst_session.py::test_a",
        "tests/unit/test_layering.py::test_c",
        "tests/integration/test_analyst_session.py::test_f",
    ]
