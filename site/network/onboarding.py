"""Onboarding a partner library: its page, its editors' group, collection, workflow, accounts.

``onboard_library`` is what ``manage.py import_libraries`` does for each row of the CSV and
what the admin's «Подключить библиотеку» form does for one library. Everything is
idempotent: a second run repairs what is missing and changes nothing else.

Accounts get no password: each new editor receives a link to set one (Django's
password-reset token, valid ``PASSWORD_RESET_TIMEOUT``), so no password is ever printed,
mailed or stored in plain text.
"""

import re
from dataclasses import dataclass, field
from decimal import Decimal

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.contrib.auth.tokens import default_token_generator
from django.core.exceptions import ValidationError
from django.core.mail import send_mail
from django.core.validators import URLValidator, validate_email
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode

from wagtail.log_actions import log
from wagtail.models import Locale

from memorials.importer import RowError, _coordinate, _text

from . import roles
from .geo import validate_point
from .models import LibraryAccess, LibraryIndexPage, LibraryPage, LibraryType
from .regions import REGION_NAME, get_district, in_region

LIBRARY_COLUMNS = [
    "slug",
    "name",
    "short_name",
    "type",
    "region",
    "district",
    "settlement",
    "address",
    "latitude",
    "longitude",
    "website",
    "editors",
]
REQUIRED_COLUMNS = ["slug", "name", "type", "district"]
SLUG = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
SPLIT_EMAILS = re.compile(r"[;,\s]+")
MAX_EDITORS = 10

# Type names as people write them, besides the codes and the labels of LibraryType.
TYPE_SYNONYMS = {
    "областная": LibraryType.REGIONAL,
    "цбс": LibraryType.CENTRAL,
    "црб": LibraryType.CENTRAL,
    "центральная": LibraryType.CENTRAL,
    "районная": LibraryType.CENTRAL,
    "городская": LibraryType.CITY,
    "сельская": LibraryType.RURAL,
    "детская": LibraryType.CHILDREN,
    "школьная": LibraryType.SCHOOL,
    "партнёр": LibraryType.PARTNER,
    "партнер": LibraryType.PARTNER,
}

# Fields a CSV row sets on the library page (what it says about the library, not its story).
PAGE_FIELDS = [
    "title",
    "short_name",
    "library_type",
    "region",
    "district",
    "settlement",
    "address",
    "latitude",
    "longitude",
    "website",
]


@dataclass
class LibraryData:
    """One library as a CSV row or the admin form describes it."""

    slug: str
    title: str
    short_name: str = ""
    library_type: str = LibraryType.RURAL
    region: str = REGION_NAME
    district: str = ""
    settlement: str = ""
    address: str = ""
    latitude: Decimal | None = None
    longitude: Decimal | None = None
    website: str = ""
    editors: list = field(default_factory=list)
    warnings: list = field(default_factory=list)

    def page_values(self):
        return {name: getattr(self, name) for name in PAGE_FIELDS}


@dataclass
class Outcome:
    """What onboarding one library did."""

    library: LibraryPage
    created: bool = False
    updated: bool = False
    invited: list = field(default_factory=list)
    joined: list = field(default_factory=list)

    @property
    def status(self):
        return "created" if self.created else "updated" if self.updated else "unchanged"


def parse_type(value):
    text = " ".join((value or "").split()).lower()
    if not text:
        raise RowError("Не указан тип библиотеки (type).")
    for choice in LibraryType:
        if text in (choice.value, str(choice.label).lower()):
            return choice.value
    if text in TYPE_SYNONYMS:
        return TYPE_SYNONYMS[text]
    for word, choice in TYPE_SYNONYMS.items():
        if text.startswith(word):
            return choice
    known = ", ".join(choice.value for choice in LibraryType)
    raise RowError(f"Тип библиотеки «{value}» не известен. Возможные значения: {known}.")


def parse_emails(value):
    emails = []
    for raw in SPLIT_EMAILS.split(value or ""):
        email = raw.strip().strip("<>").lower()
        if not email:
            continue
        try:
            validate_email(email)
        except ValidationError:
            raise RowError(f"«{raw}» — не адрес электронной почты (editors).") from None
        if len(email) > 150:
            raise RowError(f"Адрес «{raw}» длиннее 150 знаков.")
        if email not in emails:
            emails.append(email)
    if len(emails) > MAX_EDITORS:
        raise RowError(f"Редакторов больше {MAX_EDITORS}: проверьте столбец editors.")
    return emails


def parse_website(value):
    url = (value or "").strip()
    if not url:
        return ""
    if "://" not in url:
        url = "https://" + url
    try:
        URLValidator(schemes=["http", "https"])(url)
    except ValidationError:
        raise RowError(f"«{value}» — не адрес сайта (website).") from None
    if len(url) > 200:
        raise RowError("Адрес сайта длиннее 200 знаков.")
    return url


def parse_library(row):
    """A :class:`LibraryData` from a CSV row (a dict of column → text); raises RowError."""
    slug = (row.get("slug") or "").strip().lower()
    if not slug:
        raise RowError("Не указан slug — короткое латинское имя для адреса страницы.")
    if not SLUG.match(slug) or len(slug) > 80:
        raise RowError(
            f"slug «{row.get('slug')}»: только латинские буквы, цифры и дефисы, до 80 знаков."
        )
    title = _text(row, "name", 255, "name")
    if not title:
        raise RowError("Не указано название библиотеки (name).")
    data = LibraryData(
        slug=slug,
        title=title,
        short_name=_text(row, "short_name", 120, "short_name"),
        library_type=parse_type(row.get("type")),
        region=_text(row, "region", 120, "region") or REGION_NAME,
        settlement=_text(row, "settlement", 120, "settlement"),
        address=_text(row, "address", 255, "address"),
        latitude=_coordinate(row, "latitude", "Широта"),
        longitude=_coordinate(row, "longitude", "Долгота"),
        website=parse_website(row.get("website")),
        editors=parse_emails(row.get("editors")),
    )
    district = _text(row, "district", 120, "district")
    if not district:
        raise RowError("Не указан район (district).")
    if data.region == REGION_NAME:
        known = get_district(district)
        if known is None:
            # Not "нет в {REGION_NAME}": the region's name is in the nominative case.
            raise RowError(f"Района «{district}» нет в справочнике районов ({REGION_NAME}).")
        district = known.name
    data.district = district
    errors = validate_point(data.latitude, data.longitude)
    if errors:
        raise RowError(" ".join(str(message) for message in errors.values()))
    if (
        data.region == REGION_NAME
        and data.latitude is not None
        and not in_region(float(data.latitude), float(data.longitude))
    ):
        data.warnings.append("Точка вне области: проверьте, не перепутаны ли широта и долгота.")
    return data


# -- the library's area ----------------------------------------------------------------------


def library_index():
    """The directory page of the site's default language, where libraries are created."""
    locale = Locale.get_default()
    index = LibraryIndexPage.objects.filter(locale=locale).order_by("path").first()
    if index is None:
        index = LibraryIndexPage.objects.order_by("path").first()
    if index is None:
        raise RowError(
            "На сайте нет каталога библиотек (страницы типа «Каталог библиотек»): "
            "создайте его в админке или выполните manage.py load_demo."
        )
    return index


def hero_book(locale):
    from memorials.models import HeroIndexPage

    return (
        HeroIndexPage.objects.filter(locale=locale).order_by("path").first()
        or HeroIndexPage.objects.order_by("path").first()
    )


def _group_name(library):
    base = f"Редакторы: {library.display_name}"[:130]
    taken = Group.objects.filter(name=base).exclude(library_access__library=library).exists()
    return f"{base} ({library.slug})"[:150] if taken else base


def ensure_access(library):
    """Group, collection, permissions and workflow of ``library``; returns LibraryAccess."""
    access = LibraryAccess.objects.filter(library=library).select_related("group").first()
    if access is None:
        group = Group.objects.create(name=_group_name(library))
        collection = roles.child_collection(roles.libraries_collection(), library.display_name)
        if LibraryAccess.objects.filter(collection=collection).exists():
            collection = roles.libraries_collection().add_child(
                name=f"{library.display_name} ({library.slug})"
            )
        access = LibraryAccess.objects.create(library=library, group=group, collection=collection)
    else:
        group = access.group
        wanted = _group_name(library)
        if group.name != wanted:
            group.name = wanted
            group.save(update_fields=["name"])
    group.permissions.set(roles.permissions(roles.LIBRARY_PERMISSIONS))
    roles.set_page_permissions(group, library, roles.LIBRARY_PAGE_PERMISSIONS)
    book = hero_book(library.locale)
    if book is not None:
        roles.set_page_permissions(group, book, roles.HERO_BOOK_PERMISSIONS)
    roles.set_collection_permissions(group, access.collection, roles.LIBRARY_COLLECTION_PERMISSIONS)
    roles.set_collection_permissions(
        group, roles.shared_collection(), roles.SHARED_COLLECTION_PERMISSIONS
    )
    _moderators, workflow = roles.ensure_roles()
    roles.assign_workflow(library, workflow)
    if book is not None:
        roles.assign_workflow(book, workflow)
    return access


# -- accounts ---------------------------------------------------------------------------------


def ensure_editor(access, email, actor=None):
    """The account ``email`` in ``access``'s group; returns (user, created, joined)."""
    User = get_user_model()
    email = email.strip().lower()
    user = User.objects.filter(username__iexact=email).first()
    created = user is None
    if created:
        user = User(username=email, email=email, is_active=True)
        user.set_unusable_password()
        user.save()
        log(instance=user, action="wagtail.create", user=actor)
    joined = not user.groups.filter(pk=access.group_id).exists()
    if joined:
        user.groups.add(access.group)
        log(
            instance=access,
            action="letopis.library.editor_added",
            user=actor,
            data={"email": email, "library": access.library.display_name},
        )
    return user, created, joined


def invitation_link(user, base_url=None):
    base_url = (base_url or settings.WAGTAILADMIN_BASE_URL).rstrip("/")
    path = reverse(
        "wagtailadmin_password_reset_confirm",
        kwargs={
            "uidb64": urlsafe_base64_encode(force_bytes(user.pk)),
            "token": default_token_generator.make_token(user),
        },
    )
    return base_url + path


def send_invitation(user, library, actor=None, base_url=None):
    """E-mail ``user`` a link to set a password and start working for ``library``."""
    with translation.override(settings.LANGUAGE_CODE):
        context = {
            "user": user,
            "library": library,
            "link": invitation_link(user, base_url),
            "login_url": (base_url or settings.WAGTAILADMIN_BASE_URL).rstrip("/")
            + reverse("wagtailadmin_login"),
            "site_name": settings.WAGTAIL_SITE_NAME,
            "valid_days": max(1, settings.PASSWORD_RESET_TIMEOUT // 86400),
        }
        subject = " ".join(
            render_to_string("network/email/invitation_subject.txt", context).split()
        )
        body = render_to_string("network/email/invitation.txt", context)
    send_mail(subject, body, None, [user.email])
    access = getattr(library, "access", None)
    log(
        instance=access or user,
        action="letopis.library.editor_invited",
        user=actor,
        data={"email": user.email, "library": library.display_name},
    )


def needs_invitation(user):
    """An account that never set a password (and so never logged in)."""
    return not user.has_usable_password() and user.last_login is None


# -- one library --------------------------------------------------------------------------------


def onboard_library(
    data, actor=None, invite=True, resend=False, base_url=None, already_invited=None
):
    """Create or update the library ``data`` describes, with everything its editors need.

    ``invite``: e-mail new editors a link to set their password; ``resend``: e-mail it
    again to editors who have not set one yet. ``already_invited``: a set of e-mails
    invited earlier in the same run, updated here — an editor of several libraries in one
    table gets one invitation, not one per row. Returns an :class:`Outcome`.
    """
    if already_invited is None:
        already_invited = set()
    with transaction.atomic():
        index = library_index()
        library = (
            LibraryPage.objects.filter(slug=data.slug).descendant_of(index).first()
            or LibraryPage.objects.filter(slug=data.slug, locale=index.locale).first()
        )
        outcome = Outcome(library=library)
        values = data.page_values()
        if library is None:
            library = LibraryPage(slug=data.slug, owner=actor, **values)
            # add_child() logs "wagtail.create" itself (Page.save, as the owner: ``actor``).
            index.add_child(instance=library)
            library.full_clean()
            library.save_revision(user=actor, log_action=False).publish(user=actor)
            outcome.library = library
            outcome.created = True
        else:
            library = library.specific
            changed = {
                name: value for name, value in values.items() if getattr(library, name) != value
            }
            if changed:
                for name, value in changed.items():
                    setattr(library, name, value)
                library.full_clean()
                library.save_revision(user=actor).publish(user=actor)
                outcome.updated = True
        access = ensure_access(library)
        if outcome.created:
            log(
                instance=access,
                action="letopis.library.onboarded",
                user=actor,
                data={"library": library.display_name, "slug": library.slug},
            )
        to_invite = []
        for email in data.editors:
            user, created, joined = ensure_editor(access, email, actor)
            if joined:
                outcome.joined.append(email)
            if user.email in already_invited:
                continue
            if invite and (created or (resend and needs_invitation(user))):
                to_invite.append(user)
    # E-mails leave only after the library and the accounts are committed.
    for user in to_invite:
        send_invitation(user, library, actor=actor, base_url=base_url)
        outcome.invited.append(user.email)
        already_invited.add(user.email)
    return outcome


def invite_editor(library, email, actor=None, base_url=None):
    """Add ``email`` to ``library``'s editors; invite them if they have no password yet.

    Returns (user, invited)."""
    with transaction.atomic():
        access = ensure_access(library)
        user, _created, _joined = ensure_editor(access, email, actor)
    invited = needs_invitation(user)
    if invited:
        send_invitation(user, library, actor=actor, base_url=base_url)
    return user, invited
