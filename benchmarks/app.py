"""The app with the benchmark data generator: ``flask --app benchmarks.app bench-data ...``.

``bench-data`` (benchmarks/data.py) belongs to a source checkout, not to the product: the
product's command line (``flask --app app``) does not import the benchmarks.
"""

from __future__ import annotations

from flask import Flask

from app import create_app as create_product_app
from benchmarks.data import bench_data_command


def create_app(config: dict | None = None) -> Flask:
    """The product's app plus the ``bench-data`` command."""
    app = create_product_app(config)
    app.cli.add_command(bench_data_command)
    return app
