/* Map preview of a spatial collection (aiplus.data.spatial.preview), drawn with Leaflet.
 *
 * Every element with class "spatial-map" and a data-items URL becomes a map: the features
 * come from the platform's own OGC API (same origin), no background tiles are requested,
 * and a graticule stands in for a basemap. Popups are built from DOM nodes with textContent,
 * never from HTML strings, so feature properties cannot inject markup.
 */
(function () {
  "use strict";

  var STEPS = [0.001, 0.002, 0.005, 0.01, 0.02, 0.05, 0.1, 0.2, 0.5, 1, 2, 5, 10, 20, 45];

  function gridStep(span) {
    for (var i = 0; i < STEPS.length; i += 1) {
      if (span / STEPS[i] <= 8) { return STEPS[i]; }
    }
    return 90;
  }

  function drawGraticule(map, box) {
    var padX = Math.max((box[2] - box[0]) * 0.5, 0.01);
    var padY = Math.max((box[3] - box[1]) * 0.5, 0.01);
    var west = Math.max(box[0] - padX, -180), east = Math.min(box[2] + padX, 180);
    var south = Math.max(box[1] - padY, -90), north = Math.min(box[3] + padY, 90);
    var step = gridStep(Math.max(east - west, north - south));
    var lines = [];
    var x, y;
    for (x = Math.ceil(west / step) * step; x <= east; x += step) {
      lines.push([[south, x], [north, x]]);
    }
    for (y = Math.ceil(south / step) * step; y <= north; y += step) {
      lines.push([[y, west], [y, east]]);
    }
    L.polyline(lines, { className: "spatial-graticule", interactive: false }).addTo(map);
  }

  function propertiesTable(properties) {
    var table = document.createElement("table");
    table.className = "spatial-properties";
    Object.keys(properties || {}).slice(0, 30).forEach(function (key) {
      var row = table.insertRow();
      var head = document.createElement("th");
      head.scope = "row";
      head.textContent = key;
      row.appendChild(head);
      var value = properties[key];
      row.insertCell().textContent = (value !== null && typeof value === "object")
        ? JSON.stringify(value) : String(value);
    });
    return table;
  }

  function showFailure(element) {
    var note = document.createElement("p");
    note.className = "spatial-map-error";
    note.setAttribute("role", "status");
    note.textContent = element.getAttribute("data-failed") || "";
    element.parentNode.insertBefore(note, element.nextSibling);
  }

  function initMap(element) {
    if (element.getAttribute("data-ready") || typeof L === "undefined") { return; }
    element.setAttribute("data-ready", "1");
    var box;
    try {
      box = JSON.parse(element.getAttribute("data-bbox"));
    } catch (err) {
      return;
    }
    var map = L.map(element, { zoomSnap: 0.25, preferCanvas: false, worldCopyJump: false });
    // Leaflet treats attribution as HTML: give it our text escaped.
    var note = document.createElement("span");
    note.textContent = element.getAttribute("data-attribution") || "";
    map.attributionControl.addAttribution(note.innerHTML);
    var bounds = L.latLngBounds([box[1], box[0]], [box[3], box[2]]);
    if (bounds.getNorthEast().equals(bounds.getSouthWest())) {
      map.setView(bounds.getCenter(), 16);
    } else {
      map.fitBounds(bounds, { padding: [16, 16] });
    }
    drawGraticule(map, box);
    fetch(element.getAttribute("data-items"), {
      headers: { Accept: "application/geo+json" },
      credentials: "same-origin"
    }).then(function (response) {
      if (!response.ok) { throw new Error("HTTP " + response.status); }
      return response.json();
    }).then(function (collection) {
      L.geoJSON(collection, {
        style: function () { return { color: "#1d4ed8", weight: 2, fillOpacity: 0.2 }; },
        pointToLayer: function (feature, latlng) {
          return L.circleMarker(latlng, { radius: 5, color: "#1d4ed8", weight: 2,
                                          fillColor: "#3b82f6", fillOpacity: 0.8 });
        },
        onEachFeature: function (feature, layer) {
          layer.bindPopup(function () { return propertiesTable(feature.properties); });
        }
      }).addTo(map);
    }).catch(function () { showFailure(element); });
  }

  function initAll(root) {
    var found = (root || document).querySelectorAll(".spatial-map[data-items]");
    Array.prototype.forEach.call(found, initMap);
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", function () { initAll(document); });
  } else {
    initAll(document);
  }
  document.addEventListener("htmx:afterSwap", function (event) { initAll(event.target); });
}());
