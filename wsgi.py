"""Entry point: ``gunicorn wsgi:app`` and ``flask --app wsgi …``."""

import sys

from service import create_app
from service.platform.config import SettingsError

try:
    app = create_app()
except SettingsError as error:
    sys.exit(f"minsheng cannot start: {error}")
