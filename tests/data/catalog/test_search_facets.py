"""Facets group the matching datasets (organisation, licence) and count their facet postings
(categories, tags, formats): they must count only what the caller may see, and reflect every
write in the very next search."""

from tests.data.catalog.conftest import journey_times

FACETS = ["organization", "groups", "tags", "res_format", "license_id"]


def facets(ckan, member=None, **params):
    result = ckan("package_search", member, **{"facet.field": FACETS, **params})[1]["result"]
    return result["count"], result["facets"]


def test_private_datasets_never_reach_facets_of_those_outside(ckan, steward, factory):
    ckan("package_create", steward, **journey_times(
        name="open-set", license_id="cc-by", tags=[{"name": "open"}],
        resources=[{"url": "https://e.org/a", "format": "CSV"}]))
    ckan("package_create", steward, **journey_times(
        name="secret-set", license_id="other-closed", private=True, tags=[{"name": "secret"}],
        groups=[{"name": "health"}], resources=[{"url": "https://e.org/b", "format": "PDF"}]))
    outsider = factory.member("outsider", org="hk-ha", role="officer")
    for member in (None, outsider):
        count, found = facets(ckan, member, include_private=True, fq="organization:hk-td")
        assert count == 1
        assert found["license_id"] == {"cc-by": 1} and found["organization"] == {"hk-td": 1}
        assert found["tags"] == {"open": 1}
        assert found["res_format"] == {"CSV": 1} and found["groups"] == {"transport": 1}
    colleague = factory.member("colleague", org="hk-td", role="officer")
    count, found = facets(ckan, colleague, include_private=True)
    assert count == 2 and found["organization"] == {"hk-td": 2}
    assert found["license_id"] == {"cc-by": 1, "other-closed": 1}
    assert found["res_format"] == {"CSV": 1, "PDF": 1}


def test_every_write_shows_in_the_next_faceted_search(ckan, steward):
    created = ckan("package_create", steward, **journey_times(license_id="cc-by"))[1]["result"]
    assert facets(ckan, q="journey")[1]["license_id"] == {"cc-by": 1}
    ckan("package_patch", steward, id=created["id"], license_id="odc-by",
         tags=[{"name": "renamed"}])
    count, found = facets(ckan, q="journey")
    assert count == 1 and found["license_id"] == {"odc-by": 1} and found["tags"] == {"renamed": 1}
    ckan("package_patch", steward, id=created["id"], private=True)
    assert facets(ckan, q="journey") == (0, {name: {} for name in FACETS})
    ckan("package_patch", steward, id=created["id"], private=False)
    ckan("package_delete", steward, id=created["id"])
    assert facets(ckan) == (0, {name: {} for name in FACETS})


def test_formats_count_datasets_and_follow_resource_writes(ckan, steward):
    created = ckan("package_create", steward, **journey_times(resources=[
        {"name": "a", "url": "https://example.org/a.csv", "format": "csv"},
        {"name": "b", "url": "https://example.org/b.csv", "format": "CSV"}]))[1]["result"]
    found = facets(ckan)[1]
    assert found["res_format"] == {"CSV": 1}  # two CSV files, one dataset
    assert found["groups"] == {"transport": 1}
    ckan("resource_create", steward, package_id=created["id"], name="c",
         url="https://example.org/c.json", format="json")
    assert facets(ckan)[1]["res_format"] == {"CSV": 1, "JSON": 1}
    for resource in created["resources"]:
        ckan("resource_delete", steward, id=resource["id"])
    ckan("package_patch", steward, id=created["id"], groups=[{"name": "health"}])
    found = facets(ckan)[1]
    assert found["res_format"] == {"JSON": 1} and found["groups"] == {"health": 1}


def test_facet_limit_keeps_the_largest_counts(ckan, steward):
    for number, tags in enumerate((["a", "b"], ["b"], ["b", "c"])):
        ckan("package_create", steward, **journey_times(
            name=f"journey-{number}", tags=[{"name": t} for t in tags]))
    result = ckan("package_search", **{"facet.field": ["tags"], "facet.limit": 2})[1]["result"]
    assert [(i["name"], i["count"]) for i in result["search_facets"]["tags"]["items"]] == [
        ("b", 3), ("a", 1)]



def test_the_migration_posts_facets_of_existing_datasets(ckan, steward, platform):
    """Downgrade past 0004 and upgrade again: the postings it writes equal the catalogue's own."""
    from alembic import command

    from aiplus.platform.migrate import alembic_config
    from aiplus.platform.registry import AppRegistry

    ckan("package_create", steward, **journey_times(resources=[
        {"name": "a", "url": "https://example.org/a.csv", "format": "CSV"},
        {"name": "b", "url": "https://example.org/b.csv", "format": "CSV"}]))
    written = facets(ckan)
    config = alembic_config(AppRegistry.discover().migration_locations())
    with platform.db.write_engine.connect() as connection:
        config.attributes["connection"] = connection
        command.downgrade(config, "0004_catalog_facets-1")
        command.upgrade(config, "heads")
        connection.commit()
    assert facets(ckan) == written
    assert written[1]["res_format"] == {"CSV": 1} and written[1]["groups"] == {"transport": 1}
