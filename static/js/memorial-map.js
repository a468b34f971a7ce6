/* The memorial map (templates/pages/memorial_index_page.html): every published memorial,
   clustered, filterable by district and kind, with a popup of photo, title and link; the
   districts with no memorial described (the white spots) as grey circles.

   The shared static/js/map.js draws maps of points given in the page; this map needs
   more (filters, popups with photos, thousands of points fetched from the GeoJSON), so it
   is its own file. It uses the same vendored Leaflet and markercluster and the same
   site-wide configuration, loaded by the {% map_js %} tag before this script:

     <script id="letopis-map-config" type="application/json">{"tileUrl": …, "icon": …}</script>

   The page gives the map element and its data, with no inline code:

     <div class="memorial-map" data-memorial-map="memorial-map-data"
          data-status="memorial-map-status" hidden></div>
     <script id="memorial-map-data" type="application/json">
       {"geojson": "/api/memorials.geojson?lang=ru", "kinds": {"obelisk": "обелиск", …},
        "filters": {"district": "", "kind": ""}, "bounds": [[s, w], [n, e]],
        "whiteSpots": [{"name": …, "lat": …, "lon": …}], "strings": {…}}
     </script>

   and a form with <select data-filter="district"> and <select data-filter="kind">
   inside [data-memorial-filters]: changing them filters the map at once (the list below
   follows when the form is submitted; changing a select never reloads the page).

   Text from the data is written with textContent only; links only for http(s) or
   relative URLs. Without JavaScript, Leaflet or the GeoJSON the map stays hidden and the
   page's list of memorials stands alone. */
(function () {
    "use strict";

    var L = window.L;
    var shared = window.LetopisMap; // from map.js: readJSON, safeUrl, manageFocus
    if (!L || !shared || !document.querySelector || !window.fetch) {
        return;
    }
    var readJSON = shared.readJSON;
    var safeUrl = shared.safeUrl;
    var manageFocus = shared.manageFocus;

    var site = readJSON("letopis-map-config") || {};
    var siteStrings = site.strings || {};

    function format(template, values) {
        return String(template || "").replace(/%\((\w+)\)s/g, function (match, key) {
            return Object.prototype.hasOwnProperty.call(values, key) ? String(values[key]) : match;
        });
    }

    function markerIcon() {
        var icon = site.icon || {};
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

    // A feature the map can show: a Point with both coordinates in range and not 0,0.
    function toEntry(feature) {
        if (!feature || !feature.geometry || feature.geometry.type !== "Point") {
            return null;
        }
        var c = feature.geometry.coordinates || [];
        var lon = Number(c[0]);
        var lat = Number(c[1]);
        if (!isFinite(lat) || !isFinite(lon) || lat < -90 || lat > 90 || lon < -180 || lon > 180) {
            return null;
        }
        if (lat === 0 && lon === 0) {
            return null;
        }
        var p = feature.properties || {};
        return {
            lat: lat,
            lon: lon,
            title: typeof p.title === "string" ? p.title : "",
            url: safeUrl(p.url),
            kind: typeof p.kind === "string" ? p.kind : "",
            district: typeof p.district === "string" ? p.district : "",
            settlement: typeof p.settlement === "string" ? p.settlement : "",
            photo: safeUrl(p.photo)
        };
    }

    function popupContent(entry, kinds, strings) {
        var box = document.createElement("div");
        box.className = "memorial-popup";
        if (entry.photo) {
            var img = document.createElement("img");
            img.className = "memorial-popup__photo";
            img.src = entry.photo;
            img.alt = "";  // the title follows: the photo adds nothing for a screen reader
            img.width = 240;
            img.height = 160;
            img.loading = "lazy";
            box.appendChild(img);
        }
        var title = document.createElement(entry.url ? "a" : "strong");
        title.className = "memorial-popup__title";
        title.textContent = entry.title || siteStrings.point || "";
        if (entry.url) {
            title.href = entry.url;
        }
        box.appendChild(title);
        var details = [kinds[entry.kind] || "", entry.settlement, entry.district].filter(Boolean);
        if (details.length) {
            var text = document.createElement("p");
            text.className = "memorial-popup__text";
            text.textContent = details.join(" · ");
            box.appendChild(text);
        }
        if (entry.url && strings.more) {
            var more = document.createElement("a");
            more.className = "memorial-popup__more";
            more.href = entry.url;
            more.textContent = strings.more;
            box.appendChild(more);
        }
        return box;
    }

    function init(element) {
        var data = readJSON(element.getAttribute("data-memorial-map"));
        if (!data || !data.geojson) {
            return;
        }
        var strings = data.strings || {};
        var kinds = data.kinds || {};
        var status = document.getElementById(element.getAttribute("data-status") || "");
        function say(message) {
            if (status) {
                status.textContent = message || "";
            }
        }

        element.hidden = false;
        // maxZoom on the map itself: markercluster needs it even when no tile layer is set.
        var map = L.map(element, {zoomControl: false, scrollWheelZoom: false, maxZoom: 19});
        L.control.zoom({
            zoomInTitle: siteStrings.zoomIn || "+",
            zoomOutTitle: siteStrings.zoomOut || "−"
        }).addTo(map);
        map.attributionControl.setPrefix('<a href="https://leafletjs.com">Leaflet</a>');
        var bounds = Array.isArray(data.bounds) && data.bounds.length === 2 ? data.bounds : null;
        if (bounds) {
            map.fitBounds(bounds);
        } else {
            map.setView([54.5293, 36.2754], 7);
        }
        if (site.tileUrl) {
            var tiles = L.tileLayer(site.tileUrl, {attribution: site.attribution || "", maxZoom: 19});
            tiles.once("tileerror", function () {
                element.classList.add("map--no-tiles");
                if (siteStrings.tilesFailed && element.parentNode) {
                    var note = document.createElement("p");
                    note.className = "map-status";
                    note.textContent = siteStrings.tilesFailed;
                    element.parentNode.insertBefore(note, element.nextSibling);
                }
            });
            tiles.addTo(map);
        }
        manageFocus(map);

        var spots = L.layerGroup();
        (Array.isArray(data.whiteSpots) ? data.whiteSpots : []).forEach(function (spot) {
            var lat = Number(spot.lat);
            var lon = Number(spot.lon);
            if (!isFinite(lat) || !isFinite(lon) || typeof spot.name !== "string") {
                return;
            }
            var label = format(strings.whiteSpot, {name: spot.name});
            var circle = L.circleMarker([lat, lon], {
                radius: 14,
                color: "#6b645d",
                weight: 2,
                dashArray: "4 4",
                fillColor: "#ffffff",
                fillOpacity: 0.6,
                className: "memorial-map__white-spot"
            });
            circle.bindTooltip(label);
            circle.district = spot.name;
            spots.addLayer(circle);
        });
        spots.addTo(map);

        var icon = markerIcon();
        var cluster = typeof L.markerClusterGroup === "function"
            ? L.markerClusterGroup({
                showCoverageOnHover: false,
                maxClusterRadius: 48,
                chunkedLoading: true,
                iconCreateFunction: window.LetopisMap.clusterIcon(strings.cluster)
            })
            : L.featureGroup();
        cluster.addTo(map);
        var entries = [];

        var form = document.querySelector("[data-memorial-filters]");
        var selects = form ? form.querySelectorAll("select[data-filter]") : [];
        function currentFilters() {
            var filters = {district: "", kind: ""};
            Array.prototype.forEach.call(selects, function (select) {
                filters[select.getAttribute("data-filter")] = select.value;
            });
            return filters;
        }

        function apply(fit) {
            var filters = currentFilters();
            var shown = entries.filter(function (entry) {
                return (!filters.district || entry.district === filters.district) &&
                    (!filters.kind || entry.kind === filters.kind);
            });
            cluster.clearLayers();
            if (cluster.addLayers) {
                cluster.addLayers(shown.map(function (entry) { return entry.marker; }));
            } else {
                shown.forEach(function (entry) { cluster.addLayer(entry.marker); });
            }
            spots.eachLayer(function (circle) {
                var visible = !filters.kind && (!filters.district || filters.district === circle.district);
                if (visible && !map.hasLayer(circle)) {
                    circle.addTo(map);
                } else if (!visible && map.hasLayer(circle)) {
                    map.removeLayer(circle);
                }
            });
            say(shown.length ? format(strings.count, {count: shown.length}) : strings.none);
            if (fit && shown.length) {
                map.fitBounds(L.latLngBounds(shown.map(function (entry) {
                    return [entry.lat, entry.lon];
                })), {padding: [24, 24], maxZoom: 12});
            }
        }

        Array.prototype.forEach.call(selects, function (select) {
            select.addEventListener("change", function () { apply(true); });
        });

        say(strings.loading);
        window.fetch(data.geojson, {credentials: "same-origin", headers: {Accept: "application/geo+json"}})
            .then(function (response) {
                if (!response.ok) {
                    throw new Error("HTTP " + response.status);
                }
                return response.json();
            })
            .then(function (collection) {
                var features = collection && Array.isArray(collection.features) ? collection.features : [];
                features.forEach(function (feature) {
                    var entry = toEntry(feature);
                    if (!entry) {
                        return;
                    }
                    var name = entry.title || siteStrings.point || "";
                    entry.marker = L.marker([entry.lat, entry.lon], {
                        icon: icon,
                        title: name,
                        alt: name,
                        keyboard: true,
                        riseOnHover: true
                    });
                    entry.marker.bindPopup(function () {
                        return popupContent(entry, kinds, strings);
                    }, {maxWidth: 260, minWidth: 200});
                    entries.push(entry);
                });
                var filters = currentFilters();
                apply(Boolean(filters.district || filters.kind) || !bounds);
            })
            .catch(function () {
                say(strings.failed);
            });
    }

    function start() {
        Array.prototype.forEach.call(document.querySelectorAll("[data-memorial-map]"), function (element) {
            try {
                init(element);
            } catch (error) {
                element.hidden = true;  // the list below still has every memorial
                if (window.console) {
                    window.console.error(error);
                }
            }
        });
    }

    if (document.readyState === "loading") {
        document.addEventListener("DOMContentLoaded", start);
    } else {
        start();
    }
}());
