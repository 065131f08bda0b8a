"""The read cache: what a write anywhere on the same home invalidates, and what is never kept."""

import asyncio

from aiplus.core.cache import ReadCache


def _counter():
    """A computation that returns how many times it has run."""
    calls = []
    return lambda: calls.append(1) or len(calls)


def test_a_write_in_another_process_invalidates_through_the_stamp(tmp_path):
    stamp = tmp_path / "cache" / "written"
    server, cli = ReadCache(ttl=60, stamp=stamp), ReadCache(ttl=60, stamp=stamp)
    compute = _counter()
    assert server.get_or_compute("k", compute) == 1
    assert server.get_or_compute("k", compute) == 1
    cli.clear()  # another process's commit: only the stamp file is shared
    assert stamp.exists()
    assert server.get_or_compute("k", compute) == 2


def test_a_value_computed_across_a_write_is_not_served():
    cache = ReadCache(ttl=60)

    def read_then_write_commits():
        cache.clear()  # a write commits while this read is being computed
        return "stale"

    assert cache.get_or_compute("k", read_then_write_commits) == "stale"
    assert cache.get_or_compute("k", lambda: "fresh") == "fresh"


def test_async_lookups_share_entries_and_skip_what_is_not_worth_keeping():
    cache = ReadCache(ttl=60)
    compute = _counter()

    async def answer():
        return compute()

    async def scenario():
        first = await cache.get_or_compute_async("small", answer)
        again = await cache.get_or_compute_async("small", answer)
        big = [await cache.get_or_compute_async("big", answer, keep=lambda _: False)
               for _ in range(2)]
        return first, again, big

    assert asyncio.run(scenario()) == (1, 1, [2, 3])


def test_concurrent_misses_wait_for_one_computation():
    cache = ReadCache(ttl=60)
    runs = []

    async def slow_answer():
        runs.append(1)
        await asyncio.sleep(0.01)
        return len(runs)

    async def failing():  # the two waiting on it then try for themselves, and fail too
        runs.append(1)
        await asyncio.sleep(0.01)
        raise KeyError("no such dataset")

    async def scenario():
        shared = await asyncio.gather(*(cache.get_or_compute_async("k", slow_answer)
                                        for _ in range(5)))
        failed = await asyncio.gather(*(cache.get_or_compute_async("x", failing)
                                        for _ in range(3)), return_exceptions=True)
        return shared, failed

    shared, failed = asyncio.run(scenario())
    assert shared == [1] * 5
    assert all(isinstance(error, KeyError) for error in failed) and len(runs) == 4
