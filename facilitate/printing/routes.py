"""Views are added in the following commits."""
