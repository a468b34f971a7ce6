"""WSGI entry point: ``gunicorn --pythonpath site wsgi:application``."""

import os
import sys
from pathlib import Path

# The configuration folder is the import root (the standard library owns ``site``).
sys.path.insert(0, str(Path(__file__).resolve().parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "settings.production")

from django.core.wsgi import get_wsgi_application

application = get_wsgi_application()
