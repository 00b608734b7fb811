"""The command-line adapter: Typer commands over the services. Nothing imports this package."""
