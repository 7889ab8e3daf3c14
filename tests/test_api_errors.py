"""Every refusal of the API is JSON, ``{"error": {"code", "message"}}``, with the right status
and a message in the reader's language, whatever went wrong: the token, the address, the method,
the body, the limits, or a fault on our side."""

import pytest
from sqlalchemy import func, select

from facilitate.api import routes
from facilitate.extensions import db, limiter
from facilitate.models import Vote
from tests.factories import code_of, sign_in
from tests.test_api import API, Exhibition, call, error_of, put_ballot, votes_of


@pytest.fixture
def expo(make):
    return Exhibition(make)


def test_no_token_is_a_401_with_a_bearer_challenge(client, expo):
    response = call(client, "GET", f"/events/{expo.slug}/ballot")
    assert response.status_code == 401
    assert response.headers["WWW-Authenticate"].startswith("Bearer")
    assert error_of(response)["code"] == "missing_token"
    assert "Authorization: Bearer" in error_of(response)["message"]


@pytest.mark.parametrize(
    "header",
    [
        "Bearer ZZZZZ-ZZZZZ-ZZZZZ",  # shaped like an access code, nobody's
        "Bearer fac_" + "0" * 64,  # shaped like an API token, nobody's
        "Bearer hello",
        "Bearer ",
        "Basic dXNlcjpwYXNz",
    ],
)
def test_a_wrong_token_is_a_401_and_changes_nothing(client, expo, header):
    response = client.put(
        f"{API}/events/{expo.slug}/ballot",
        json={"teams": [expo.ids[1]]},
        headers={"Authorization": header},
    )
    assert response.status_code == 401
    assert response.headers["WWW-Authenticate"].startswith("Bearer")
    assert error_of(response)["code"] in {"invalid_token", "missing_token"}
    assert db.session.scalar(select(func.count()).select_from(Vote)) == 0


def test_a_renewed_access_code_stops_working_at_once(client, expo, make):
    old = expo.code
    make.attendance(expo.voter).access_code = "ABCDEFGHJKMNPQR"
    db.session.commit()
    assert call(client, "GET", f"/events/{expo.slug}/ballot", old).status_code == 401
    assert call(client, "GET", f"/events/{expo.slug}/ballot", "ABCDEFGHJKMNPQR").status_code == 200


def test_an_unknown_event_is_a_404_naming_it(client, expo):
    response = call(client, "GET", "/events/no-such-event/results", expo.organiser_token)
    assert response.status_code == 404
    assert error_of(response) == {
        "code": "unknown_event",
        "message": "Aucun événement n’a pour identifiant «\u00a0no-such-event\u00a0».",
    }


@pytest.mark.parametrize(
    ("method", "path"),
    [
        ("GET", f"{API}/nothing-here"),
        ("POST", f"{API}/events/x/ballot/extra"),
        ("GET", "/api/v2/events"),
        ("GET", "/api/"),
    ],
)
def test_unknown_api_addresses_are_a_json_404(client, method, path):
    response = client.open(path, method=method)
    assert response.status_code == 404
    assert error_of(response)["code"] == "not_found"
    assert "<html" not in response.text


def test_pages_outside_the_api_keep_their_html_error_page(client):
    response = client.get("/no-such-page")
    assert response.status_code == 404
    assert "<html" in response.text


def test_a_method_the_address_does_not_take_is_a_json_405_with_allow(client, expo):
    response = call(client, "POST", f"/events/{expo.slug}/ballot", expo.code, {"teams": []})
    assert response.status_code == 405
    assert error_of(response)["code"] == "method_not_allowed"
    assert {"GET", "PUT"} <= set(response.headers["Allow"].replace(" ", "").split(","))


@pytest.mark.parametrize(
    ("body", "code"),
    [
        ("{teams: [1]}", "invalid_json"),
        ('{"teams": [1]', "invalid_json"),
        ("", "invalid_json"),
        ("\xff\xfe not utf-8", "invalid_json"),
        ("[1, 2]", "not_an_object"),
        ('"teams"', "not_an_object"),
        ("42", "not_an_object"),
        ("null", "not_an_object"),
        ("true", "not_an_object"),
    ],
)
def test_a_body_that_is_not_a_json_object_is_a_400(client, expo, body, code):
    put_ballot(client, expo, [expo.ids[2]])
    before = votes_of(expo.voter)
    response = client.put(
        f"{API}/events/{expo.slug}/ballot",
        data=body.encode("latin-1"),
        headers={"Authorization": f"Bearer {expo.code}", "Content-Type": "application/json"},
    )
    assert response.status_code == 400
    assert error_of(response)["code"] == code
    assert votes_of(expo.voter) == before


@pytest.mark.parametrize("content_type", [None, "application/x-www-form-urlencoded"])
def test_json_is_read_whatever_the_content_type_as_curl_d_sends_it(client, expo, content_type):
    headers = {"Authorization": f"Bearer {expo.code}"}
    if content_type:
        headers["Content-Type"] = content_type
    response = client.put(
        f"{API}/events/{expo.slug}/ballot",
        data=f'{{"teams": [{expo.ids[1]}]}}',
        headers=headers,
    )
    assert response.status_code == 200
    assert response.json == {"teams": [expo.ids[1]]}


def test_a_huge_body_is_a_413_before_it_is_read(client, expo):
    response = client.put(
        f"{API}/events/{expo.slug}/ballot",
        data='{"teams": [' + "1," * 40_000 + "1]}",
        headers={"Authorization": f"Bearer {expo.code}"},
    )
    assert response.status_code == 413
    assert error_of(response)["code"] == "too_large"
    assert votes_of(expo.voter) == []


def test_a_fault_on_our_side_is_a_json_500_without_a_trace(app, client, expo, monkeypatch):
    def broken(_event):
        raise RuntimeError("secret internals")

    monkeypatch.setattr(routes, "stands_of", broken)
    monkeypatch.setitem(app.config, "PROPAGATE_EXCEPTIONS", False)
    response = call(client, "GET", f"/events/{expo.slug}/stands", expo.code)
    assert response.status_code == 500
    assert error_of(response)["code"] == "server_error"
    assert "secret internals" not in response.text
    assert "Traceback" not in response.text


def test_csrf_protection_does_not_get_in_the_way_of_a_put(app, client, expo, monkeypatch):
    monkeypatch.setitem(app.config, "WTF_CSRF_ENABLED", True)
    assert put_ballot(client, expo, [expo.ids[1]]).status_code == 200


def test_a_session_cookie_never_stands_in_for_the_token(client, expo):
    sign_in(client, expo.voter)
    response = call(client, "GET", f"/events/{expo.slug}/ballot")
    assert response.status_code == 401


# --- Language ---------------------------------------------------------------------------------


def test_messages_are_french_by_default(client, expo):
    response = put_ballot(client, expo, [expo.ids[0]])
    assert error_of(response) == {
        "code": "own_team",
        "message": "Vous ne pouvez pas voter pour le stand de votre propre équipe.",
    }


def test_messages_follow_accept_language(client, expo):
    response = call(
        client,
        "PUT",
        f"/events/{expo.slug}/ballot",
        expo.code,
        {"teams": [expo.ids[0]]},
        language="en-GB,en;q=0.9",
    )
    assert error_of(response)["message"] == "You cannot vote for your own team's stand."
    unknown = client.get(f"{API}/nowhere", headers={"Accept-Language": "en"})
    assert error_of(unknown)["message"].startswith("There is nothing at this address")
    french = client.get(f"{API}/nowhere")
    assert error_of(french)["message"].startswith("Il n’y a rien à cette adresse")


# --- Rate limits ------------------------------------------------------------------------------


@pytest.fixture
def strict_limits(app, monkeypatch):
    """Tight limits, as a test can reach them: 3 requests per token, 2 failed authentications
    per address."""
    monkeypatch.setitem(app.config, "API_RATE_LIMIT", "3 per minute")
    monkeypatch.setitem(app.config, "SIGN_IN_RATE_LIMIT", "2 per minute")
    limiter.reset()
    yield
    limiter.reset()


def test_each_token_has_its_own_limit_so_a_venue_behind_one_address_is_fine(
    client, expo, make, strict_limits
):
    path = f"/events/{expo.slug}/ballot"
    for _ in range(3):
        assert call(client, "GET", path, expo.code).status_code == 200
    refused = put_ballot(client, expo, [expo.ids[1]])
    assert refused.status_code == 429
    assert error_of(refused)["code"] == "rate_limited"
    assert "Retry-After" in refused.headers
    assert votes_of(expo.voter) == []
    # Someone else at the same address is not held back.
    neighbour = make.participant(expo.event)
    db.session.commit()
    assert call(client, "GET", path, code_of(neighbour)).status_code == 200


def test_failed_authentications_are_limited_per_address(client, expo, strict_limits):
    path = f"/events/{expo.slug}/ballot"
    for _ in range(2):
        assert call(client, "GET", path, "WRONG-TOKEN").status_code == 401
    guessed = call(client, "GET", path, "ABCDE-FGHJK-LMNPQ")
    assert guessed.status_code == 429
    assert error_of(guessed)["code"] == "rate_limited"
    assert error_of(guessed)["message"].startswith("Trop de jetons erronés")
    assert "Retry-After" in guessed.headers
    # The valid code of someone at the same address still works: only guessing is held back.
    assert call(client, "GET", path, expo.code).status_code == 200


def test_successful_requests_do_not_count_as_failed_authentications(
    client, expo, make, strict_limits
):
    people = [make.participant(expo.event) for _ in range(4)]
    db.session.commit()
    for person in people:
        response = call(client, "GET", f"/events/{expo.slug}/ballot", code_of(person))
        assert response.status_code == 200
