#!/usr/bin/env python
"""Django's command-line utility for Letopis.

The project configuration lives in ``site/``; that folder is put on the import path
(the standard library owns the name ``site``), so its modules import as
``settings.dev``, ``urls`` and ``wsgi``.
"""

import os
import sys
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent
sys.path.insert(0, str(BASE_DIR / "site"))


def main():
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "settings.dev")
    from django.core.management import execute_from_command_line

    execute_from_command_line(sys.argv)


if __name__ == "__main__":
    main()
