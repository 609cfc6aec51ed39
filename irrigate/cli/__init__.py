"""Command-line interface: parse options, call the API, write outputs. No science here."""
