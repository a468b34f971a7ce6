/* The admin's point picker for memorial coordinates (memorials/widgets.py).

   Enhances a pair of inputs in the page editor:

     <input data-coordinate="latitude" data-coordinates-map='{"tileUrl": …, "centre": …,
            "bounds": …, "icon": …, "strings": …}'>
     <input data-coordinate="longitude">

   A map is inserted after the pair: a click puts the marker there, the marker can be
   dragged, and typing in the inputs moves it. Both inputs stay ordinary text fields, so
   coordinates can still be typed; a pair pasted into the latitude field
   («54.5293, 36.2754», as map services copy it) is split into the two fields. A note
   under the map warns, without blocking, about a point outside the region or at 0, 0.
   Uses the vendored Leaflet (static/vendor/leaflet), nothing from a CDN. */
(function () {
    "use strict";

    var L = window.L;
    if (!L || !document.querySelector) {
        return;
    }

    function parse(value) {
        var text = String(value || "").trim().replace(",", ".").replace("\u2212", "-");
        if (!text) {
            return null;
        }
        var number = Number(text);
        return isFinite(number) ? number : null;
    }

    function show(number) {
        return String(Math.round(number * 1e6) / 1e6);
    }

    function findLongitude(latitude) {
        var scope = latitude.form || document;
        return scope.querySelector('input[data-coordinate="longitude"]');
    }

    function containerOf(input) {
        // The row holding both fields in Wagtail's FieldRowPanel, else the field itself.
        return input.closest(".w-field-row") || input.closest(".w-field__wrapper") || input.parentNode;
    }

    function enhance(latitude) {
        if (latitude.getAttribute("data-coordinates-ready")) {
            return;
        }
        var longitude = findLongitude(latitude);
        if (!longitude) {
            return;
        }
        var options;
        try {
            options = JSON.parse(latitude.getAttribute("data-coordinates-map") || "{}");
        } catch (error) {
            return;
        }
        latitude.setAttribute("data-coordinates-ready", "true");
        var strings = options.strings || {};

        var wrapper = document.createElement("div");
        wrapper.className = "coordinates-picker";
        wrapper.style.margin = "0.75rem 0 1rem";
        var hint = document.createElement("p");
        hint.className = "help";
        hint.textContent = strings.hint || "";
        var mapElement = document.createElement("div");
        mapElement.setAttribute("role", "application");
        mapElement.setAttribute("aria-label", strings.label || "");
        mapElement.style.height = "320px";
        mapElement.style.borderRadius = "4px";
        var note = document.createElement("p");
        note.setAttribute("role", "status");
        note.setAttribute("aria-live", "polite");
        note.style.fontWeight = "600";
        note.style.color = "#b45309";
        var clear = document.createElement("button");
        clear.type = "button";
        clear.className = "button button-small button-secondary";
        clear.textContent = strings.clear || "×";
        wrapper.appendChild(hint);
        wrapper.appendChild(mapElement);
        wrapper.appendChild(note);
        wrapper.appendChild(clear);
        var container = containerOf(latitude);
        container.parentNode.insertBefore(wrapper, container.nextSibling);

        var map = L.map(mapElement, {scrollWheelZoom: false});
        map.attributionControl.setPrefix('<a href="https://leafletjs.com">Leaflet</a>');
        if (options.tileUrl) {
            L.tileLayer(options.tileUrl, {attribution: options.attribution || "", maxZoom: 19}).addTo(map);
        }
        var icon = options.icon && options.icon.url ? L.icon({
            iconUrl: options.icon.url,
            iconRetinaUrl: options.icon.retinaUrl || options.icon.url,
            shadowUrl: options.icon.shadowUrl || null,
            iconSize: [25, 41],
            iconAnchor: [12, 41],
            shadowSize: [41, 41]
        }) : new L.Icon.Default();
        var marker = null;
        var bounds = Array.isArray(options.bounds) ? L.latLngBounds(options.bounds) : null;

        function check(lat, lon) {
            if (lat === 0 && lon === 0) {
                note.textContent = strings.zero || "";
            } else if (bounds && !bounds.contains([lat, lon])) {
                note.textContent = strings.outside || "";
            } else {
                note.textContent = "";
            }
        }

        function place(lat, lon, pan) {
            if (marker) {
                marker.setLatLng([lat, lon]);
            } else {
                marker = L.marker([lat, lon], {draggable: true, icon: icon, keyboard: true}).addTo(map);
                marker.on("dragend", function () {
                    var point = marker.getLatLng();
                    write(point.lat, point.lng);
                });
            }
            check(lat, lon);
            if (pan) {
                map.setView([lat, lon], Math.max(map.getZoom() || 0, 12));
            }
        }

        function write(lat, lon) {
            latitude.value = show(lat);
            longitude.value = show(lon);
            check(lat, lon);
            // Wagtail watches inputs for unsaved changes.
            latitude.dispatchEvent(new Event("change", {bubbles: true}));
            longitude.dispatchEvent(new Event("change", {bubbles: true}));
        }

        function fromInputs(pan) {
            var lat = parse(latitude.value);
            var lon = parse(longitude.value);
            if (lat === null || lon === null || lat < -90 || lat > 90 || lon < -180 || lon > 180) {
                return false;
            }
            place(lat, lon, pan);
            return true;
        }

        map.on("click", function (event) {
            place(event.latlng.lat, event.latlng.lng, false);
            write(event.latlng.lat, event.latlng.lng);
        });
        latitude.addEventListener("change", function () { fromInputs(true); });
        longitude.addEventListener("change", function () { fromInputs(true); });
        latitude.addEventListener("paste", function (event) {
            var text = (event.clipboardData || window.clipboardData).getData("text");
            var parts = String(text || "").split(/[;,\s]+/).filter(Boolean);
            if (parts.length === 2 && parse(parts[0]) !== null && parse(parts[1]) !== null) {
                event.preventDefault();
                write(parse(parts[0]), parse(parts[1]));
                place(parse(parts[0]), parse(parts[1]), true);
            }
        });
        clear.addEventListener("click", function () {
            latitude.value = "";
            longitude.value = "";
            note.textContent = "";
            if (marker) {
                map.removeLayer(marker);
                marker = null;
            }
        });

        if (!fromInputs(true)) {
            if (bounds) {
                map.fitBounds(bounds);
            } else {
                map.setView(options.centre || [54.5293, 36.2754], 7);
            }
        }
        // The editor may open in a hidden tab: redraw the tiles once the map is visible.
        if (window.IntersectionObserver) {
            new IntersectionObserver(function (records) {
                if (records.some(function (r) { return r.isIntersecting; })) {
                    map.invalidateSize();
                }
            }).observe(mapElement);
        }
    }

    function start() {
        Array.prototype.forEach.call(
            document.querySelectorAll('input[data-coordinate="latitude"][data-coordinates-map]'),
            enhance
        );
    }

    if (document.readyState === "loading") {
        document.addEventListener("DOMContentLoaded", start);
    } else {
        start();
    }
}());
