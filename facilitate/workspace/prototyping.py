"""Being written in this session; see the workspace package docstring."""
