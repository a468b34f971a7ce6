/* Letopis «Как цитировать»: a button that copies the page's bibliographic reference.

   Markup (templates/components/cite.html):

     <section data-cite>
       <p id="cite-reference">Заглавие / Библиотека. – Текст : электронный // …</p>
       <p hidden data-cite-actions>
         <button type="button" data-cite-copy="cite-reference">Скопировать</button>
         <span role="status" data-cite-status data-copied="Ссылка скопирована"
               data-failed="Не удалось скопировать: …"></span>
       </p>
     </section>

   Without JavaScript the button stays hidden and the reference is plain text to select.
   With it, the button is shown; a click (or Enter/Space: it is a real button) copies the
   text with the Clipboard API, or, where that is missing or refused, selects the text and
   tries the older copy command. The result is announced in the polite live region (role
   "status") and shown next to the button; on failure the text stays selected for Ctrl+C.
   The messages come from data attributes written through gettext; no inline code. */
(function () {
    "use strict";

    if (window.letopisCite) {
        return;
    }
    window.letopisCite = true;

    function selectText(element) {
        var selection = window.getSelection && window.getSelection();
        if (!selection || !document.createRange) {
            return false;
        }
        var range = document.createRange();
        range.selectNodeContents(element);
        selection.removeAllRanges();
        selection.addRange(range);
        return true;
    }

    function legacyCopy(element) {
        if (!selectText(element) || !document.execCommand) {
            return false;
        }
        try {
            return document.execCommand("copy");
        } catch (error) {
            return false;
        }
    }

    function announce(status, message) {
        // Emptied first, so the same message said twice is announced twice.
        status.textContent = "";
        window.setTimeout(function () {
            status.textContent = message;
        }, 50);
    }

    function setUp(section) {
        var button = section.querySelector("[data-cite-copy]");
        var status = section.querySelector("[data-cite-status]");
        var actions = section.querySelector("[data-cite-actions]");
        var source = button && document.getElementById(button.getAttribute("data-cite-copy"));
        if (!button || !status || !actions || !source) {
            return;
        }
        var canCopy = (navigator.clipboard && navigator.clipboard.writeText) ||
            (document.queryCommandSupported && document.queryCommandSupported("copy"));
        if (!canCopy) {
            return;
        }
        actions.hidden = false;
        button.addEventListener("click", function () {
            var text = source.textContent.replace(/\s+/g, " ").trim();
            var copied = status.getAttribute("data-copied");
            var failed = status.getAttribute("data-failed");
            function fallback() {
                announce(status, legacyCopy(source) ? copied : failed);
            }
            if (navigator.clipboard && navigator.clipboard.writeText) {
                navigator.clipboard.writeText(text).then(function () {
                    announce(status, copied);
                }, fallback);
            } else {
                fallback();
            }
        });
    }

    function init() {
        var sections = document.querySelectorAll("[data-cite]");
        for (var i = 0; i < sections.length; i += 1) {
            setUp(sections[i]);
        }
    }

    if (document.readyState === "loading") {
        document.addEventListener("DOMContentLoaded", init);
    } else {
        init();
    }
})();
