"""The book benchmark (bench/book.py) still runs: at a tiny scale it builds the whole book,
whose contents name every challenge."""

import importlib
import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "bench"))
book = importlib.import_module("book")

pytestmark = pytest.mark.own_database


def test_the_book_builds_at_a_tiny_scale(capsys):
    assert book.main(["--teams", "2", "--people", "12"]) == 0
    assert "Book of 2 challenges" in capsys.readouterr().out
