def test_event_page_lists_challenges(client, make):
    event = make.event(challenges=3, themes=2)
    response = client.get(f"/events/{event.slug}")
    assert response.status_code == 200
    assert "Comment relever le défi 3 ?" in response.text
