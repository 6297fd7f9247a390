"""The floor of any Typer CLI: one command, nothing imported. `--help` of this is the baseline for help_vs_typer."""

import typer

app = typer.Typer()


@app.command()
def hello(name: str = "world") -> None:
    """Say hello."""
    typer.echo(f"hello {name}")


if __name__ == "__main__":
    app()
