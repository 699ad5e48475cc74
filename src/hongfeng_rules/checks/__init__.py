"""Check kinds: one small module each, compiled from a rule's `check:` mapping."""
