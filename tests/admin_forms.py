"""Creating pages through the real admin views, as an editor does."""

from django.urls import reverse

from wagtail.test.utils.form_data import nested_form_data


def admin_create_page(client, model, parent, data, publish=True):
    """POST the admin's "add page" form; return the response and the created page (or None)."""
    url = reverse(
        "wagtailadmin_pages:add",
        args=[model._meta.app_label, model._meta.model_name, parent.pk],
    )
    form = nested_form_data(data)
    if publish:
        form["action-publish"] = "publish"
    response = client.post(url, form)
    page = model.objects.filter(title=data["title"]).order_by("-pk").first()
    return response, page
