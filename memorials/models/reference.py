"""The external reference (``ref``) shared by memorials and heroes: the import's key."""

import re

from django.db import models
from django.utils.translation import gettext_lazy as _

#: No spaces, commas or semicolons: the heroes' CSV lists several memorial references in
#: one cell separated by them.
REF_PATTERN = re.compile(r"^[^\s;,]{1,64}$")
REF_HELP = _(
    "Внешний идентификатор: номер записи в реестре или таблице, по которому импорт узнаёт "
    "запись. Без пробелов, запятых и точек с запятой. Оставьте пустым — заполнится сам. "
    "Не меняйте его без нужды."
)


class ReferencedRecord(models.Model):
    """A record with an external reference, unique within its language.

    A translation shares its source's reference (wagtail-localize synchronises it), so the
    reference alone cannot be unique; nor can a constraint name ``locale``, which lives on
    Wagtail's ``Page`` table. ``ref_key`` («<locale id>:<ref>») is the database's guarantee.
    A record made in the admin without a reference gets one from its translation key, so
    every record can be exported and imported back.
    """

    REF_PREFIX = "r"

    ref = models.CharField(_("идентификатор"), max_length=64, blank=True, help_text=REF_HELP)
    # NULL, not "", until the locale is known: a unique column allows many NULLs.
    ref_key = models.CharField(  # noqa: DJ001
        max_length=96, unique=True, editable=False, null=True, default=None
    )

    # A copy is a new record: it gets its own reference.
    exclude_fields_in_copy = ["ref", "ref_key"]

    class Meta:
        abstract = True

    def save(self, *args, **kwargs):
        update_fields = kwargs.get("update_fields")
        if update_fields is None:
            self._set_ref_key()
        return super().save(*args, **kwargs)

    def _set_ref_key(self):
        if not self.ref:
            self.ref = f"{self.REF_PREFIX}-{self.translation_key.hex[:12]}"
        self.ref_key = f"{self.locale_id}:{self.ref}" if self.locale_id else None

    def _set_core_field_defaults(self):
        super()._set_core_field_defaults()
        self._set_ref_key()

    def ref_errors(self):
        """Errors of the reference: its form, and no other record of the language has it."""
        if self.ref and not REF_PATTERN.match(self.ref):
            return {
                "ref": _("Идентификатор: до 64 знаков без пробелов, запятых и точек с запятой.")
            }
        self._set_ref_key()
        if (
            self.ref_key
            and type(self)
            ._default_manager.filter(ref_key=self.ref_key)
            .exclude(pk=self.pk)
            .exists()
        ):
            return {"ref": _("Запись с таким идентификатором уже есть.")}
        return {}

    def validate_unique(self, exclude=None):
        # clean() reports a taken reference on the "ref" field, where the editor sees it.
        super().validate_unique(exclude={*(exclude or ()), "ref_key"})
