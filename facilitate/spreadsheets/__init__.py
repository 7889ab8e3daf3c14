"""Spreadsheets in and out, for every feature that imports or exports a table (challenges,
attendees, vote results): one home, so that each file format, encoding and header spelling is
handled once.

- ``reading``: bytes of an XLSX, ODS or CSV file -> a ``Table`` of texts as typed (``table``),
  a workbook read by ``workbooks`` once ``safety`` and ``scans`` have looked at it;
- ``columns``: which column fills which field (``match_columns``), and the column report;
- ``cells``: one cell's text both ways (lists, formulas neutralised);
- ``writing``: CSV, XLSX and ODS files, and their download responses, streamed (memory stays
  flat however many rows); ``ods``: the ODS written row by row;
- ``problems``: what is wrong with a file, by line and column;
- ``safety``: what no office program writes, refused before parsing;
- ``pages``: the web import, upload -> preview -> confirm, shared by the features.

Features keep their own columns and rules: ``challenges/spreadsheet.py``,
``people/spreadsheet.py``.
"""

from flask import Blueprint

# Holds the shared import templates only; the features' blueprints hold the routes.
bp = Blueprint("spreadsheets", __name__, template_folder="templates")
