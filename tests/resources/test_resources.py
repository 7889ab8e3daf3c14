"""Resources (issue 14, item 3): organisers write pages and attach documents; the event's
people read them, and a team sees those of its stage in its workspace. Unsafe Markdown and
bad documents are refused with a message, keeping what was typed and what was saved."""

import io
import os

import pytest
from markupsafe import escape
from sqlalchemy import select

from facilitate.extensions import db
from facilitate.models import AuditEntry, Event, Resource, ResourceStage, Stage
from facilitate.resources.services import for_stage
from tests.factories import sign_in
from tests.resources.conftest import PDF


def _base(event) -> str:
    return f"/events/{event.slug}/resources"


def _post(client, url, document=None, **fields):
    data = {"title": "Glossaire", "grouping": "Glossaire", "body": "", **fields}
    if document is not None:
        data["document"] = (io.BytesIO(document[0]), document[1], "application/pdf")
    return client.post(
        url, data=data, content_type="multipart/form-data", headers={"Accept-Language": "en"}
    )


def _add(event, title="Rôles", body="Le **facilitateur** anime.", stages=(), **fields):
    resource = Resource(
        event_id=event.id,
        title=title,
        grouping=fields.pop("grouping", "Rôles"),
        body_markdown=body,
        body_html=f"<p>{body}</p>",
        stage_links=[ResourceStage(stage=s) for s in stages],
        **fields,
    )
    db.session.add(resource)
    db.session.flush()
    return resource


def test_organisers_write_a_page_rendered_once_and_safely(client, event, organiser):
    response = _post(
        client,
        _base(event) + "/new",
        title="Méthodes",
        grouping="Méthodologies",
        body="# Le crazy 8\r\n\r\nHuit idées en **huit minutes**. [Source](https://example.org)",
        stages=["ideation"],
    )
    assert response.status_code == 303, response.text
    resource = db.session.scalar(select(Resource).where(Resource.event_id == event.id))
    assert resource.stages == [Stage.IDEATION]
    assert resource.body_markdown.startswith("# Le crazy 8\n\nHuit")
    assert "<h2>Le crazy 8</h2>" in resource.body_html
    assert '<a href="https://example.org" rel="noopener noreferrer nofollow">' in resource.body_html
    page = client.get(response.headers["Location"]).text
    assert "<strong>huit minutes</strong>" in page
    assert db.session.scalar(select(AuditEntry.action).where(AuditEntry.event_id == event.id)) == (
        "resource.created"
    )
    history = client.get(f"/events/{event.slug}/history", headers={"Accept-Language": "en"})
    assert "added the resource “Méthodes” (Méthodologies)" in history.text


@pytest.mark.parametrize(
    ("body", "said"),
    [
        ("Cliquez [ici](javascript:alert(1))", "javascript:alert(1)"),
        ("[ici](JaVa&#115;cript:alert(1))", "JaVascript:alert(1)"),
        ("Bonjour <script>alert(1)</script>", "&lt;script&gt;"),
        ('<img src="x" onerror="alert(1)">', "&lt;img&gt;"),
        ("![logo](data:image/png;base64,AAAA)", "data:image/png"),
    ],
)
def test_unsafe_markdown_is_refused_keeping_the_text_and_the_saved_page(
    client, event, organiser, body, said
):
    resource = _add(event, body="Version enregistrée")
    db.session.commit()
    response = _post(client, f"{_base(event)}/{resource.id}/edit", title="Nouveau titre", body=body)
    assert response.status_code == 400
    assert said in response.text
    # What was typed is in the form again, escaped.
    assert "Nouveau titre" in response.text
    assert str(escape(body)) in response.text and "<script>alert" not in response.text
    db.session.refresh(resource)
    assert (resource.title, resource.body_markdown) == ("Rôles", "Version enregistrée")


def test_a_page_or_a_document_is_needed(client, event, organiser):
    response = _post(client, _base(event) + "/new", body="  ")
    assert response.status_code == 400
    assert "Write the page or attach a document" in response.text
    response = _post(client, _base(event) + "/new", title="   ", grouping=" ", body="Texte")
    assert response.status_code == 400
    assert "Give the resource a title." in response.text
    assert db.session.scalar(select(Resource.id)) is None


def test_documents_are_checked_stored_and_served_with_safe_headers(
    client, event, organiser, folder
):
    response = _post(client, _base(event) + "/new", document=(PDF, "roles.pdf"))
    assert response.status_code == 303, response.text
    resource = db.session.scalar(select(Resource).where(Resource.event_id == event.id))
    assert resource.content_type == "application/pdf" and resource.original_name == "roles.pdf"
    assert os.listdir(folder) == [resource.storage_name]
    served = client.get(f"{_base(event)}/{resource.id}/document")
    assert served.status_code == 200 and served.data == PDF
    assert served.headers["X-Content-Type-Options"] == "nosniff"
    served.close()


def test_an_image_is_attached_and_shown(client, event, organiser, folder):
    from tests.test_workspace_prototyping import PNG

    response = _post(client, _base(event) + "/new", document=(PNG, "schema.png"))
    assert response.status_code == 303, response.text
    resource = db.session.scalar(select(Resource).where(Resource.event_id == event.id))
    assert resource.content_type == "image/png" and resource.storage_name.endswith(".png")
    page = client.get(response.headers["Location"]).text
    assert f'<img class="resource-image" src="{_base(event)}/{resource.id}/document"' in page


@pytest.mark.parametrize(
    ("content", "said"),
    [
        (b"<html><script>alert(1)</script></html>", "whatever its name says"),
        (b"MZ\x90\x00" + b"\x00" * 60, "whatever its name says"),
        (b"", "empty"),
        (PDF + b"x" * 2000, "too large"),
    ],
)
def test_bad_documents_are_refused_and_the_saved_one_kept(
    app, client, event, organiser, folder, monkeypatch, content, said
):
    monkeypatch.setitem(app.config, "UPLOAD_MAX_BYTES", 1024)
    assert _post(client, _base(event) + "/new", document=(PDF, "v1.pdf")).status_code == 303
    resource = db.session.scalar(select(Resource).where(Resource.event_id == event.id))
    kept = resource.storage_name
    response = _post(
        client,
        f"{_base(event)}/{resource.id}/edit",
        title="Renommé",
        body="Texte tapé",
        document=(content, "rapport.pdf"),
    )
    assert response.status_code == 400
    assert said in response.text
    assert "Texte tapé" in response.text
    db.session.refresh(resource)
    assert (resource.storage_name, resource.title) == (kept, "Glossaire")
    assert os.listdir(folder) == [kept]


def test_replacing_a_document_removes_the_old_file(client, event, organiser, folder):
    _post(client, _base(event) + "/new", document=(PDF, "v1.pdf"))
    resource = db.session.scalar(select(Resource).where(Resource.event_id == event.id))
    old = resource.storage_name
    assert (
        _post(client, f"{_base(event)}/{resource.id}/edit", document=(PDF, "v2.pdf")).status_code
        == 303
    )
    db.session.refresh(resource)
    assert resource.original_name == "v2.pdf"
    assert os.listdir(folder) == [resource.storage_name] != [old]
    assert client.post(f"{_base(event)}/{resource.id}/delete").status_code == 303
    assert os.listdir(folder) == []


def test_the_workspace_shows_the_resources_of_the_teams_stage(client, make, event):
    team = event.challenges[0].team
    member = make.participant(event, team=team)
    _add(event, title="Fiche rôles", stages=[Stage.FRAMING])
    _add(event, title="Crazy 8", stages=[Stage.IDEATION])
    _add(event, title="Sans étape")
    db.session.commit()
    sign_in(client, member)
    page = client.get(f"/events/{event.slug}/teams/1/workspace").text
    assert "Pour cette étape" in page or "For this stage" in page
    assert "Fiche rôles" in page and "Crazy 8" not in page and "Sans étape" not in page
    assert [r.title for r in for_stage(event.id, Stage.IDEATION)] == ["Crazy 8"]


def test_lists_run_a_constant_number_of_queries(client, event, organiser, count_queries):
    def queries():
        with count_queries() as statements:
            assert client.get(_base(event)).status_code == 200
        return len(statements)

    _add(event, title="Un", stages=[Stage.FRAMING])
    db.session.commit()
    one = queries()
    for n in range(5):
        _add(event, title=f"R{n}", grouping=f"G{n}", stages=[Stage.FRAMING, Stage.IDEATION])
    db.session.commit()
    assert queries() == one


def test_resources_are_copied_with_their_event(client, make, event, organiser, folder):
    _post(client, _base(event) + "/new", document=(PDF, "roles.pdf"), stages=["framing"])
    _add(event, title="Lexique", body="Un *défi*")
    db.session.commit()
    organiser.is_organiser = True
    db.session.commit()
    response = client.post(
        f"/events/{event.slug}/clone",
        data={"name": "Copie", "slug": "copie-ressources", "starts_at": "2027-07-05T09:00"},
    )
    assert response.status_code == 303, response.text
    copy = db.session.scalar(select(Event).where(Event.slug == "copie-ressources"))
    copied = db.session.scalars(
        select(Resource).where(Resource.event_id == copy.id).order_by(Resource.title)
    ).all()
    assert [(r.title, r.stages) for r in copied] == [
        ("Glossaire", [Stage.FRAMING]),
        ("Lexique", []),
    ]
    original = db.session.scalar(
        select(Resource).where(Resource.event_id == event.id, Resource.storage_name.is_not(None))
    )
    document = next(r for r in copied if r.storage_name)
    assert document.storage_name != original.storage_name
    assert sorted(os.listdir(folder)) == sorted([document.storage_name, original.storage_name])


# --- Who may do what --------------------------------------------------------------------------


def _routes(event, resource) -> list[tuple[str, str]]:
    base = _base(event)
    return [
        ("get", base),
        ("get", f"{base}/{resource.id}"),
        ("get", f"{base}/{resource.id}/document"),
        ("get", f"{base}/new"),
        ("post", f"{base}/new"),
        ("get", f"{base}/{resource.id}/edit"),
        ("post", f"{base}/{resource.id}/edit"),
        ("get", f"{base}/{resource.id}/delete"),
        ("post", f"{base}/{resource.id}/delete"),
    ]


@pytest.mark.parametrize("who", ["other organiser", "other participant", "removed person"])
def test_outsiders_are_refused_everywhere(client, make, event, who):
    resource = _add(event)
    other = make.event()
    if who == "other organiser":
        person = make.organiser(other)
    elif who == "other participant":
        person = make.participant(other)
    else:
        person = make.participant(event)
        db.session.commit()
        sign_in(client, person)
        from facilitate.people.management import remove_attendee

        remove_attendee(event, person, None)
    db.session.commit()
    if who != "removed person":
        sign_in(client, person)
    for method, url in _routes(event, resource):
        response = getattr(client, method)(url, data={"title": "x", "grouping": "y", "body": "z"})
        assert response.status_code in (302, 403, 404), (method, url, response.status_code)
        if who != "removed person":
            assert response.status_code == 403, (method, url)
    assert db.session.get(Resource, resource.id).title == "Rôles"


def test_participants_read_but_do_not_write(client, make, event):
    resource = _add(event)
    person = make.participant(event)
    db.session.commit()
    sign_in(client, person)
    for method, url in _routes(event, resource):
        response = getattr(client, method)(url, data={"title": "x", "grouping": "y", "body": "z"})
        writing = url.endswith(("/new", "/edit", "/delete"))
        expected = 403 if writing else (404 if url.endswith("/document") else 200)
        assert response.status_code == expected, (method, url)


def test_another_events_resource_is_not_found(client, make, event, organiser):
    elsewhere = _add(make.event(), title="Ailleurs")
    db.session.commit()
    assert client.get(f"{_base(event)}/{elsewhere.id}").status_code == 404
    assert client.get(f"{_base(event)}/{elsewhere.id}/edit").status_code == 404


def test_the_demo_resources_render_and_cover_every_stage(event):
    from facilitate.demo.resources import add_resources

    assert add_resources(event, None) >= 5
    resources = db.session.scalars(select(Resource).where(Resource.event_id == event.id)).all()
    assert {r.grouping for r in resources} >= {"Rôles", "Glossaire", "Méthodologies"}
    assert all(r.body_html.strip() for r in resources)
    assert all(for_stage(event.id, stage) for stage in Stage)
