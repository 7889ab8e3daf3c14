"""Hostile values on the national jury's forms: a clear message, nothing changed, never a 500."""

from facilitate.extensions import db
from tests import test_jury

edition = test_jury.edition  # the fixture: an edition without sites
_client, _criteria, _national = test_jury._client, test_jury._criteria, test_jury._national


def test_a_huge_criterion_order_is_refused_with_a_message(app, make, edition):
    national = _client(app, _national(make, edition))
    db.session.commit()
    national.get(f"/editions/{edition.id}/jury")
    first = _criteria(edition)[0]
    response = national.post(
        f"/editions/{edition.id}/jury/criteria/{first.id}",
        data={f"c{first.id}-name": "Impact", f"c{first.id}-position": "999999999999"},
    )
    assert response.status_code == 400
    assert "Indiquez un nombre entre 1 et 500" in response.text
    db.session.expire_all()
    assert _criteria(edition)[0].position == 1
