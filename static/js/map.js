/* Letopis maps: Leaflet maps built from data in the page, with no inline code.

   Two kinds of element are enhanced:

   1. The map component (templates/components/map.html), for lists of places:

        <div class="map" data-map data-points="libraries-map-data"
             data-tile-url="https://…/{z}/{x}/{y}.png" data-attribution="&copy; …"
             role="region" aria-label="Карта библиотек"></div>
        <script id="libraries-map-data" type="application/json">
          [{"lat": 54.5293, "lon": 36.2754, "title": "…", "url": "/biblioteki/…/",
            "popup": "г. Калуга"}, …]
        </script>

      Optional attributes: data-zoom (the zoom of a single point, default 13),
      data-cluster ("true", "false" or the number of points above which markers are
      clustered, default 20), data-center="lat,lon" (the view when there are no points;
      without it a map with no points stays hidden).

   2. The single-place hook of StreamField "place" blocks:

        <div class="map" data-lat="54.5293" data-lon="36.2754" data-label="Обелиск"></div>

   The tile server, the attribution, the marker icons and the UI strings come from the
   page's <script id="letopis-map-config" type="application/json"> (written by the
   {% map_js %} tag); data-tile-url / data-attribution on an element override them.

   Text from the data is only ever written with textContent: titles and popups are plain
   text, and a link is made only for http(s) or relative URLs. The map is an enhancement:
   the page always lists the same places in HTML, and an element that is not enhanced
   (no JavaScript, no Leaflet, no valid point) stays hidden by map.css. */
(function () {
    "use strict";

    var L = window.L;
    if (!L || !document.querySelectorAll) {
        return; // Leaflet did not load: the page's lists and addresses stand alone.
    }

    // Shared with memorial-map.js (loaded after this file): one copy of the JSON reading,
    // the link check and the keyboard focus handling of popups.
    window.LetopisMap = {
        readJSON: readJSON, safeUrl: safeUrl, manageFocus: manageFocus, clusterIcon: clusterIcon
    };

    /* markercluster's icon with a name a screen reader can say: the visible count, after a
       visually hidden «Памятников в этой группе:» (the label), instead of a bare number. */
    function clusterIcon(label) {
        return function (cluster) {
            var count = cluster.getChildCount();
            var size = count < 10 ? "small" : count < 100 ? "medium" : "large";
            var div = document.createElement("div");
            if (label) {
                var hidden = document.createElement("span");
                hidden.className = "visually-hidden";
                hidden.textContent = label + " ";
                div.appendChild(hidden);
            }
            var number = document.createElement("span");
            number.textContent = String(count);
            div.appendChild(number);
            return L.divIcon({
                html: div,  // an element (Leaflet ≥ 1.8): nothing is parsed as HTML
                className: "marker-cluster marker-cluster-" + size,
                iconSize: L.point(40, 40)
            });
        };
    }

    var DEFAULT_ZOOM = 13;
    var DEFAULT_CLUSTER_ABOVE = 20;

    function readJSON(id) {
        var element = id ? document.getElementById(id) : null;
        if (!element) {
            return null;
        }
        try {
            return JSON.parse(element.textContent);
        } catch (error) {
            return null;
        }
    }

    var config = readJSON("letopis-map-config") || {};
    var strings = config.strings || {};

    function text(key, fallback) {
        return typeof strings[key] === "string" && strings[key] ? strings[key] : fallback;
    }

    function toNumber(value) {
        if (value === null || value === undefined || value === "") {
            return null;
        }
        var number = typeof value === "number" ? value : parseFloat(String(value).replace(",", "."));
        return isFinite(number) ? number : null;
    }

    // The same rules as network/geo.py: both coordinates, in range, and not 0,0 (a form
    // left empty rather than a place in the Gulf of Guinea).
    function toPoint(raw) {
        if (!raw || typeof raw !== "object") {
            return null;
        }
        var lat = toNumber(raw.lat);
        var lon = toNumber(raw.lon);
        if (lat === null || lon === null || lat < -90 || lat > 90 || lon < -180 || lon > 180) {
            return null;
        }
        if (lat === 0 && lon === 0) {
            return null;
        }
        return {
            lat: lat,
            lon: lon,
            title: typeof raw.title === "string" ? raw.title : "",
            url: typeof raw.url === "string" ? raw.url : "",
            popup: typeof raw.popup === "string" ? raw.popup : ""
        };
    }

    function safeUrl(url) {
        if (!url || typeof url !== "string") {
            return "";
        }
        try {
            var parsed = new URL(url, window.location.href);
            return parsed.protocol === "http:" || parsed.protocol === "https:" ? parsed.href : "";
        } catch (error) {
            return "";
        }
    }

    function popupContent(point) {
        var box = document.createElement("div");
        box.className = "map-popup";
        var href = safeUrl(point.url);
        var title = document.createElement(href ? "a" : "strong");
        title.className = "map-popup__title";
        title.textContent = point.title || text("point", "Точка на карте");
        if (href) {
            title.href = href;
        }
        box.appendChild(title);
        if (point.popup) {
            var detail = document.createElement("p");
            detail.className = "map-popup__text";
            detail.textContent = point.popup;
            box.appendChild(detail);
        }
        return box;
    }

    function markerIcon() {
        var icon = config.icon || {};
        if (!icon.url) {
            return new L.Icon.Default();
        }
        return L.icon({
            iconUrl: icon.url,
            iconRetinaUrl: icon.retinaUrl || icon.url,
            shadowUrl: icon.shadowUrl || null,
            iconSize: [25, 41],
            iconAnchor: [12, 41],
            popupAnchor: [1, -34],
            tooltipAnchor: [16, -28],
            shadowSize: [41, 41]
        });
    }

    function pointsOf(element) {
        if (element.hasAttribute("data-map")) {
            var data = readJSON(element.getAttribute("data-points"));
            return Array.isArray(data) ? data : [];
        }
        return [{
            lat: element.getAttribute("data-lat"),
            lon: element.getAttribute("data-lon"),
            title: element.getAttribute("data-label") || ""
        }];
    }

    function clusterThreshold(element) {
        var value = element.getAttribute("data-cluster");
        if (value === "false") {
            return Infinity;
        }
        if (value === "true") {
            return 1;
        }
        var number = toNumber(value);
        return number === null ? DEFAULT_CLUSTER_ABOVE : number;
    }

    // Keyboard users open a popup with Enter on a focused marker: move focus to the
    // popup's link, and give it back to the marker when the popup closes.
    function manageFocus(map) {
        var opener = null;
        map.on("popupopen", function (event) {
            var active = document.activeElement;
            opener = active && active.classList && active.classList.contains("leaflet-marker-icon") ? active : null;
            var container = event.popup.getElement();
            var link = container ? container.querySelector("a[href]") : null;
            if (opener && link) {
                link.focus();
            }
        });
        map.on("popupclose", function (event) {
            var container = event.popup.getElement();
            if (opener && container && container.contains(document.activeElement)) {
                opener.focus();
            }
            opener = null;
        });
    }

    function enhance(element) {
        if (element.getAttribute("data-map-ready") || element.classList.contains("leaflet-container")) {
            return;
        }
        var points = pointsOf(element).map(toPoint).filter(Boolean);
        var centre = (element.getAttribute("data-center") || "").split(",");
        var fallbackCentre = toPoint({lat: centre[0], lon: centre[1]});
        if (!points.length && !fallbackCentre) {
            return; // Nothing to show: the element stays hidden.
        }
        element.setAttribute("data-map-ready", "true");
        element.hidden = false;
        // The map's companions (its note, its skip link) appear with it.
        if (element.id) {
            Array.prototype.forEach.call(document.querySelectorAll("[data-map-for]"), function (companion) {
                if (companion.getAttribute("data-map-for") === element.id) {
                    companion.hidden = false;
                }
            });
        }
        if (!element.getAttribute("role")) {
            element.setAttribute("role", "region");
        }
        if (!element.getAttribute("aria-label")) {
            var label = element.getAttribute("data-label");
            element.setAttribute(
                "aria-label",
                label ? text("mapOf", "Карта: %(label)s").replace("%(label)s", label) : text("map", "Карта")
            );
        }

        var map = L.map(element, {
            zoomControl: false,
            // The wheel scrolls the page, not the map: a map must not trap the reader.
            scrollWheelZoom: false
        });
        L.control.zoom({
            zoomInTitle: text("zoomIn", "Приблизить"),
            zoomOutTitle: text("zoomOut", "Отдалить")
        }).addTo(map);
        // The prefix is a constant link to Leaflet's site, not data.
        map.attributionControl.setPrefix('<a href="https://leafletjs.com">Leaflet</a>');

        var tileUrl = element.getAttribute("data-tile-url") || config.tileUrl;
        if (tileUrl) {
            var tiles = L.tileLayer(tileUrl, {
                attribution: element.getAttribute("data-attribution") || config.attribution || "",
                maxZoom: 19
            });
            tiles.once("tileerror", function () {
                // Markers still work without a background; say why the map looks empty.
                element.classList.add("map--no-tiles");
                var note = document.createElement("p");
                note.className = "map-status";
                note.textContent = text("tilesFailed", "");
                if (note.textContent && element.parentNode) {
                    element.parentNode.insertBefore(note, element.nextSibling);
                }
            });
            tiles.addTo(map);
        }

        // The view first: the cluster layer computes its clusters for the map's zoom.
        var zoom = toNumber(element.getAttribute("data-zoom")) || DEFAULT_ZOOM;
        if (points.length === 1) {
            map.setView([points[0].lat, points[0].lon], zoom);
        } else if (points.length > 1) {
            map.fitBounds(L.latLngBounds(points.map(function (p) {
                return [p.lat, p.lon];
            })), {padding: [24, 24], maxZoom: zoom});
        } else {
            map.setView([fallbackCentre.lat, fallbackCentre.lon], toNumber(element.getAttribute("data-zoom")) || 7);
        }

        var icon = markerIcon();
        var useCluster = typeof L.markerClusterGroup === "function" && points.length > clusterThreshold(element);
        var layer = useCluster
            ? L.markerClusterGroup({
                showCoverageOnHover: false,
                maxClusterRadius: 48,
                iconCreateFunction: clusterIcon(text("cluster", ""))
            })
            : L.featureGroup();
        points.forEach(function (point) {
            var name = point.title || text("point", "Точка на карте");
            var marker = L.marker([point.lat, point.lon], {
                icon: icon,
                title: name,
                alt: name,
                keyboard: true,
                riseOnHover: true
            });
            marker.bindPopup(popupContent(point));
            layer.addLayer(marker);
        });
        layer.addTo(map);
        manageFocus(map);
    }

    function enhanceAll() {
        var elements = document.querySelectorAll(".map[data-map], .map[data-lat][data-lon]");
        Array.prototype.forEach.call(elements, function (element) {
            try {
                enhance(element);
            } catch (error) {
                // One broken map must not stop the others (or the page): hide it.
                element.hidden = true;
                if (window.console) {
                    window.console.error(error);
                }
            }
        });
    }

    if (document.readyState === "loading") {
        document.addEventListener("DOMContentLoaded", enhanceAll);
    } else {
        enhanceAll();
    }
}());
