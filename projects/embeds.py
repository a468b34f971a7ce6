"""Embed finder for video hosts (placeholder: being written)."""

from wagtail.embeds.finders.base import EmbedFinder


class VideoHostFinder(EmbedFinder):
    def accept(self, url):
        return False

    def find_embed(self, url, max_width=None, max_height=None):
        raise NotImplementedError
