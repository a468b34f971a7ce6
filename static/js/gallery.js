/* Letopis photo viewer: galleries and chronicle photos, opened large in a native <dialog>.

   Markup (templates/components/streamfield/blocks/gallery.html, chronicle_entry.html,
   photo.html):

     <div data-gallery data-label-dialog="Просмотр фотографий" data-label-close="Закрыть"
          data-label-prev="Предыдущая фотография" data-label-next="Следующая фотография"
          data-label-counter="Фотография {current} из {total}">
       <figure>
         <a href="/media/…/large.jpg" data-gallery-item><img src="…" alt="…"></a>
         <figcaption>…</figcaption>
       </figure>
       …
     </div>

   Each thumbnail is a link to the large image, so without JavaScript (or without <dialog>)
   it simply opens the image. With it: Enter or a click opens the viewer, the arrow keys
   (and Home/End) move between the photos of the same gallery, Escape or the close button
   closes it, and focus returns to the thumbnail. The labels come from the data attributes,
   which the templates write through gettext: nothing here is in one language.
   No inline code and no dependencies; the script may be included once per gallery and
   sets itself up only once. */
(function () {
    "use strict";

    if (window.letopisGallery) {
        return;
    }
    window.letopisGallery = true;
    if (typeof window.HTMLDialogElement !== "function" || !document.addEventListener) {
        return; // Old browsers keep the plain links.
    }

    var ITEM = "a[data-gallery-item]";
    var dialog = null;
    var parts = {};
    var links = [];
    var index = 0;
    var opener = null;
    var counterTemplate = "{current} / {total}";

    function element(tag, className, attributes) {
        var node = document.createElement(tag);
        if (className) {
            node.className = className;
        }
        Object.keys(attributes || {}).forEach(function (name) {
            node.setAttribute(name, attributes[name]);
        });
        return node;
    }

    function button(className, symbol) {
        var node = element("button", "lightbox__button " + className, {type: "button"});
        var glyph = element("span", "", {"aria-hidden": "true"});
        glyph.textContent = symbol;
        node.appendChild(glyph);
        return node;
    }

    function build() {
        dialog = element("dialog", "lightbox", {"aria-modal": "true"});
        var frame = element("div", "lightbox__frame");
        var figure = element("figure", "lightbox__figure");
        parts.image = element("img", "lightbox__image", {alt: ""});
        parts.caption = element("figcaption", "lightbox__caption");
        parts.counter = element("p", "lightbox__counter", {"aria-live": "polite"});
        parts.close = button("lightbox__close", "\u00d7");
        parts.prev = button("lightbox__prev", "\u2039");
        parts.next = button("lightbox__next", "\u203a");
        figure.appendChild(parts.image);
        figure.appendChild(parts.caption);
        frame.appendChild(parts.close);
        frame.appendChild(figure);
        frame.appendChild(parts.counter);
        frame.appendChild(parts.prev);
        frame.appendChild(parts.next);
        dialog.appendChild(frame);
        document.body.appendChild(dialog);

        parts.close.addEventListener("click", function () {
            dialog.close();
        });
        parts.prev.addEventListener("click", function () {
            show(index - 1);
        });
        parts.next.addEventListener("click", function () {
            show(index + 1);
        });
        dialog.addEventListener("keydown", onKey);
        // A click on the backdrop (the dialog box itself, outside the frame) closes it.
        dialog.addEventListener("click", function (event) {
            if (event.target === dialog) {
                dialog.close();
            }
        });
        dialog.addEventListener("close", function () {
            parts.image.removeAttribute("src"); // stop a large image still loading
            if (opener && document.contains(opener)) {
                opener.focus();
            }
            opener = null;
        });
    }

    function label(container, name, fallback) {
        return container.getAttribute("data-label-" + name) || fallback;
    }

    function applyLabels(container) {
        var name = label(container, "dialog", "");
        if (name) {
            dialog.setAttribute("aria-label", name);
        } else {
            dialog.removeAttribute("aria-label");
        }
        parts.close.setAttribute("aria-label", label(container, "close", "×"));
        parts.prev.setAttribute("aria-label", label(container, "prev", "‹"));
        parts.next.setAttribute("aria-label", label(container, "next", "›"));
        counterTemplate = label(container, "counter", "{current} / {total}");
    }

    function captionOf(link) {
        var figure = link.closest("figure");
        var caption = figure ? figure.querySelector("figcaption") : null;
        return caption ? caption.textContent.replace(/\s+/g, " ").trim() : "";
    }

    function show(position) {
        var total = links.length;
        index = (position + total) % total;
        var link = links[index];
        var thumbnail = link.querySelector("img");
        parts.image.src = link.href;
        parts.image.alt = thumbnail ? thumbnail.getAttribute("alt") || "" : "";
        parts.caption.textContent = captionOf(link);
        parts.caption.hidden = !parts.caption.textContent;
        parts.counter.textContent = counterTemplate
            .replace("{current}", String(index + 1))
            .replace("{total}", String(total));
        var single = total < 2;
        parts.prev.hidden = single;
        parts.next.hidden = single;
        parts.counter.hidden = single;
    }

    function open(link) {
        var container = link.closest("[data-gallery]");
        if (!dialog) {
            build();
        }
        links = Array.prototype.slice.call(container.querySelectorAll(ITEM));
        opener = link;
        applyLabels(container);
        show(links.indexOf(link));
        dialog.showModal();
        parts.close.focus();
    }

    function onKey(event) {
        if (event.altKey || event.ctrlKey || event.metaKey) {
            return;
        }
        var moves = {ArrowLeft: index - 1, ArrowRight: index + 1, Home: 0, End: links.length - 1};
        if (Object.prototype.hasOwnProperty.call(moves, event.key) && links.length > 1) {
            event.preventDefault();
            show(moves[event.key]);
        }
        // Escape is the dialog's own: it fires "cancel", then "close".
    }

    document.addEventListener("click", function (event) {
        if (event.defaultPrevented || event.button !== 0 ||
                event.metaKey || event.ctrlKey || event.shiftKey || event.altKey) {
            return; // a new tab or window was asked for: let the browser do it
        }
        var link = event.target.closest ? event.target.closest(ITEM) : null;
        if (!link || !link.closest("[data-gallery]")) {
            return;
        }
        event.preventDefault();
        open(link);
    });
}());
