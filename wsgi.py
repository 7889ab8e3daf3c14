"""Production entry point: ``gunicorn wsgi:app``."""

from facilitate import create_app

app = create_app()
