"""The demo's resources, read from ``rennes-2018-resources.json`` (written for facilitate):
roles, a glossary and methods, each linked to the stages whose teams see it. Saved through the
service the organisers' form uses, so that the pages are rendered and checked as theirs are."""

import json
from pathlib import Path

from facilitate.models import Event, Stage
from facilitate.resources.services import ResourceDetails, save_resource

RESOURCES_FILE = Path(__file__).with_name("rennes-2018-resources.json")


def add_resources(event: Event, organiser) -> int:
    """Add the demo's resources to the event; returns how many."""
    items = json.loads(RESOURCES_FILE.read_text(encoding="utf-8"))["resources"]
    for item in items:
        save_resource(
            event,
            None,
            ResourceDetails(
                title=item["title"],
                grouping=item["group"],
                body=item["body"],
                stages=[Stage(s) for s in item["stages"]],
            ),
            organiser,
        )
    return len(items)
