"""Webhook delivery of watched claims' matches: at least once, in the order found, signed, retried with backoff.

One thread per process (started when a watch with a webhook exists) walks the watches that have a webhook. A
watch is delivered by one process at a time: it takes a lease on the watch (a conditional update on its sequence
number). Each settled match after the watch's delivery cursor is POSTed as JSON with
`X-Claimcheck-Signature: sha256=<HMAC-SHA256 of the body under the watch's secret>`; a 2xx answer moves the cursor
past it, anything else (or no answer) records the error and schedules a retry after a doubling delay. A process
that dies between a delivery and its cursor update delivers that match again: at least once, never lost.
"""

from __future__ import annotations

import calendar
import hashlib
import hmac
import json
import logging
import threading
import time
import urllib.error
import urllib.request
from typing import Any

from api.config import Settings
from index.errors import NotFound
from index.repository import Archive
from index.watches import now_iso

log = logging.getLogger(__name__)
LEASE_SECONDS = 30
POLL_SECONDS = 1.0
MAX_BACKOFF = 300.0
_threads: dict[str, threading.Thread] = {}
_wanted: set[str] = set()  # archives whose loop was asked to stay (a webhook watch was just created)
_lock = threading.Lock()


def signature(secret: str, body: bytes) -> str:
    """The X-Claimcheck-Signature value of a body."""
    return "sha256=" + hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()


def ensure_running(archive: Archive, settings: Settings) -> None:
    """Start this process's delivery thread for the archive, once."""
    key = archive.watches.watches
    with _lock:
        if key in _threads and _threads[key].is_alive():
            _wanted.add(key)  # a loop about to stop for want of webhooks looks again
            return
        thread = threading.Thread(target=_loop, args=(archive, settings), daemon=True, name=f"deliveries-{key}")
        _threads[key] = thread
        thread.start()


def _loop(archive: Archive, settings: Settings) -> None:
    """Deliver every round while some watch has a webhook; stop when none has (creating one starts it again)."""
    while True:
        try:
            if not archive.watches.exists():
                return
            hooked = [w for w in archive.watches.all() if w.get("webhook_url") and w.get("secret")]
            if not hooked:
                with _lock:
                    if archive.watches.watches not in _wanted:
                        _threads.pop(archive.watches.watches, None)
                        return
                    _wanted.discard(archive.watches.watches)
                continue
            for watch in hooked:
                try:
                    deliver(archive, settings, watch["watch_id"])
                except NotFound:
                    continue  # deleted meanwhile
        except Exception:  # noqa: BLE001 - Elasticsearch away: try again next round
            log.warning("webhook delivery round failed", exc_info=True)
        time.sleep(POLL_SECONDS)


def _due(state: dict[str, Any]) -> bool:
    retry = state.get("next_retry")
    return not retry or calendar.timegm(time.strptime(str(retry), "%Y-%m-%dT%H:%M:%SZ")) <= time.time()


def deliver(archive: Archive, settings: Settings, watch_id: str, batch: int = 20) -> int:
    """Deliver what is due for one watch under a lease; how many matches were delivered."""
    store = archive.watches
    watch = store.get(watch_id)
    state = dict(watch.get("delivery") or {})
    if not _due(state) or float(state.get("lease") or 0) > time.time():
        return 0
    leased = state | {"lease": time.time() + LEASE_SECONDS}
    if not store.update(watch_id, {"delivery": leased}, (watch["_seq_no"], watch["_primary_term"])):
        return 0  # another process took it
    after = json.loads(state["cursor"]) if state.get("cursor") else None
    sent = 0
    try:
        for match in store.settled(watch_id, batch, after, settings.watch_settle_seconds):
            sort = match.pop("_sort")
            body = json.dumps(
                {"watch_id": watch_id, "claim": watch["claim"], "label": watch.get("label"), "match": match}, ensure_ascii=False
            ).encode()
            error = _post(str(watch["webhook_url"]), body, str(watch["secret"]), match["match_id"], settings.webhook_timeout)
            if error:
                attempts = int(state.get("attempts") or 0) + 1
                delay = min(MAX_BACKOFF, settings.webhook_retry_seconds * 2 ** (attempts - 1))
                retry = time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(time.time() + delay))
                state |= {"attempts": attempts, "last_error": f"{now_iso()} {error}", "next_retry": retry}
                log.info("webhook of %s failed (%s), retry in %.0f s", watch_id, error, delay)
                break
            delivered = int(state.get("delivered") or 0) + 1
            state |= {"cursor": json.dumps(sort), "delivered": delivered, "attempts": 0, "next_retry": None}
            sent += 1
    finally:
        store.update(watch_id, {"delivery": state | {"lease": 0}})
    return sent


def _post(url: str, body: bytes, secret: str, delivery: str, timeout: float) -> str | None:
    """POST one match; None on a 2xx answer, else what went wrong."""
    request = urllib.request.Request(
        url,
        data=body,
        method="POST",
        headers={
            "Content-Type": "application/json",
            "User-Agent": "claimcheck-webhook/1",
            "X-Claimcheck-Signature": signature(secret, body),
            "X-Claimcheck-Delivery": delivery,
        },
    )
    try:
        with urllib.request.urlopen(request, timeout=timeout) as resp:  # noqa: S310 - http(s) only, checked at creation
            return None if 200 <= resp.status < 300 else f"HTTP {resp.status}"
    except urllib.error.HTTPError as err:
        return f"HTTP {err.code}"
    except (urllib.error.URLError, OSError) as err:
        return f"{type(err).__name__}: {getattr(err, 'reason', err)}"
