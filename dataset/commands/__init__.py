"""One module per command; each has HELP and register(parser) -> None and sets parser defaults run=..."""
