"""Spatial data: GeoJSON and coordinate-column resources as OGC API Features collections.

- :mod:`.crs`: HK1980 Grid (EPSG:2326) <-> WGS 84 with pyproj; coordinate columns of tables;
- :mod:`.geojson`: GeoJSON checking (shapely), CRS handling and extents;
- :mod:`.tables`, :mod:`.store`: the ``data_collections``/``data_features`` tables and
  :class:`~.store.SpatialStore` (atomic replace, bbox search in SQL);
- :mod:`.ogc`: the read-only OGC API - Features router (``/ogc``);
- :mod:`.preview`: the offline Leaflet map preview and its static files.

Submodules are imported where needed, so importing this package stays cheap.
"""
