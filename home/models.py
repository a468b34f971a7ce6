"""The network's front door (``HomePage``) and site-wide settings."""

from django.db import models
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from wagtail.admin.panels import MultiFieldPanel
from wagtail.contrib.settings.models import BaseSiteSetting, register_setting
from wagtail.fields import RichTextField
from wagtail.models import Page
from wagtail.search import index

from .pages import LetopisPageMixin

# Rich text for editors: no raw HTML, no embeds; headings, lists and links only.
RICH_TEXT_FEATURES = ["h2", "h3", "bold", "italic", "ol", "ul", "link", "document-link"]


class HomePage(LetopisPageMixin, Page):
    """The network's home page: who we are, current projects, latest materials, the map."""

    lead = models.TextField(
        _("вступление"),
        blank=True,
        help_text=_("Одно-два предложения о сети библиотек и архиве, крупным шрифтом."),
    )
    body = RichTextField(
        _("о проекте"),
        features=RICH_TEXT_FEATURES,
        blank=True,
        help_text=_("Рассказ о сети библиотек и о том, что собрано в архиве."),
    )
    hero_image = models.ForeignKey(
        "wagtailimages.Image",
        verbose_name=_("главное изображение"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    content_panels = [*Page.content_panels, "lead", "hero_image", "body"]
    search_fields = [*Page.search_fields, index.SearchField("lead"), index.SearchField("body")]

    template = "pages/home_page.html"
    parent_page_types = ["wagtailcore.Page"]

    class Meta:
        verbose_name = _("главная страница")
        verbose_name_plural = _("главные страницы")

    def structured_data(self, request=None, image_url=""):
        """schema.org JSON-LD: the web site, its search and its publisher."""
        from .structured_data import describe, organisation, page_url, search_action, site_name

        data = {
            "@type": "WebSite",
            "name": site_name(request),
            "url": page_url(self, request),
            "publisher": organisation(request),
        }
        if action := search_action(request):
            data["potentialAction"] = action
        return describe(data, self, image_url)

    def get_context(self, request, *args, **kwargs):
        from .sections import home_sections

        context = super().get_context(request, *args, **kwargs)
        context["sections"] = home_sections(self, request)
        return context


@register_setting(icon="site")
class SiteSettings(BaseSiteSetting):
    """The site's name, tagline and the regional library's contacts (header and footer).

    Each public text has an English twin, used on the English version of the site
    when it is filled in.
    """

    site_name_en = models.CharField(_("название сайта по-английски"), max_length=120, blank=True)
    tagline = models.CharField(_("девиз"), max_length=255, blank=True)
    tagline_en = models.CharField(_("девиз по-английски"), max_length=255, blank=True)
    organisation = models.CharField(
        _("организатор"),
        max_length=255,
        blank=True,
        help_text=_("Полное название областной библиотеки, координирующей сеть."),
    )
    organisation_en = models.CharField(_("организатор по-английски"), max_length=255, blank=True)
    address = models.CharField(_("адрес"), max_length=255, blank=True)
    address_en = models.CharField(_("адрес по-английски"), max_length=255, blank=True)
    phone = models.CharField(_("телефон"), max_length=64, blank=True)
    email = models.EmailField(_("электронная почта"), blank=True)
    opening_hours = models.CharField(_("часы работы"), max_length=255, blank=True)
    opening_hours_en = models.CharField(_("часы работы по-английски"), max_length=255, blank=True)
    website = models.URLField(_("сайт библиотеки"), blank=True)
    vk_url = models.URLField(_("группа ВКонтакте"), blank=True)
    telegram_url = models.URLField(_("канал в Telegram"), blank=True)
    share_image = models.ForeignKey(
        "wagtailimages.Image",
        verbose_name=_("картинка для ссылок"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text=_(
            "Её показывают соцсети и мессенджеры, когда делятся ссылкой на страницу без своей "
            "картинки. Лучше всего — 1200×630 пикселей."
        ),
    )

    panels = [
        MultiFieldPanel(
            ["site_name_en", "tagline", "tagline_en", "share_image"], heading=_("Сайт")
        ),
        MultiFieldPanel(
            [
                "organisation",
                "organisation_en",
                "address",
                "address_en",
                "phone",
                "email",
                "opening_hours",
                "opening_hours_en",
                "website",
            ],
            heading=_("Контакты областной библиотеки"),
        ),
        MultiFieldPanel(["vk_url", "telegram_url"], heading=_("Социальные сети")),
    ]

    class Meta:
        verbose_name = _("настройки сайта")

    def localized(self, field):
        """The English twin of a text field on the English site, when it is filled in."""
        if (get_language() or "ru").startswith("en"):
            english = getattr(self, f"{field}_en", "")
            if english:
                return english
        return getattr(self, field)
