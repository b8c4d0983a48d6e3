"""One module per command; each has HELP and register(parser, repo) -> None and sets parser defaults run=..."""
