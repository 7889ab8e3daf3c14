from flask import render_template
from flask_login import current_user

from facilitate import policy
from facilitate.challenges import bp
from facilitate.challenges.services import get_challenge_or_404


@bp.get("/events/<slug>/challenges/<int:number>")
def show(slug: str, number: int):
    challenge = get_challenge_or_404(slug, number)
    policy.require(policy.can_view_challenge(current_user, challenge))
    return render_template("challenges/challenge.html", challenge=challenge, event=challenge.event)
