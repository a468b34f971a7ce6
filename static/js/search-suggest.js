/* Letopis search suggestions: the search box as a WAI-ARIA 1.2 combobox with a listbox popup.

   Markup (templates/search/form.html):

     <form role="search" action="/search/" data-search-suggest="/search/suggest/">
       <label for="site-search">Поиск по архиву</label>
       <input id="site-search" name="q" type="search" autocomplete="off">
       <button type="submit">Найти</button>
       <ul id="site-search-suggestions" role="listbox" aria-label="Подсказки" hidden></ul>
       <div role="status" class="visually-hidden"></div>
     </form>

   Without JavaScript the form simply submits to the search page. With it, typing (two
   letters or more, after a 200 ms pause) asks the suggestion URL — language-prefixed, written
   by the template with {% url %} — for titles and hero names; they appear as options under
   the box and the live region says how many there are (the server writes that sentence, so
   nothing here is in one language). Down and Up arrows move through the options (the input
   keeps focus; aria-activedescendant points at the option), Enter or a click opens the
   chosen page, Enter without a chosen option submits the search, Escape closes the list.
   No inline code and no dependencies; the script sets itself up once even if included twice. */
(function () {
    "use strict";

    if (window.letopisSearchSuggest) {
        return;
    }
    window.letopisSearchSuggest = true;
    if (!window.fetch || !document.querySelectorAll || !window.URL) {
        return; // Old browsers keep the plain form.
    }

    var DELAY = 200;
    var MIN_LENGTH = 2;

    function normalise(text) {
        return text.replace(/\s+/g, " ").trim();
    }

    function safeUrl(href) {
        try {
            var url = new URL(href, window.location.href);
            return url.protocol === "http:" || url.protocol === "https:" ? url.href : null;
        } catch (error) {
            return null;
        }
    }

    function setup(form) {
        var input = form.querySelector('input[name="q"]');
        var listbox = form.querySelector('[role="listbox"]');
        var status = form.querySelector('[role="status"]');
        var endpoint = form.getAttribute("data-search-suggest");
        if (!input || !listbox || !endpoint || !listbox.id) {
            return;
        }

        var items = [];
        var active = -1;
        var timer = null;
        var controller = null;
        var cache = {};
        var shownFor = null;

        input.setAttribute("role", "combobox");
        input.setAttribute("aria-autocomplete", "list");
        input.setAttribute("aria-expanded", "false");
        input.setAttribute("aria-controls", listbox.id);

        function isOpen() {
            return !listbox.hidden;
        }

        function announce(text) {
            if (!status) {
                return;
            }
            // Emptied first, so the same sentence twice in a row is announced again.
            status.textContent = "";
            window.setTimeout(function () {
                status.textContent = text || "";
            }, 50);
        }

        function setActive(index) {
            var options = listbox.children;
            if (active >= 0 && options[active]) {
                options[active].setAttribute("aria-selected", "false");
            }
            active = index;
            if (active >= 0 && options[active]) {
                options[active].setAttribute("aria-selected", "true");
                input.setAttribute("aria-activedescendant", options[active].id);
                if (options[active].scrollIntoView) {
                    options[active].scrollIntoView({ block: "nearest" });
                }
            } else {
                input.removeAttribute("aria-activedescendant");
            }
        }

        function open() {
            if (!items.length) {
                return;
            }
            listbox.hidden = false;
            input.setAttribute("aria-expanded", "true");
        }

        function close() {
            setActive(-1);
            listbox.hidden = true;
            input.setAttribute("aria-expanded", "false");
        }

        function render(results) {
            items = results;
            active = -1;
            input.removeAttribute("aria-activedescendant");
            listbox.textContent = "";
            results.forEach(function (item, index) {
                var option = document.createElement("li");
                option.id = listbox.id + "-" + index;
                option.className = "search-suggest__option";
                option.setAttribute("role", "option");
                option.setAttribute("aria-selected", "false");
                option.setAttribute("data-index", String(index));
                var title = document.createElement("span");
                title.className = "search-suggest__title";
                title.textContent = item.title;
                option.appendChild(title);
                if (item.type_label) {
                    var type = document.createElement("span");
                    type.className = "search-suggest__type";
                    type.textContent = item.type_label;
                    option.appendChild(type);
                }
                listbox.appendChild(option);
            });
            if (results.length && document.activeElement === input) {
                open();
            } else {
                close();
            }
        }

        function show(query, data) {
            if (normalise(input.value) !== query) {
                return; // The visitor typed on; a newer request follows.
            }
            shownFor = query;
            render(Array.isArray(data.results) ? data.results : []);
            announce(data.status);
        }

        function fetchSuggestions(query) {
            if (cache[query]) {
                show(query, cache[query]);
                return;
            }
            if (controller) {
                controller.abort();
            }
            controller = window.AbortController ? new AbortController() : null;
            var url = endpoint + (endpoint.indexOf("?") === -1 ? "?" : "&") + "q=" + encodeURIComponent(query);
            fetch(url, {
                headers: { Accept: "application/json" },
                credentials: "same-origin",
                signal: controller ? controller.signal : undefined,
            })
                .then(function (response) {
                    if (!response.ok) {
                        throw new Error(String(response.status));
                    }
                    return response.json();
                })
                .then(function (data) {
                    cache[query] = data;
                    show(query, data);
                })
                .catch(function () {
                    // Aborted or failed: the form still works; nothing to announce.
                });
        }

        function scheduleFetch() {
            window.clearTimeout(timer);
            var query = normalise(input.value);
            if (query.length < MIN_LENGTH) {
                if (controller) {
                    controller.abort();
                }
                shownFor = null;
                render([]);
                return;
            }
            if (query === shownFor) {
                return;
            }
            timer = window.setTimeout(function () {
                fetchSuggestions(query);
            }, DELAY);
        }

        function choose(index) {
            var item = items[index];
            var href = item && safeUrl(item.url);
            if (!href) {
                return;
            }
            close();
            window.location.assign(href);
        }

        input.addEventListener("input", scheduleFetch);

        input.addEventListener("keydown", function (event) {
            if (event.isComposing) {
                return;
            }
            var count = items.length;
            switch (event.key) {
                case "ArrowDown":
                case "Down":
                    if (!count) {
                        return;
                    }
                    event.preventDefault();
                    if (!isOpen()) {
                        open();
                        if (!event.altKey) {
                            setActive(0);
                        }
                    } else {
                        setActive(active + 1 >= count ? 0 : active + 1);
                    }
                    break;
                case "ArrowUp":
                case "Up":
                    if (!count) {
                        return;
                    }
                    event.preventDefault();
                    if (!isOpen()) {
                        open();
                        setActive(count - 1);
                    } else {
                        setActive(active <= 0 ? count - 1 : active - 1);
                    }
                    break;
                case "Enter":
                    if (isOpen() && active >= 0) {
                        event.preventDefault();
                        choose(active);
                    } else {
                        close(); // The form submits to the search page.
                    }
                    break;
                case "Escape":
                case "Esc":
                    if (isOpen()) {
                        event.preventDefault();
                        close();
                    }
                    break;
                case "Tab":
                    close();
                    break;
                default:
                    break;
            }
        });

        input.addEventListener("blur", close);

        // Keep focus in the input while an option is pressed, so blur does not close the
        // list before the click arrives (mouse and touch alike).
        listbox.addEventListener("mousedown", function (event) {
            event.preventDefault();
        });
        listbox.addEventListener("click", function (event) {
            var option = event.target.closest ? event.target.closest('[role="option"]') : null;
            if (option) {
                choose(Number(option.getAttribute("data-index")));
            }
        });
    }

    function init() {
        var forms = document.querySelectorAll("form[data-search-suggest]");
        for (var i = 0; i < forms.length; i += 1) {
            setup(forms[i]);
        }
    }

    if (document.readyState === "loading") {
        document.addEventListener("DOMContentLoaded", init);
    } else {
        init();
    }
})();
