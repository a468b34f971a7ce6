"""Login throttling: the address a login attempt came from, for django-axes.

django-axes locks a username for one client address (settings, "Login throttling"). Without
django-ipware it takes ``REMOTE_ADDR``, which behind a reverse proxy is the proxy's own
address: every visitor would share one counter. ``X-Forwarded-For`` names the client, but
anyone can send that header, so only the hops our own proxies appended are believed.
"""

import ipaddress

from django.conf import settings


def client_ip_address(request):
    """The client's address (``AXES_CLIENT_IP_CALLABLE``), or ``None`` if there is none.

    Each proxy appends the address it received the request from to ``X-Forwarded-For``, so
    with ``TRUSTED_PROXY_COUNT = n`` the client is the n-th entry from the right; whatever
    stands to its left came from the client and is ignored. With n = 0, or a header shorter
    than n (the request did not come through our proxies), ``REMOTE_ADDR`` is used.
    """
    remote_addr = _normalised(request.META.get("REMOTE_ADDR", ""))
    proxy_count = getattr(settings, "TRUSTED_PROXY_COUNT", 0)
    if proxy_count <= 0:
        return remote_addr
    hops = [hop.strip() for hop in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")]
    hops = [hop for hop in hops if hop]
    if len(hops) < proxy_count:
        return remote_addr
    return _normalised(hops[-proxy_count]) or remote_addr


def _normalised(value):
    """A valid IP address in its canonical spelling, or None: axes stores it in an IP field,
    which PostgreSQL checks (an IPv6 zone such as ``%eth0`` is dropped for the same reason)."""
    try:
        return str(ipaddress.ip_address(value.strip().partition("%")[0]))
    except ValueError:
        return None
