"""How the command shows a refusal: a sentence on stderr, or JSON when JSON was asked for.

A command was asked for JSON when its output option (``--format`` or, on ``ingest`` and
``link``, ``--output``) is ``json``. ``ingest --format`` names the format of the return
being read, not of what is printed, so it does not count. Then the refusal is printed on
stdout, where the JSON would have gone, as ``{"error": {"code": ..., "message": ...}}``;
the code is the error's stable ``code`` (joinedup.errors). When the error carries a next
step, it follows the message, worded as the command to run (cli/hints.py): on stderr after
the sentence, and in JSON as ``"hint"`` beside ``code`` and ``message``. The exit code is 1
either way.
"""

from __future__ import annotations

from typing import Any

import typer
from rich.text import Text
from typer.core import TyperGroup

from joinedup.cli import common, hints
from joinedup.errors import JoinedUpError

RESOLVED = "joinedup.cli.resolved"  # key in ctx.meta: (name, command, its arguments)

OUTPUT_OPTIONS = ("--format", "--output")
READS_INPUT_FORMAT = {("ingest", "--format")}  # these options name what is read


def show(exc: JoinedUpError, ctx: typer.Context) -> None:
    """Print the refusal the way the command was asked to print its output."""
    hint = hints.command(exc.hint) if exc.hint is not None else None
    if wants_json(ctx):
        error = {"code": exc.code, "message": str(exc)}
        if hint is not None:
            error["hint"] = hint
        common.print_json({"error": error})
    else:
        common.console_err.print(Text.assemble(("Error: ", "bold red"), str(exc),
                                               *((" ", hint) if hint is not None else ())))


def wants_json(ctx: typer.Context) -> bool:
    """Whether the command that failed was asked for JSON output.

    The root group keeps the arguments of the command it resolved (``RESOLVED``); they are
    parsed again here, leniently and without running anything, down to the command itself.
    Anything that cannot be worked out counts as "not JSON".
    """
    resolved = ctx.meta.get(RESOLVED)
    if resolved is None:
        return False
    name, command, args = resolved
    try:
        leaf = _leaf_context(ctx, name, command, list(args))
    except (typer.TyperException, typer.Exit, typer.Abort):
        return False
    if leaf is None:
        return False
    for param in leaf.command.params:
        output = next((opt for opt in param.opts if opt in OUTPUT_OPTIONS), None)
        if output is None or (leaf.info_name, output) in READS_INPUT_FORMAT:
            continue
        value: Any = leaf.params.get(param.name or "")
        if getattr(value, "value", value) == "json":
            return True
    return False


def _leaf_context(parent: typer.Context, name: str, command: Any,
                  args: list[str]) -> Any:
    """The context of the command that ran, with its options parsed (callbacks not run)."""
    while isinstance(command, TyperGroup):
        if not args or args[0].startswith("-"):
            return None  # the group ran on its own (demo): no JSON output there
        group_ctx = typer.Context(command, info_name=name, parent=parent)
        found_name, found, args = command.resolve_command(group_ctx, args)
        if found is None or found_name is None:
            return None
        parent, name, command = group_ctx, found_name, found
    return command.make_context(name, list(args), parent=parent, resilient_parsing=True)
