"""The open data portal (§ Open Data Portal): DATA.GOV.HK-compatible CKAN API, DataStore,
historical archive, DCAT, spatial features and data governance, as one application."""
