"""Several workers at once, each in a thread with its own database connection, as on several servers."""

import threading

from django.db import connection


def in_threads(work, names=("w1", "w2")):
    """Run `work(name)` in one thread per name and wait for all; each closes its connection when done."""

    def run(name):
        try:
            work(name)
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(name,)) for name in names]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
