"""The open data catalogue: datasets, resources, groups, tags, licences and their history."""
