"""An API with a rate limit and a client of it: what the rate-limit tests of a fleet need of
any vendor, with the vendor left out. The API allows ``limit`` requests in any ``seconds``
(a sliding window, as the vendors count) and answers 429 past it, counting each refusal;
the client keeps to 4 requests a second with bursts of 12 unless told otherwise."""

from __future__ import annotations

import threading
import time
from collections import deque

from sdkcore import SyncAPIClient
from sdkcore.testing import FakeAPI, FakeRequest, FakeResponse, route

__all__ = ["RatedAPI", "RatedClient"]


class RatedAPI(FakeAPI):
    def __init__(self, limit: int, seconds: float) -> None:
        super().__init__()
        self.limit = limit
        self.seconds = seconds
        self.throttled = 0
        """Requests answered 429."""
        self._sent: deque[float] = deque()
        self._window = threading.Lock()

    def authenticate(self, request: FakeRequest) -> FakeResponse | None:
        with self._window:
            now = time.monotonic()
            while self._sent and now - self._sent[0] >= self.seconds:
                self._sent.popleft()
            if len(self._sent) >= self.limit:
                self.throttled += 1
                return FakeResponse(429, {"message": "too many requests"}, {"Retry-After": "1"})
            self._sent.append(now)
        return None

    @route("GET", "/things")
    def things(self, request: FakeRequest) -> FakeResponse:
        return FakeResponse(200, {"things": []})


class RatedClient(SyncAPIClient):
    package = "ponte_rated"
    default_base_url = "https://rated.example.test"
    default_rate = (4.0, 1.0, 12)
