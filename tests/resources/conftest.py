"""Fixtures shared by the resources and debrief tests (issue 14, items 3 and 4). The upload
folder and the PDF are the prototyping tests' own."""

import pytest

from facilitate.extensions import db
from tests.factories import sign_in
from tests.test_workspace_prototyping import PDF, folder  # noqa: F401  (shared with them)


@pytest.fixture
def event(make):
    return make.event(challenges=2)


@pytest.fixture
def organiser(client, make, event):
    person = make.organiser(event)
    db.session.commit()
    sign_in(client, person)
    return person
