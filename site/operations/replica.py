"""Reading from a PostgreSQL replica (``DATABASE_REPLICA_URL``) where a lag cannot hurt.

Only an anonymous visitor's GET or HEAD of a public page reads from the replica: nobody
there has just written anything they expect to see. The admin, every form submission,
signed-in editors and management commands read and write the primary, so an editor never
misses the change they just saved. Writes always go to the primary (a rendition made
while a page renders, too); migrations run there only.
"""

import threading

from django.conf import settings

REPLICA = "replica"
PRIVATE_PREFIXES = ("/admin/", "/documents/", "/healthz")

_state = threading.local()


def reading_from_replica():
    return getattr(_state, "replica", False)


def may_use_replica(request):
    return (
        request.method in ("GET", "HEAD")
        and settings.SESSION_COOKIE_NAME not in request.COOKIES
        and not request.path.startswith(PRIVATE_PREFIXES)
    )


class ReplicaRouter:
    """Reads of a replica request go to the replica; everything else to the primary."""

    def db_for_read(self, model, **hints):
        return REPLICA if reading_from_replica() else None

    def db_for_write(self, model, **hints):
        return "default"

    def allow_relation(self, obj1, obj2, **hints):
        return True  # the same data on both

    def allow_migrate(self, db, app_label, model_name=None, **hints):
        return db == "default"


class ReplicaMiddleware:
    """Marks the requests that may read from the replica (see the module)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        _state.replica = may_use_replica(request)
        try:
            return self.get_response(request)
        finally:
            _state.replica = False
