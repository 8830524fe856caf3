"""A value read on nearly every request and changed rarely, kept in each process for a few seconds."""

import threading
import time


class PerProcess:
    """`get()` returns what `load()` returned at most `seconds` ago in this process. `forget()` makes the
    next `get()` load again: the process that changes the value calls it, and the others catch up
    within `seconds`."""

    def __init__(self, load, seconds):
        self._load, self._seconds = load, seconds
        self._lock = threading.Lock()
        self._value, self._loaded = None, None

    def get(self):
        with self._lock:
            if self._loaded is None or time.monotonic() - self._loaded >= self._seconds:
                self._value, self._loaded = self._load(), time.monotonic()
            return self._value

    def forget(self):
        with self._lock:
            self._value, self._loaded = None, None
