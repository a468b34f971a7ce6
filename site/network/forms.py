"""Page forms refuse images, documents and videos their editor could not have chosen.

A chooser only shows what the editor may choose, but a chooser block stores whatever id is
posted: a crafted POST could put another library's private draft image into a page (and
so publish it). Every image, document and video a form's fields, StreamFields, rich text
and inline panels reference must be one the editor may choose — or one the page already
referenced, so editing a page a moderator illustrated from elsewhere keeps working.
"""

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

from wagtail.admin.forms import WagtailAdminPageForm
from wagtail.fields import RichTextField, StreamField

ASSET_MESSAGES = {
    "image": _(
        "Изображение «{title}» (№ {pk}) вам недоступно: выберите изображение из коллекции "
        "вашей библиотеки или из общих материалов."
    ),
    "document": _(
        "Документ «{title}» (№ {pk}) вам недоступен: выберите документ из коллекции "
        "вашей библиотеки или из общих материалов."
    ),
    "media": _(
        "Видео «{title}» (№ {pk}) вам недоступно: выберите видео из коллекции вашей библиотеки."
    ),
}


def _asset_kinds():
    # Imported here: page models import this module while the app registry is loading.
    # The policies come from Wagtail 8's registry: wagtail.images.permissions and
    # wagtail.documents.permissions warn (RemovedInWagtail90Warning) when imported.
    from wagtail.documents import get_document_model
    from wagtail.images import get_image_model
    from wagtail.permissions import policy_registry

    from wagtailmedia.models import get_media_model
    from wagtailmedia.permissions import permission_policy as media_policy

    image_policy = policy_registry.get_by_type(get_image_model())
    document_policy = policy_registry.get_by_type(get_document_model())

    return {
        get_image_model(): ("image", lambda user: image_policy.instances_user_has_permission_for(user, "choose")),
        get_document_model(): ("document", lambda user: document_policy.instances_user_has_permission_for(user, "choose")),
        # wagtailmedia has no "choose" permission: its chooser lists what one may change.
        get_media_model(): ("media", lambda user: media_policy.instances_user_has_any_permission_for(user, ["change", "delete"])),
    }  # fmt: skip


def _references_of_values(model, values):
    """(model class, pk string) of every asset the field values reference."""
    for name, value in values.items():
        try:
            field = model._meta.get_field(name)
        except Exception:
            continue
        if value is None:
            continue
        if isinstance(field, StreamField | RichTextField):
            for ref_model, pk, *_rest in field.extract_references(value):
                yield ref_model, str(pk)
        elif isinstance(field, models.ForeignKey) and isinstance(value, models.Model):
            yield type(value), str(value.pk)


def _instance_values(instance, names):
    return {name: getattr(instance, name, None) for name in names}


def form_asset_references(form):
    """Every asset the bound ``form`` (and its inline formsets, recursively) references."""
    refs = set(_references_of_values(form._meta.model, form.cleaned_data))
    for formset in getattr(form, "formsets", {}).values():
        for child in formset.forms:
            if not hasattr(child, "cleaned_data") or child.cleaned_data.get("DELETE"):
                continue
            refs |= form_asset_references(child)
    return refs


def instance_asset_references(form):
    """Every asset the form's instance references before this edit (revision content)."""
    instance = form.instance
    refs = set()
    if instance.pk is None:
        return refs
    refs |= set(_references_of_values(type(instance), _instance_values(instance, form.fields)))
    for name, formset in getattr(form, "formsets", {}).items():
        manager = getattr(instance, name, None)
        if manager is None:
            continue
        for child in manager.all():
            child_fields = formset.form.base_fields
            refs |= set(_references_of_values(type(child), _instance_values(child, child_fields)))
    return refs


def inaccessible_assets(form, user):
    """Assets ``form`` references that ``user`` may not choose and the page did not have."""
    if user is None or user.is_superuser:
        return []
    wanted = form_asset_references(form) - form._assets_before
    problems = []
    for model, (kind, allowed) in _asset_kinds().items():
        pks = sorted(
            {pk for ref_model, pk in wanted if issubclass(ref_model, model)}, key=lambda pk: pk
        )
        if not pks:
            continue
        permitted = {
            str(pk) for pk in allowed(user).filter(pk__in=pks).values_list("pk", flat=True)
        }
        for obj in model.objects.filter(pk__in=[pk for pk in pks if pk not in permitted]):
            problems.append(ASSET_MESSAGES[kind].format(title=obj.title, pk=obj.pk))
    return problems


class AssetAccessMixin:
    """Mixed into a WagtailAdminPageForm: see the module docstring."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._assets_before = instance_asset_references(self)

    def is_valid(self):
        # After the inline formsets are cleaned too (ClusterForm validates them last).
        if not super().is_valid():
            return False
        problems = inaccessible_assets(self, getattr(self, "for_user", None))
        for message in problems:
            self.add_error(None, ValidationError(message, code="asset_not_permitted"))
        return not problems


class LibraryAdminPageForm(AssetAccessMixin, WagtailAdminPageForm):
    """The base form of every page type a partner library edits."""
