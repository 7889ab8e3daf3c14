"""Placeholder until the history page lands: nothing is routed yet."""
