"""The try-it page at GET /: served publicly, and driven end to end in headless Chromium against a real gunicorn."""

from __future__ import annotations

import os
import re
import shutil
import threading
import time
from collections.abc import Iterator

import pytest
import requests
from selenium import webdriver
from selenium.webdriver.chrome.options import Options
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.common.by import By
from selenium.webdriver.remote.webdriver import WebDriver
from selenium.webdriver.remote.webelement import WebElement
from selenium.webdriver.support.ui import WebDriverWait
from werkzeug.serving import make_server

from api import create_app
from api.config import Settings
from tests.conftest import ES_URL, ROOT
from tests.system.conftest import TOKEN

ENGLISH = "The US flew ISIS fighters from Raqqa to Deir ez-Zor"
NORWEGIAN = "USA fløy IS-krigere fra Raqqa til Deir ez-Zor"
WAIT = 90  # seconds for one search: the first compare of a worker may still load the stance model


def _in_ci() -> bool:
    return os.environ.get("CI", "").strip().lower() in ("1", "true", "yes")


# --- without a browser: the page and its assets are public -------------------------------------------------------


@pytest.mark.integration
def test_page_and_assets_are_served(client):
    page = client.get("/")
    assert page.status_code == 200
    assert page.headers["Content-Type"] == "text/html; charset=utf-8"
    assert page.headers["Cache-Control"] == "no-cache"
    assert "default-src 'self'" in page.headers["Content-Security-Policy"]
    html = page.get_data(as_text=True)
    assert '<html lang="en">' in html and "/static/app.js" in html and "/static/style.css" in html
    for path, mimetype in (("/static/app.js", "text/javascript"), ("/static/style.css", "text/css")):
        asset = client.get(path)
        assert asset.status_code == 200 and asset.mimetype == mimetype
        assert "max-age" in asset.headers["Cache-Control"]
    assert client.get("/", headers={"If-None-Match": page.headers["ETag"]}).status_code == 304


@pytest.mark.integration
def test_page_stays_public_when_reads_need_a_token():
    app = create_app(Settings.from_env(elasticsearch_url=ES_URL, api_tokens=TOKEN, reads_require_token=True, warm_models=False))
    client = app.test_client()
    assert client.get("/").status_code == 200
    assert client.get("/static/app.js").status_code == 200
    assert client.get("/static/style.css").status_code == 200
    assert client.get("/v1/documents").status_code == 401


# --- in headless Chromium --------------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def browser() -> Iterator[WebDriver]:
    """Debian's chromium with its chromedriver; Selenium Manager never runs (both paths are given)."""
    chromium = next((p for name in ("chromium", "chromium-browser") if (p := shutil.which(name))), None)
    driver_path = shutil.which("chromedriver")
    if not chromium or not driver_path:
        missing = " and ".join(n for n, p in (("chromium", chromium), ("chromedriver", driver_path)) if not p)
        message = f"{missing} not on PATH: install Debian's chromium and chromium-driver (scripts/setup.sh does, as root)"
        if _in_ci():
            pytest.fail(message)
        pytest.skip(message)
    options = Options()
    options.binary_location = chromium
    for arg in ("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--window-size=1400,1000", "--lang=en-US"):
        options.add_argument(arg)
    driver = webdriver.Chrome(service=Service(driver_path), options=options)
    try:
        yield driver
    finally:
        driver.quit()


@pytest.fixture(scope="module")
def locked_server(seeded_names) -> Iterator[str]:
    """The app in a thread with READS_REQUIRE_TOKEN on, to drive the page's 401 path."""
    app = create_app(
        Settings.from_env(
            elasticsearch_url=ES_URL,
            index_prefix=seeded_names.prefix,
            api_tokens=TOKEN,
            reads_require_token=True,
            warm_models=False,
        )
    )
    httpd = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{httpd.server_port}"
    finally:
        httpd.shutdown()
        thread.join(timeout=10)


def _text(element: WebElement) -> str:
    """The DOM text, as written (not as CSS renders it: the language badge is upper-cased on screen)."""
    return (element.get_attribute("textContent") or "").strip()


def _search(driver: WebDriver, base: str, claim: str) -> None:
    driver.get(base + "/")
    box = driver.find_element(By.ID, driver.find_element(By.XPATH, "//label[.='Claim or entity']").get_attribute("for"))
    box.clear()
    box.send_keys(claim)
    driver.find_element(By.XPATH, "//button[@type='submit' and .='Compare']").click()
    _wait_until_answered(driver)


def _wait_until_answered(driver: WebDriver) -> None:
    def answered(d: WebDriver) -> bool:
        results = d.find_element(By.ID, "results")
        done = results.is_displayed() and results.get_attribute("aria-busy") == "false"
        return done or d.find_element(By.ID, "error").is_displayed()

    WebDriverWait(driver, WAIT).until(answered)
    error = driver.find_element(By.ID, "error")
    assert not error.is_displayed(), f"the page shows an error: {error.text}"


def _cards(driver: WebDriver, column: str) -> list[WebElement]:
    return driver.find_elements(By.CSS_SELECTOR, f"#{column} li.card")


def _check_card(card: WebElement, documents: dict[str, str], base: str) -> None:
    assert _text(card.find_element(By.CSS_SELECTOR, ".outlet"))  # the outlet or "unknown outlet"
    assert re.fullmatch(r"\d{4}(-\d{2}){0,2}|undated", _text(card.find_element(By.CSS_SELECTOR, ".date")))
    language = _text(card.find_element(By.CSS_SELECTOR, ".lang"))
    assert re.fullmatch(r"[a-z]{2,3}", language)
    assert card.find_element(By.CSS_SELECTOR, "blockquote").get_attribute("lang") == language
    if card.find_elements(By.XPATH, "ancestor::ol[@id='related']"):
        assert not card.find_elements(By.CSS_SELECTOR, ".confidence"), "a related passage shows no side probability"
    else:
        assert re.fullmatch(r"model \d{1,3}% (supports|contradicts)", _text(card.find_element(By.CSS_SELECTOR, ".confidence")))
    quote = _text(card.find_element(By.CSS_SELECTOR, "blockquote mark"))
    document_id = card.get_attribute("data-document-id")
    assert document_id, "a card names its document"
    if document_id not in documents:
        response = requests.get(f"{base}/v1/documents/{document_id}", timeout=30)
        response.raise_for_status()
        documents[document_id] = response.json()["text"]
    assert quote and quote in documents[document_id]


def _answer(base: str, claim: str) -> dict:
    """What the API itself answers for the claim, with the page's limit."""
    response = requests.post(
        f"{base}/v1/compare", json={"claim": claim, "limit": 20}, headers={"Authorization": f"Bearer {TOKEN}"}, timeout=120
    )
    response.raise_for_status()
    return response.json()


@pytest.mark.browser
def test_english_claim_fills_the_columns_with_what_the_api_answers(browser, server):
    _search(browser, server, ENGLISH)
    assert "norsk" in (browser.find_element(By.ID, "claim").get_attribute("placeholder") or "")
    supporting, contradicting = _cards(browser, "supporting"), _cards(browser, "contradicting")
    answer = _answer(server, ENGLISH)
    for column, cards in (("supporting", supporting), ("contradicting", contradicting), ("related", _cards(browser, "related"))):
        assert sorted(c.get_attribute("data-passage-id") or "" for c in cards) == sorted(p["passage_id"] for p in answer[column])
        # one top-level card per origin, in the answer's order; repeats folded inside it
        heads = browser.find_elements(By.CSS_SELECTOR, f"#{column} > li.card")
        firsts, seen = [], set()
        for p in answer[column]:
            if p["origin"]["id"] not in seen:
                seen.add(p["origin"]["id"])
                firsts.append(p["passage_id"])
        assert [c.get_attribute("data-passage-id") for c in heads] == firsts
        count = browser.find_element(
            By.ID, {"supporting": "supports-count", "contradicting": "contradicts-count", "related": "related-count"}[column]
        ).text
        assert f"{answer['independent_sources'][column]} independent source" in count
    assert supporting or contradicting, "the seeds take positions on the README's example claim"
    documents: dict[str, str] = {}
    for card in supporting + contradicting:
        _check_card(card, documents, server)
    assert browser.find_elements(By.CSS_SELECTOR, "li.card .quote .context"), "no passage is shown inside its context"
    summary = browser.find_element(By.ID, "summary").text
    assert re.search(r"Claim language: .+\([a-z]{2,3}\)", summary) and "outlet" in summary
    assert "supporting" in browser.find_element(By.ID, "status").text
    left, right = (browser.find_element(By.CSS_SELECTOR, f".column.{side}").rect for side in ("supports", "contradicts"))
    assert right["x"] > left["x"] + left["width"] - 1, "the two columns are not side by side at 1400 px"
    (ROOT / "test-output").mkdir(exist_ok=True)
    assert browser.save_screenshot(str(ROOT / "test-output" / "page.png"))


@pytest.mark.browser
def test_norwegian_claim_fills_a_column(browser, server):
    _search(browser, server, NORWEGIAN)
    cards = _cards(browser, "supporting") + _cards(browser, "contradicting")
    assert cards
    documents: dict[str, str] = {}
    for card in cards[:4]:
        _check_card(card, documents, server)
    assert "?q=" in browser.current_url  # the search is in the address, to share or reload


@pytest.mark.browser
def test_related_passages_fill_a_third_quieter_column(browser, server):
    _search(browser, server, ENGLISH)
    column = browser.find_element(By.CSS_SELECTOR, ".column.related")
    assert "Related" in _text(column.find_element(By.TAG_NAME, "h3")) and "no position" in _text(column)
    related = _cards(browser, "related")
    assert related, "an on-topic claim has related passages"
    documents: dict[str, str] = {}
    for card in related[:3]:
        _check_card(card, documents, server)
    sided = {c.get_attribute("data-passage-id") for c in _cards(browser, "supporting") + _cards(browser, "contradicting")}
    assert not sided & {c.get_attribute("data-passage-id") for c in related}
    assert re.search(r"\d+ related", browser.find_element(By.ID, "status").text)
    assert not browser.find_elements(By.ID, "strict"), "one mode: no strict box"


@pytest.mark.browser
def test_entity_name_lists_entities_and_their_disputed_statements(browser, server):
    _search(browser, server, "Raqqa")
    entities = browser.find_elements(By.CSS_SELECTOR, "#entity-list li.entity")
    assert entities and browser.find_element(By.ID, "entities").is_displayed()
    first = entities[0]
    assert _text(first.find_element(By.CSS_SELECTOR, ".entity-name"))
    assert re.fullmatch(r"\d+ documents?", _text(first.find_element(By.CSS_SELECTOR, ".entity-docs")))
    first.find_element(By.TAG_NAME, "button").click()
    WebDriverWait(browser, WAIT).until(
        lambda d: d.find_elements(By.CSS_SELECTOR, "#entity-claims h4") or d.find_element(By.ID, "error").is_displayed()
    )
    assert not browser.find_element(By.ID, "error").is_displayed()


@pytest.mark.browser
def test_a_name_goes_to_the_entity_view_first_and_compares_only_when_asked(browser, server):
    _search(browser, server, "Dayr al-Zawr")
    assert browser.find_element(By.ID, "entities").is_displayed()
    assert browser.find_elements(By.CSS_SELECTOR, "#entity-list li.entity")
    assert not browser.find_element(By.CSS_SELECTOR, ".columns").is_displayed(), "no claim comparison for a name"
    assert "no claim comparison was run" in browser.find_element(By.ID, "status").text
    browser.find_element(By.ID, "compare-anyway").click()
    WebDriverWait(browser, WAIT).until(lambda d: d.find_element(By.CSS_SELECTOR, ".columns").is_displayed())
    _wait_until_answered(browser)
    assert "not a weight of evidence" in browser.find_element(By.ID, "summary").text
    assert not browser.find_element(By.ID, "entities").is_displayed()


@pytest.mark.browser
def test_blank_submit_shows_a_validation_message_and_calls_nothing(browser, server):
    browser.get(server + "/")
    browser.find_element(By.ID, "claim").send_keys("   ")
    browser.find_element(By.XPATH, "//button[.='Compare']").click()
    message = browser.find_element(By.ID, "claim-error")
    assert message.is_displayed() and message.text
    assert browser.find_element(By.ID, "claim").get_attribute("aria-invalid") == "true"
    assert not browser.find_element(By.ID, "error").is_displayed()
    assert not browser.find_element(By.ID, "results").is_displayed()
    requested = browser.execute_script("return performance.getEntriesByType('resource').map(e => e.name)")
    # the page lists the watched claims when it loads; a blank search asks the API nothing else
    assert not [url for url in requested if "/v1/" in url and "/v1/watches" not in url]


@pytest.mark.browser
def test_401_asks_for_a_token_and_retries_with_it(browser, locked_server):
    browser.get(locked_server + "/")
    browser.execute_script("sessionStorage.clear()")
    browser.find_element(By.ID, "claim").send_keys(ENGLISH)
    browser.find_element(By.XPATH, "//button[.='Compare']").click()
    WebDriverWait(browser, WAIT).until(lambda d: d.find_element(By.ID, "error").is_displayed())
    assert "401" in browser.find_element(By.ID, "error").text
    assert browser.find_element(By.ID, "auth").is_displayed()
    token = browser.find_element(By.ID, "token")
    assert browser.switch_to.active_element == token
    token.send_keys(TOKEN)
    browser.find_element(By.XPATH, "//button[.='Use token']").click()
    _wait_until_answered(browser)
    assert browser.execute_script("return sessionStorage.getItem('claimcheck.token')") == TOKEN
    assert _cards(browser, "supporting") or _cards(browser, "contradicting")


@pytest.mark.browser
@pytest.mark.parametrize("width", [375, 1400])
def test_side_summaries_come_before_the_first_passage_on_a_phone_and_a_desktop(browser, server, width):
    browser.set_window_size(width, 900)
    try:
        _search(browser, server, ENGLISH)
        answer = _answer(server, ENGLISH)
        viewport = browser.execute_script("return document.documentElement.clientWidth")
        assert browser.execute_script("return document.documentElement.scrollWidth") <= viewport, "no sideways scrolling"
        cards = browser.find_elements(By.CSS_SELECTOR, ".columns li.card")
        assert cards, "the seeds hold passages on the README's example claim"
        first_top = min(c.rect["y"] for c in cards if c.is_displayed())
        for side, key in (("supports", "supporting"), ("contradicts", "contradicting")):
            found = browser.find_elements(By.CSS_SELECTOR, f"#{side}-summary, #{side}-summary-top")
            shown = [e for e in found if e.is_displayed()]
            assert len(shown) == 1, f"one {side} summary on screen at {width} px"
            summary, text = answer["summary"][key], shown[0].text
            if summary["passages"]:
                assert f"{summary['independent_sources']} independent source" in text
                if summary["earliest"]:
                    assert f"first: {summary['earliest']['outlet'] or 'document'}" in text
                    assert summary["earliest"]["published"] in text
            else:
                assert text == "No passages on this side."
            assert shown[0].rect["y"] < first_top, f"the {side} summary is below the first passage at {width} px"
        columns = browser.find_elements(By.CSS_SELECTOR, ".columns > .column")
        assert len(columns) == 3 and all(c.is_displayed() and c.rect["width"] >= min(300, viewport - 40) for c in columns)
        if width >= 1000:
            xs = [c.rect["x"] for c in columns]
            assert xs == sorted(xs) and len(set(xs)) == 3, "three columns side by side"
        (ROOT / "test-output").mkdir(exist_ok=True)
        assert browser.save_screenshot(str(ROOT / "test-output" / f"page-{width}.png"))
    finally:
        browser.set_window_size(1400, 1000)


@pytest.mark.browser
def test_watched_claims_are_listed_with_their_newest_contradicting_match_first(browser, server):
    auth = {"Authorization": f"Bearer {TOKEN}"}
    created = requests.post(f"{server}/v1/watches", json={"claim": ENGLISH}, headers=auth, timeout=60)
    assert created.status_code == 201
    watch_id = created.json()["id"]
    deadline = time.monotonic() + 180
    while (detail := requests.get(f"{server}/v1/watches/{watch_id}", headers=auth, timeout=30).json())["backfill"][
        "status"
    ] not in ("done", "failed"):
        assert time.monotonic() < deadline, "the backfill did not finish"
        time.sleep(1)
    browser.get(server + "/")
    WebDriverWait(browser, WAIT).until(lambda d: d.find_element(By.ID, "watches").is_displayed())
    item = browser.find_element(By.CSS_SELECTOR, f"li.watch[data-watch-id='{watch_id}']")
    assert ENGLISH in _text(item)
    counts = _text(item.find_element(By.CSS_SELECTOR, ".watch-counts"))
    contradicting = detail["matches"].get("contradicts", 0)
    assert f"{contradicting} contradicting match" in counts
    newest = detail["newest_contradicting"]
    if newest:  # shown first in the item, quoted
        first = item.find_elements(By.CSS_SELECTOR, "p")[0]
        assert "watch-newest" in (first.get_attribute("class") or "")
        assert newest["passage"]["text"] in _text(first)
    requests.delete(f"{server}/v1/watches/{watch_id}", headers=auth, timeout=30)
