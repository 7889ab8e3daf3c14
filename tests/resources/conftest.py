"""Fixtures shared by the resources and debrief tests (issue 14, items 3 and 4)."""

import pytest

from facilitate.extensions import db
from tests.factories import sign_in
from tests.test_workspace_prototyping import PDF  # noqa: F401  (the tests' PDF, shared)


@pytest.fixture
def folder(app, tmp_path, monkeypatch):
    monkeypatch.setitem(app.config, "UPLOAD_FOLDER", str(tmp_path / "uploads"))
    return tmp_path / "uploads"


@pytest.fixture
def event(make):
    return make.event(challenges=2)


@pytest.fixture
def organiser(client, make, event):
    person = make.organiser(event)
    db.session.commit()
    sign_in(client, person)
    return person
