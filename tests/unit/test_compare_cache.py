from datetime import date

from api.services.compare_cache import CompareCache, cache_key


def test_the_key_collapses_whitespace_but_keeps_case_options_archive_and_generation():
    base = cache_key("a", "g1", {"claim": "The US flew  them.", "limit": 5, "published_after": date(2017, 1, 1)})
    assert base == cache_key("a", "g1", {"published_after": date(2017, 1, 1), "limit": 5, "claim": " The US flew them.\n"})
    assert base != cache_key("a", "g1", {"claim": "the us flew them.", "limit": 5, "published_after": date(2017, 1, 1)})
    assert base != cache_key("a", "g1", {"claim": "The US flew them.", "limit": 6, "published_after": date(2017, 1, 1)})
    assert base != cache_key("b", "g1", {"claim": "The US flew them.", "limit": 5, "published_after": date(2017, 1, 1)})
    assert base != cache_key("a", "g2", {"claim": "The US flew them.", "limit": 5, "published_after": date(2017, 1, 1)})
    assert base != cache_key("a", "g1", {"claim": "The US flew them.", "limit": 5, "published_after": date(2017, 1, 1)}, "x")


def test_apps_configured_apart_never_share_answers():
    from api.config import Settings
    from api.services.compare_cache import answerer

    assert answerer(Settings()) == answerer(Settings())
    assert answerer(Settings()) != answerer(Settings(compare_counter=0))


def test_the_cache_holds_at_most_its_bytes_and_drops_the_least_recently_used():
    cache = CompareCache(max_bytes=100)
    answer = {"text": "x" * 30}  # 43 bytes of JSON
    cache.put("one", answer)
    cache.put("two", answer)
    assert cache.get("one") == answer  # "two" is now the least recently used
    cache.put("three", answer)
    assert cache.get("two") is None and cache.get("one") == answer and cache.get("three") == answer
    cache.put("big", {"text": "y" * 200})  # larger than the whole cache: not kept, nothing dropped for it
    assert cache.get("big") is None and cache.get("one") == answer
