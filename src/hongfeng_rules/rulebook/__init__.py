"""Rule files: format, packs, compilation, test cases and where packs live."""
