"""pyHanko drives its work with asyncio.run(), which refuses to start inside a thread whose event
loop is already running (an async view; Playwright's sync API in tests). There, the call runs on
a short-lived thread of its own instead."""

import asyncio
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from typing import TypeVar

T = TypeVar("T")


def outside_event_loop(call: Callable[[], T]) -> T:
    try:
        asyncio.get_running_loop()
    except RuntimeError:
        return call()  # the usual case: a worker or a sync view
    with ThreadPoolExecutor(max_workers=1) as pool:
        return pool.submit(call).result()
