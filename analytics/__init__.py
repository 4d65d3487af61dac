"""Scoring, themes, regions and aggregation: framework-free, usable from the web app, the CLI
and batch jobs alike. Nothing in this package imports Flask or ``service``."""
