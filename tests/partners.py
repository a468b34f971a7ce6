"""A small network of three partner libraries, built through the onboarding code, for the
isolation tests (tests/test_partner_isolation.py).

Every library A, B and C gets the same things, each titled so a leak is easy to spot:
what only the library (and moderators) may see carries ``СЕКРЕТ-<letter>``, what everybody
may see carries ``ОТКРЫТО-<letter>``.
"""

from dataclasses import dataclass, field

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.files.base import ContentFile
from django.utils import timezone

from wagtail.documents import get_document_model
from wagtail.images import get_image_model
from wagtail.images.tests.utils import get_test_image_file
from wagtail.models import (
    Collection,
    GroupCollectionPermission,
    GroupPagePermission,
    Locale,
    ModelLogEntry,
    Page,
    PageLogEntry,
    PageViewRestriction,
    Revision,
    Site,
    TaskState,
    WorkflowPage,
    WorkflowState,
)
from wagtail_localize.models import StringTranslation, Translation
from wagtail_localize.operations import TranslationCreator

from wagtailmedia.models import get_media_model

from home.models import HomePage, SiteSettings
from memorials.models import HeroIndexPage, HeroPage
from network import roles
from network.models import LibraryAccess
from network.onboarding import ensure_editor, onboard_library, parse_library
from projects.models import ContributionPage, ProjectIndexPage, ProjectPage
from tests.factories import LibraryIndexPageFactory

LETTERS = ("A", "B", "C")
DISTRICTS = {"A": "Козельский район", "B": "Сухиничский район", "C": "Жуковский район"}
PASSWORD = "пароль-для-закрытой-страницы"


def secret(letter, what):
    return f"СЕКРЕТ-{letter}-{what}"


def tag(letter):
    return f"тег-библиотеки-{letter}"


def public(letter, what):
    return f"ОТКРЫТО-{letter}-{what}"


@dataclass
class LibraryWorld:
    """One onboarded library and everything in its area."""

    letter: str
    library: object
    access: LibraryAccess
    editor: object
    live: ContributionPage  # published, no pending changes
    draft: ContributionPage  # never published, submitted for moderation
    changed: ContributionPage  # published, with unpublished draft changes (several revisions)
    private: ContributionPage  # published behind a password, locked by a moderator
    hero: HeroPage  # a draft hero story under the Book of Memory, owned by the editor
    hero_live: HeroPage  # a published hero story
    hero_changed: HeroPage  # a published hero story with draft changes
    image: object
    document: object
    media: object
    workflow_state: WorkflowState = None
    task_state: TaskState = None
    revisions: list = field(default_factory=list)

    @property
    def secrets(self):
        return f"СЕКРЕТ-{self.letter}"


@dataclass
class World:
    home: HomePage
    index: object
    book: HeroIndexPage
    project: ProjectPage
    moderator: object
    shared_image: object
    shared_document: object
    libraries: dict
    translation: object = None

    def __getitem__(self, letter):
        return self.libraries[letter]


def _page(parent, page, user, publish, publisher=None):
    """``page`` written by ``user`` under ``parent``; published by ``publisher`` (a moderator:
    editors never publish)."""
    page.owner = user
    page.live = False
    parent.add_child(instance=page)
    revision = page.save_revision(user=user)
    if publish:
        revision.publish(user=publisher)
    page.refresh_from_db()
    return page


def _contribution(parent, project, user, title, slug, publish=True, publisher=None):
    page = ContributionPage(
        title=title, slug=slug, project=project, date="2020-05-09", intro=f"{title}: кратко"
    )
    return _page(parent, page, user, publish, publisher)


def _hero(book, editor, name, slug, publisher=None):
    """A hero story written by ``editor``; published by ``publisher`` if given."""
    page = HeroPage(
        title=name,
        slug=slug,
        last_name=name,
        first_name="Иван",
        birth_year=1915,
        death_year=1942,
        fate="killed",
        ref=f"test-{slug}",
    )
    return _page(book, page, editor, publish=publisher is not None, publisher=publisher)


def build_world():
    """The three libraries, their editors and a moderator; returns a :class:`World`."""
    User = get_user_model()
    home = HomePage.objects.get(depth=2, locale__language_code="ru")
    # Created on first read otherwise: by the first admin page that shows them.
    SiteSettings.for_site(Site.objects.get(is_default_site=True))
    index = LibraryIndexPageFactory(parent=home, slug="biblioteki")
    book = _page(home, HeroIndexPage(title="Книга памяти", slug="kniga-pamyati"), None, True)
    projects = _page(home, ProjectIndexPage(title="Проекты", slug="proekty"), None, True)
    project = _page(
        projects,
        ProjectPage(title="Сетевой проект", slug="setevoj", start_year=2020, status="open"),
        None,
        True,
    )

    moderator = User.objects.create_user(
        username="moderator@example.org", email="moderator@example.org", password="x"
    )
    moderator.groups.add(Group.objects.get(name=roles.MODERATORS))
    libraries = {}
    # Other libraries first: whatever lists "the first few" of something (by id) meets
    # B's and C's before A's own.
    for letter in reversed(LETTERS):
        slug = f"library-{letter.lower()}"
        data = parse_library(
            {
                "slug": slug,
                "name": f"Библиотека {letter}",
                "short_name": f"Библиотека {letter}",
                "type": "rural",
                "district": DISTRICTS[letter],
            }
        )
        outcome = onboard_library(data, invite=False)
        library = outcome.library
        access = LibraryAccess.objects.get(library=library)
        editor, _created, _joined = ensure_editor(access, f"editor-{letter.lower()}@example.org")
        lower = letter.lower()

        live = _contribution(
            library, project, editor, public(letter, "материал"), f"live-{lower}", True, moderator
        )
        draft = _contribution(
            library, project, editor, secret(letter, "новый"), f"draft-{lower}", publish=False
        )
        changed = _contribution(
            library, project, editor, public(letter, "правка"), f"changed-{lower}", True, moderator
        )
        for number in (1, 2):
            changed.title = secret(letter, "черновик")
            changed.intro = f"{secret(letter, 'черновик')} {number}"
            changed.save_revision(user=editor)
        changed.refresh_from_db()
        private = _contribution(
            library,
            project,
            editor,
            secret(letter, "закрытый"),
            f"private-{lower}",
            True,
            moderator,
        )
        PageViewRestriction.objects.create(
            page=private, restriction_type=PageViewRestriction.PASSWORD, password=PASSWORD
        )
        Page.objects.filter(pk=private.pk).update(
            locked=True, locked_by=moderator, locked_at=timezone.now()
        )
        private.refresh_from_db()
        hero = _hero(book, editor, secret(letter, "герой"), f"hero-{lower}")
        hero_live = _hero(
            book, editor, public(letter, "герой"), f"hero-live-{lower}", publisher=moderator
        )
        hero_changed = _hero(
            book, editor, public(letter, "герой-правка"), f"hero-changed-{lower}", moderator
        )
        hero_changed.title = hero_changed.last_name = secret(letter, "герой-черновик")
        hero_changed.save_revision(user=editor)
        hero_changed.refresh_from_db()

        image = get_image_model().objects.create(
            title=secret(letter, "изображение"),
            file=get_test_image_file(f"image-{lower}.png"),
            collection=access.collection,
            uploaded_by_user=editor,
        )
        document = get_document_model().objects.create(
            title=secret(letter, "документ"),
            file=ContentFile(b"letopis", name=f"document-{lower}.txt"),
            collection=access.collection,
            uploaded_by_user=editor,
        )
        # Tags are one vocabulary for the whole site (taggit): see test_partner_isolation.
        image.tags.add(tag(letter))
        document.tags.add(tag(letter))
        media = get_media_model().objects.create(
            title=secret(letter, "видео"),
            file=ContentFile(b"\x00\x00\x00\x18ftypmp42", name=f"video-{lower}.mp4"),
            type="video",
            collection=access.collection,
            uploaded_by_user=editor,
        )

        workflow = draft.get_workflow()
        workflow_state = workflow.start(draft, editor)
        draft.refresh_from_db()

        libraries[letter] = LibraryWorld(
            letter=letter,
            library=library,
            access=access,
            editor=editor,
            live=live,
            draft=draft,
            changed=changed,
            private=private,
            hero=hero,
            hero_live=hero_live,
            hero_changed=hero_changed,
            image=image,
            document=document,
            media=media,
            workflow_state=workflow_state,
            task_state=workflow_state.current_task_state,
            revisions=list(changed.revisions.order_by("pk")),
        )
    # Shared files come last, after every library's.
    shared = roles.shared_collection()
    shared_image = get_image_model().objects.create(
        title=public("общие", "изображение"),
        file=get_test_image_file("shared.png"),
        collection=shared,
    )
    shared_document = get_document_model().objects.create(
        title=public("общие", "документ"),
        file=ContentFile(b"shared", name="shared.txt"),
        collection=shared,
    )

    # A moderator translated B's draft (with the library above it) into English: the
    # translation report, its editor and the English page are B's too.
    en = Locale.objects.get(language_code="en")
    creator = TranslationCreator(moderator, [en])
    for page in Page.objects.ancestor_of(libraries["B"].draft).filter(depth__gt=2):
        creator.create_translations(page)
    creator.create_translations(libraries["B"].draft)
    translation = Translation.objects.get(
        source__object_id=libraries["B"].draft.translation_key, target_locale=en
    )
    return World(
        home=home,
        index=index,
        book=book,
        project=project,
        moderator=moderator,
        shared_image=shared_image,
        shared_document=shared_document,
        libraries=libraries,
        translation=translation,
    )


PAGE_FIELDS = (
    "pk", "title", "draft_title", "slug", "path", "live", "has_unpublished_changes", "locked",
    "locked_by_id", "owner_id", "latest_revision_id", "live_revision_id", "alias_of_id",
    "expire_at", "go_live_at",
)  # fmt: skip


def snapshot():
    """What a refused request must leave exactly as it was."""
    User = get_user_model()
    return {
        "pages": list(Page.objects.order_by("pk").values_list(*PAGE_FIELDS)),
        "revisions": list(
            Revision.objects.order_by("pk").values_list("pk", "object_id", "approved_go_live_at")
        ),
        "restrictions": list(
            PageViewRestriction.objects.order_by("pk").values_list(
                "pk", "page_id", "restriction_type", "password"
            )
        ),
        "workflow_pages": list(WorkflowPage.objects.order_by("page_id").values_list()),
        "workflow_states": list(WorkflowState.objects.order_by("pk").values_list("pk", "status")),
        "task_states": list(TaskState.objects.order_by("pk").values_list("pk", "status")),
        "images": list(
            get_image_model()
            .objects.order_by("pk")
            .values_list("pk", "title", "collection_id", "file", "focal_point_x")
        ),
        "documents": list(
            get_document_model().objects.order_by("pk").values_list("pk", "title", "collection_id")
        ),
        "media": list(
            get_media_model().objects.order_by("pk").values_list("pk", "title", "collection_id")
        ),
        "collections": list(Collection.objects.order_by("pk").values_list("pk", "name", "path")),
        "page_log": PageLogEntry.objects.count(),
        "model_log": ModelLogEntry.objects.count(),
        "page_permissions": list(
            GroupPagePermission.objects.order_by("pk").values_list(
                "pk", "group_id", "page_id", "permission_id"
            )
        ),
        "collection_permissions": GroupCollectionPermission.objects.count(),
        "users": list(
            User.objects.order_by("pk").values_list(
                "pk", "username", "email", "is_active", "is_staff", "is_superuser", "password"
            )
        ),
        "memberships": list(
            User.groups.through.objects.order_by("pk").values_list("user_id", "group_id")
        ),
        "groups": list(Group.objects.order_by("pk").values_list("pk", "name")),
        "group_permissions": Group.permissions.through.objects.count(),
        "user_permissions": User.user_permissions.through.objects.count(),
        "site_settings": _site_settings(),
        "translations": list(
            Translation.objects.order_by("pk").values_list("pk", "enabled", "target_locale_id")
        ),
        "string_translations": StringTranslation.objects.count(),
    }


def _site_settings():
    return [
        tuple(sorted((key, str(value)) for key, value in row.items()))
        for row in SiteSettings.objects.order_by("pk").values()
    ]
