"""What makes a password acceptable: each refusal says why."""

import pytest

from facilitate.accounts.passwords import common_passwords, password_problem

EMAIL = "jeanne.martin@ville-rennes.fr"
NAME = "Jeanne Martin"


@pytest.mark.parametrize(
    ("password", "reason"),
    [
        ("court", "12"),
        ("motdepasse", "12"),
        ("azerty123456", "plus courants"),
        ("AZERTY123456", "plus courants"),
        ("Motdepasse2024!", "plus courants"),
        ("soleil123456789", "plus courants"),
        ("  Soleil !!!!!!", "plus courants"),
        ("Trésor2024!!!!", "plus courants"),
        ("password1234", "plus courants"),
        ("qwertyuiop12", "plus courants"),
        ("jeanne.martin2024", "votre nom"),
        ("JeanneMartin!!!", "votre nom"),
        ("jeanne.martin@ville-rennes.fr", "votre nom"),
        ("aaaaaaaaaaaa", "trop facile"),
        ("soleilsoleil", "trop facile"),
        ("abcdefghijklmn", "trop facile"),
        ("azertyuiopqsdf", "trop facile"),
        ("&é\"'(-è_çà)=", "trop facile"),
    ],
)
def test_weak_passwords_are_refused_with_their_reason(app, password, reason):
    with app.test_request_context(headers={"Accept-Language": "fr"}):
        problem = password_problem(password, email=EMAIL, name=NAME)
    assert problem is not None and reason in problem, problem


@pytest.mark.parametrize(
    "password",
    [
        "correct horse battery",
        "le chat mange la souris verte",
        "Rennes35000!Glacière",
        "Tr0ub4dor&3-pinces",
        "x" * 70 + "Q7!",  # long: accepted without the estimate
    ],
)
def test_good_passwords_are_accepted(app, password):
    with app.test_request_context():
        assert password_problem(password, email=EMAIL, name=NAME) is None


def test_reasons_are_in_english_for_english_readers(app):
    with app.test_request_context(headers={"Accept-Language": "en"}):
        assert "most common" in password_problem("azerty123456", email=None, name=None)


def test_the_list_holds_common_french_passwords_and_the_zxcvbn_ones():
    common = common_passwords()
    assert {"motdepasse", "azerty123456", "soleil", "123456", "password"} <= common
    assert len(common) > 30000
