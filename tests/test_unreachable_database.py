"""A database that cannot be reached (PostgreSQL restarting, a connection cut mid-request) costs
the request in flight a clear "try again in a moment" page, in the reader's language, never a
stack trace; the requests after it are served again (``pool_pre_ping``)."""

import pytest
from sqlalchemy.exc import IntegrityError, OperationalError

from facilitate import create_app
from facilitate.auth.codes import new_access_code
from facilitate.dashboard import routes as dashboard_routes
from facilitate.extensions import db
from tests import conftest
from tests.factories import sign_in

# Nothing listens on port 1: every connection is refused, as while PostgreSQL restarts.
NO_DATABASE = "postgresql+psycopg://postgres@127.0.0.1:1/facilitate?connect_timeout=2"


def cut_connection(*_args, **_kwargs):
    raise OperationalError(
        "SELECT events.id FROM events", {}, Exception("server closed the connection unexpectedly")
    )


@pytest.fixture
def slug(client, make):
    """An event's slug, the client signed in as its organiser."""
    event = make.event(challenges=2)
    person = make.organiser(event, password=None, name="Camille Organisatrice")
    db.session.commit()
    sign_in(client, person)
    return event.slug


def test_a_connection_lost_mid_request_answers_503_in_the_readers_language(
    client, slug, monkeypatch, caplog
):
    monkeypatch.setattr(dashboard_routes, "_event_or_404", cut_connection)
    response = client.get(f"/events/{slug}/dashboard")
    page = response.get_data(as_text=True)
    assert response.status_code == 503
    assert response.headers["Retry-After"] == "30"
    assert "Le service est momentanément indisponible" in page
    assert "Traceback" not in page and "OperationalError" not in page
    # Drawn as for someone signed out: the name would have been read from the lost database.
    assert "Camille Organisatrice" not in page
    assert "Database unreachable: " in caplog.text

    english = client.get(f"/events/{slug}/dashboard", headers={"Accept-Language": "en"})
    assert english.status_code == 503
    assert "The service is unavailable for a moment" in english.get_data(as_text=True)

    monkeypatch.undo()  # the database is back: the same person is served again
    assert client.get(f"/events/{slug}/dashboard").status_code == 200


def test_a_write_on_a_lost_connection_answers_503_and_a_form_page_says_to_check(
    client, slug, monkeypatch
):
    monkeypatch.setattr(dashboard_routes, "start_timer", cut_connection)
    response = client.post(f"/events/{slug}/timer/start", data={"minutes": "10"})
    assert response.status_code == 503
    assert "vérifiez ensuite" in response.get_data(as_text=True)


@pytest.mark.own_database  # its own application, and no database: not the test transaction
def test_with_no_database_at_all_pages_and_the_api_answer_503():
    """Every connection refused, from the first query on: the page, and JSON under /api/."""
    app = create_app(conftest.test_config(NO_DATABASE))
    client = app.test_client()
    response = client.get("/")
    assert response.status_code == 503
    assert "Le service est momentanément indisponible" in response.get_data(as_text=True)
    code = new_access_code()  # well-formed: looked up in the database
    api = client.get("/api/v1/events/rennes-2018", headers={"Authorization": f"Bearer {code}"})
    assert api.status_code == 503
    assert api.get_json()["error"]["code"] == "unavailable"


def test_other_database_errors_stay_500s(app, client, slug, monkeypatch):
    """A constraint violation no view expected is a bug, not an outage: the 500 page."""
    monkeypatch.setitem(app.config, "PROPAGATE_EXCEPTIONS", False)  # as deployed

    def violate(*_args, **_kwargs):
        raise IntegrityError("INSERT INTO teams", {}, Exception("duplicate key value"))

    monkeypatch.setattr(dashboard_routes, "_event_or_404", violate)
    response = client.get(f"/events/{slug}/dashboard")
    assert response.status_code == 500
    assert "Retry-After" not in response.headers
