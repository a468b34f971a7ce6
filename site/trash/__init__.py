"""«Корзина»: deleting a page in the admin is recoverable.

Wagtail deletes a page with its subtree and every revision (``DeletePageAction``). Here the
admin's deletions move the page instead, and only administrators delete for good.

**Where deleted pages live.** One ``TrashCan`` page under the root (``models.py``), created
on the first deletion. A deleted page is moved below it with its subtree, keeping its id,
revisions, comments, history, workflow history and translation key — everything that
refers to it by id stays true, and restoring is a move back. The alternatives were worse:
a "deleted" flag would have to be learnt by every query of the project (listings, search,
sitemap, feeds, API v2, statistics, choosers), and serialising pages out of the tree
loses what points at them. The container is in no Wagtail Site, so nothing below it has a
URL (it also answers 404 to ``route``); it is never live, not indexed, hidden from the
explorer and every page chooser (``wagtail_hooks``), and closed by a view restriction
(moderators), so even a page published there by mistake stays out of everything that asks
``public()`` or the search's restriction paths.

**What a deletion does** (``operations.move_to_trash``): cancels the subtree's moderation,
drops scheduled publications, unpublishes every live page of the subtree (so the signals
the project already follows take it off the search index, «В этот день», the map), gives
it a free slug among the trash's children if another deleted page has its slug, moves it,
and records a ``TrashedPage`` (old parent, place among its siblings, slug, location, who,
when, which pages were live) and a «letopis.trash» history entry on each page.

**Every admin path** ends there, through Wagtail's own extension points, not by patching
Wagtail: the delete view (``before_delete_page`` answers with our confirmation and does
the move), the explorer's bulk delete (our action registered after Wagtail's under the
same ``action_type``), the admin API's "delete" action (``construct_admin_api``).
``Page.delete()`` in code — the demo, imports, tests, and the trash's own «Удалить
навсегда» — stays a real deletion.

**Translations.** wagtail-localize does not cascade deletions, and Wagtail's delete view
cascades only through a hook nobody here implements, so deleting a Russian material would
leave its English translation published on its own. A deletion takes along the page's
translations that sit in the same place of their language's tree (Wagtail's own cascade
rule) and that the user may delete — a library editor's deletion never unpublishes a
translation a moderator published. They share a ``batch`` and are restored together.

**Restore** (``operations.restore``) moves the page back under its old parent, at its old
position, with its old slug — or a suffixed one, with a message and a new revision carrying
it, when the slug was taken meanwhile. It comes back **as a draft**, always: it was deleted
for a reason, it may be outdated, and a library's material goes back through moderation;
the restore page says which pages had been published. When the old parent is gone (or is
in the trash itself) the moderator chooses a new place with a page chooser; Wagtail's
``can_move_to`` (page type rules, permissions) decides whether it may go there.

**Who.** Deleting: exactly who Wagtail lets delete (``can_delete``), unchanged — a library
editor deletes their library's unpublished pages, a moderator anything. Seeing and
restoring: moderators (group «Модераторы») and administrators, the whole trash. Library
editors see nothing of it — the simpler and safer choice: the trash is outside every
library's subtree, and a partner's "area" also covers pages their editors own anywhere, so
showing them "their" deleted pages would need a second definition of ownership for pages
that no longer sit in the library, and restoring means moving pages into the tree, which
is a moderator's permission. Their delete confirmation tells them a moderator restores;
``network.partners`` keeps the trash out of every partner's area, so every admin URL of a
trashed page is a 404 for them, their own included. Deleting for good and emptying the
trash: administrators (superusers) only; the trash's views answer 403 to anybody else.

**Read-only.** A page in the trash can be opened (form, preview, history) but not saved,
submitted, published, moved, copied or added to (``wagtail_hooks``), nor acted on through
bulk actions or the admin API: it leaves the trash only by «Восстановить».
"""
