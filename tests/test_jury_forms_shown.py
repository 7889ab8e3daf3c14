"""The jury's forms as first shown are rendered once (jury/rendered.py): each page still carries
its own session's CSRF token, what is stored shows at once when it changes, what people wrote is
escaped, and a refused form shows its errors."""

import re

from markupsafe import escape

from facilitate.extensions import db
from facilitate.models import Juror, JuryScore
from tests.test_jury import (
    _client,
    _criteria,
    _juror,
    _national,
    _nominate,
    _scores,
    _site,
    _site_organiser,
    edition,  # noqa: F401  (the fixture)
)

_TOKEN = re.compile(r'name="[a-z0-9-]*csrf_token"[^>]*value="([^"]+)"')


def test_each_session_gets_its_own_token_in_the_forms(app, make, edition, monkeypatch):  # noqa: F811
    first, second = (_client(app, _national(make, edition)) for _ in range(2))
    db.session.commit()
    url = f"/editions/{edition.id}/jury"
    first.get(url)  # the default rubric, made and committed on the first visit
    monkeypatch.setitem(app.config, "WTF_CSRF_ENABLED", True)
    tokens = []
    for client in (first, second, first):
        page = client.get(url).text
        found = set(_TOKEN.findall(page))
        assert len(found) == 1, found  # every form of the page: this request's token
        # Each criterion's form and its removal, the new one, the juror's, the reveal, and the
        # header's two.
        assert len(_TOKEN.findall(page)) == 5 * 2 + 3 + 2
        tokens.append(found.pop())
    assert tokens[0] != tokens[1]


def test_a_renamed_criterion_shows_at_once_escaped(app, make, edition):  # noqa: F811
    national = _client(app, _national(make, edition))
    db.session.commit()
    url = f"/editions/{edition.id}/jury"
    national.get(url)
    first = _criteria(edition)[0]
    for name in ("Impact local", "<b>Impact</b> & usages"):
        response = national.post(
            f"{url}/criteria/{first.id}",
            data={f"c{first.id}-name": name, f"c{first.id}-position": "1"},
        )
        assert response.status_code == 303
        page = national.get(url).text
        shown = re.search(
            rf'id="c{first.id}-name" maxlength="200" name="c{first.id}-name" required '
            r'type="text" value="([^"]*)"',
            page,
        )
        assert shown and shown[1] == str(escape(name))
    assert "<b>Impact</b>" not in page
    refused = national.post(
        f"{url}/criteria/{first.id}", data={f"c{first.id}-name": "", f"c{first.id}-position": "1"}
    )
    assert refused.status_code == 400
    assert "<title>Erreur" in refused.text and "Donnez un nom au critère." in refused.text
    assert "<title>Erreur" not in national.get(url).text


def test_a_juror_sees_the_scores_they_saved(app, make, edition):  # noqa: F811
    site = _site(make, edition, "Rennes")
    _site_organiser(make, site)
    nomination = _nominate(edition, site, 0)
    person = _juror(make, edition)
    db.session.commit()
    juror = _client(app, person)
    url = f"/editions/{edition.id}/jury/score"
    juror.get(url)
    criteria = _criteria(edition)
    for values, comment in (([1, 2, 3, 4, 5], "Bien."), ([5, 4, 3, 2, 1], "<i>Très</i> bien.")):
        response = juror.post(
            f"{url}/{nomination.id}", data=_scores(criteria, nomination, values, comment)
        )
        assert response.status_code == 303
        page = juror.get(url).text
        checked = re.findall(
            r'<input checked id="n\d+-criterion_\d+-\d" name="[^"]+" type="radio" value="(\d)">',
            page,
        )
        assert checked == [str(v) for v in values]
        assert str(escape(comment)) in page
    assert db.session.query(JuryScore).count() == len(criteria)
    assert db.session.query(Juror).count() == 1
