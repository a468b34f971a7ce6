"""Deactivating or deleting an account ends its sessions.

Django already refuses an inactive user on the next request, but it leaves the session in
place: re-activating the account would bring every old session cookie back. So the sessions
are deleted when ``is_active`` goes from True to False, when the user is deleted, and after
the Wagtail admin's bulk "set active state" action, which updates users without saving them.
Imported from ``NetworkConfig.ready()``.
"""

from importlib import import_module

from django.conf import settings
from django.contrib.auth import SESSION_KEY, get_user_model
from django.db.models.signals import post_delete, post_save, pre_save
from django.dispatch import receiver
from django.utils import timezone

from wagtail import hooks

# Engines that keep a table of sessions that can be searched; with the cache-only or
# signed-cookie engines there is nothing to search and Django's check of is_active remains.
DATABASE_SESSION_ENGINES = {
    "django.contrib.sessions.backends.db",
    "django.contrib.sessions.backends.cached_db",
}


def end_sessions(user_ids):
    """Delete every unexpired session signed in as one of ``user_ids``; return how many.

    The user id is inside each session's encoded data, so unexpired sessions are decoded one
    by one; expired ones can never be loaded again and are left to ``clearsessions``.
    Deleting through the session engine also drops the cached copy of a cached_db session.
    """
    user_ids = {str(pk) for pk in user_ids}
    if not user_ids or settings.SESSION_ENGINE not in DATABASE_SESSION_ENGINES:
        return 0
    store = import_module(settings.SESSION_ENGINE).SessionStore()
    unexpired = (
        store.get_model_class()
        .objects.filter(expire_date__gt=timezone.now())
        .only("session_key", "session_data")
    )
    keys = [
        session.session_key
        for session in unexpired.iterator(chunk_size=2000)
        if store.decode(session.session_data).get(SESSION_KEY) in user_ids
    ]
    for key in keys:
        store.delete(key)
    return len(keys)


@receiver(pre_save, sender=settings.AUTH_USER_MODEL, dispatch_uid="network.sessions.pre_save")
def note_deactivation(sender, instance, raw=False, update_fields=None, **kwargs):
    """Remember whether this save turns an active account inactive (one query, and only when
    an existing account is saved as inactive)."""
    instance._ends_sessions = False
    if raw or instance.is_active or instance._state.adding or instance.pk is None:
        return
    if update_fields is not None and "is_active" not in update_fields:
        return
    instance._ends_sessions = sender._base_manager.filter(pk=instance.pk, is_active=True).exists()


@receiver(post_save, sender=settings.AUTH_USER_MODEL, dispatch_uid="network.sessions.post_save")
def end_sessions_of_deactivated(sender, instance, **kwargs):
    if getattr(instance, "_ends_sessions", False):
        instance._ends_sessions = False
        end_sessions([instance.pk])


@receiver(post_delete, sender=settings.AUTH_USER_MODEL, dispatch_uid="network.sessions.post_delete")
def end_sessions_of_deleted(sender, instance, **kwargs):
    end_sessions([instance.pk])


@hooks.register("after_bulk_action")
def end_sessions_after_bulk_deactivation(request, action_type, objects, action_class_instance):
    """Wagtail's "set active state" bulk action calls ``QuerySet.update()``: no save signals."""
    if action_type != "set_active_state":
        return None
    user_model = get_user_model()
    pks = [obj.pk for obj in objects if isinstance(obj, user_model)]
    end_sessions(
        user_model._base_manager.filter(pk__in=pks, is_active=False).values_list("pk", flat=True)
    )
    return None
