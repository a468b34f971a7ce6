"""Production settings with a local-memory cache: the Lighthouse run's fallback when no
``redis-server`` is installed (benchmarks/lighthouse/run.py). Never used outside it."""

from settings.production import *  # noqa: F403

CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
