"""quiet_gc: no cycle collection while analyzers load, loaded objects frozen after."""

from __future__ import annotations

import gc
import threading

from companion.gui.checking.loader import quiet_gc


def test_collection_pauses_while_loading_and_resumes_with_the_loaded_objects_frozen() -> None:
    assert gc.isenabled()
    before = gc.get_freeze_count()
    loaded = []
    with quiet_gc():
        assert not gc.isenabled()
        loaded.extend([[i] for i in range(10_000)])  # long-lived objects a loader creates
    assert gc.isenabled()
    assert gc.get_freeze_count() >= before + 10_000


def test_two_loaders_at_once_keep_it_paused_until_both_are_done() -> None:
    first_in, second_done = threading.Event(), threading.Event()
    seen: list[bool] = []

    def second() -> None:
        first_in.wait()
        with quiet_gc():
            pass
        seen.append(gc.isenabled())  # the first loader is still loading
        second_done.set()

    thread = threading.Thread(target=second)
    thread.start()
    with quiet_gc():
        first_in.set()
        second_done.wait(5)
    thread.join()
    assert seen == [False] and gc.isenabled()


def test_a_failing_load_still_turns_collection_back_on() -> None:
    try:
        with quiet_gc():
            raise RuntimeError("model missing")
    except RuntimeError:
        pass
    assert gc.isenabled()
