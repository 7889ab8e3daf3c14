"""PostgreSQL prices random page reads as memory reads (``_configure_postgresql`` in
facilitate.extensions): every connection the application opens says so, and keeps saying so
after a transaction that changed the setting rolls back."""

import pytest
from sqlalchemy import text

from facilitate.extensions import db


def test_every_connection_prices_random_reads_for_data_in_memory(app):
    with app.app_context():
        if db.engine.dialect.name != "postgresql":
            pytest.skip("a PostgreSQL setting")
        with db.engine.connect() as connection:
            assert connection.scalar(text("SHOW random_page_cost")) == "1.1"
            connection.execute(text("SET random_page_cost = 4"))
            connection.rollback()  # the connection's own setting was committed when it opened
            assert connection.scalar(text("SHOW random_page_cost")) == "1.1"
