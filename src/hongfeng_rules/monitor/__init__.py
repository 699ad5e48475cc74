"""Live deadline monitor on durable-rules (optional extra: `pip install "hongfeng-rules[monitor]"`).

    from hongfeng_rules.monitor import Monitor
    monitor = Monitor(load_pack("rules/hongfeng"), on_alert=print)

`events` needs no extra; `Monitor` imports durable-rules on first use.
"""
from .events import EVENT_TYPES, Event, EventError, parse_event

_NEEDS_DURABLE = {"Monitor", "Alert", "EngineError", "SnapshotError"}


def __getattr__(name: str):
    if name in _NEEDS_DURABLE:
        try:
            import durable.engine  # noqa: F401
        except ImportError as exc:
            raise ImportError('the live monitor needs durable-rules: pip install "hongfeng-rules[monitor]" '
                              "(durable-rules builds from source and does not import on Python 3.13)") from exc
        from . import engine, monitor

        return {"Monitor": monitor.Monitor, "Alert": monitor.Alert, "EngineError": engine.EngineError,
                "SnapshotError": monitor.SnapshotError}[name]
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


__all__ = ["Monitor", "Alert", "EngineError", "SnapshotError", "Event", "EventError", "EVENT_TYPES", "parse_event"]
