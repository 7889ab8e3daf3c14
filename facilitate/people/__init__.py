"""Attendees of an event: importing them from the organisers' spreadsheets, placing them in
teams, and handing out their access codes."""
