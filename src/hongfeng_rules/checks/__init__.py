"""Check kinds: one small module each, the model of a rule's `check:` mapping and its validation (`validate`)."""
