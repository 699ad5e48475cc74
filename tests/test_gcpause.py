"""The collector pause: state restored, new objects promoted unscanned, a host's frozen objects left frozen."""
import gc

from hongfeng_rules.gcpause import paused_gc


def _young() -> int:
    return gc.get_count()[0]


def test_state_restored_and_new_objects_promoted():
    for enabled in (True, False):
        (gc.enable if enabled else gc.disable)()
        try:
            with paused_gc():
                assert not gc.isenabled()
                made = [{"n": i} for i in range(50_000)]
            assert gc.isenabled() is enabled
            assert _young() < 1_000  # promoted, not left for the next collection to scan
            del made  # alive until here, so the promotion had them to move
        finally:
            gc.enable()


def test_host_frozen_objects_stay_frozen():
    gc.freeze()
    try:
        frozen = gc.get_freeze_count()
        with paused_gc():
            made = [{"n": i} for i in range(10_000)]
        assert gc.get_freeze_count() == frozen
        del made
    finally:
        gc.unfreeze()


def test_cycles_made_during_the_pause_are_still_collected():
    class Node:
        pass

    with paused_gc():
        a, b = Node(), Node()
        a.other, b.other = b, a
        probe = __import__("weakref").ref(a)
        del a, b
    gc.collect()
    assert probe() is None
