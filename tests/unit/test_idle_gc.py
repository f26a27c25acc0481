"""The collector is off while the app starts, and on again at mount or whatever ends the start."""

import gc

import pytest

from inbox_tui.ui.idle_gc import IdleCollector, start_without_collections


@pytest.fixture(autouse=True)
def _collector_as_found():
    enabled, thresholds = gc.isenabled(), gc.get_threshold()
    yield
    gc.unfreeze()
    gc.set_threshold(*thresholds)
    (gc.enable if enabled else gc.disable)()


def test_start_runs_without_collections_and_mount_turns_them_on():
    collector = IdleCollector()
    with start_without_collections():
        assert not gc.isenabled()
        built_at_start = [[] for _ in range(10)]
        collector.start()
        assert gc.isenabled()
        # Frozen: no generation a collection walks holds what start-up built.
        walked = {id(o) for o in gc.get_objects()}
        assert not walked & {id(o) for o in built_at_start}
        assert gc.get_threshold()[2] >= 1_000_000_000  # no automatic full collections
    assert gc.isenabled()
    collector.stop()
    assert gc.get_freeze_count() == 0


def test_a_start_that_fails_before_mount_leaves_collections_on():
    with pytest.raises(SystemExit), start_without_collections():
        raise SystemExit(2)  # a broken config ends the start before any mount
    assert gc.isenabled()


def test_idle_collection_waits_for_a_pause_in_typing():
    collector = IdleCollector(idle_after=60.0, every=0.0, longest=3600.0)
    collector.note_input()
    assert collector.tick() is False  # typing: not now
    collector = IdleCollector(idle_after=0.0, every=0.0, longest=3600.0)
    assert collector.tick() is True
