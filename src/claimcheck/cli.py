"""The command line: options -> Settings -> pipeline -> report writer; errors -> exit codes.

Exit codes: 0 the run finished (even with nothing corroborated), 1 a ClaimcheckError
(`Error: ...` on stderr), 2 a usage error.
"""

from __future__ import annotations

import functools
import inspect
import json
import os
import sys
import threading
import time
from contextlib import nullcontext
from enum import Enum
from pathlib import Path
from typing import Annotated

import typer
from rich.text import Text

from claimcheck.errors import ClaimcheckError
from claimcheck.models import InputOptions, Report, Settings
from claimcheck.version import tool_version


class _OnFirstUse:
    """A module imported when first used: `claimcheck sentences` and `--help` never load the matcher,
    numpy or the report writers' dependencies (start-up is measured by bench/startup.py)."""

    def __init__(self, name: str) -> None:
        self._name = name

    def __getattr__(self, attr: str):
        import importlib

        return getattr(importlib.import_module(self._name), attr)


writers = _OnFirstUse("claimcheck.report.formats")
parts = _OnFirstUse("claimcheck.report.parts")
engines = _OnFirstUse("claimcheck.engines")
pipeline = _OnFirstUse("claimcheck.pipeline")

app = typer.Typer(
    add_completion=False,
    epilog="\b\nExamples:\n  claimcheck compare sample_articles/\n  claimcheck compare --help",
    no_args_is_help=True,
    help="Cross-reference news articles: which claims are corroborated by which sources.",
    context_settings={"help_option_names": ["-h", "--help"]},
    pretty_exceptions_enable=False,
    rich_markup_mode=None,  # plain click usage errors: "Error: ..." on one line, no box
)


def _examples(*lines: str) -> str:
    """A --help epilog of example commands, kept as written (click's \\b stops the rewrap)."""
    return "\b\nExamples:\n" + "\n".join(f"  {line}" for line in lines)


class Format(str, Enum):
    table = "table"
    json = "json"
    jsonl = "jsonl"
    csv = "csv"
    markdown = "markdown"
    html = "html"


class ParseFormat(str, Enum):
    table = "table"
    json = "json"


class View(str, Enum):
    claims = "claims"
    matrix = "matrix"
    sources = "sources"


class EngineName(str, Enum):
    local = "local"
    dask = "dask"


_RUN = "Large runs"


_DEFAULTS = Settings()
PathsArg = Annotated[
    list[str] | None, typer.Argument(
        help="Article files (.txt/.md, .html/.htm, .json/.jsonl/.ndjson), directories, http(s) URLs, fsspec URLs "
             "(s3://..., file://...), or - for stdin.",
        show_default=False, metavar="PATH",
    )
]
OutputOpt = Annotated[
    Path | None, typer.Option("--output", "-o", dir_okay=False,
                              help="Write to FILE instead of stdout; without -f the format follows FILE's extension.")
]
# -o FILE without -f: the format its extension names (anything else gets the table).
_BY_EXTENSION = {".json": "json", ".jsonl": "jsonl", ".ndjson": "jsonl", ".csv": "csv", ".md": "markdown",
                 ".markdown": "markdown", ".html": "html", ".htm": "html"}


def _format_for(output: Path | None, choices: type[Enum]):
    """The format -o FILE's extension names, if `choices` has it; else the table."""
    name = _BY_EXTENSION.get(output.suffix.lower(), "table") if output is not None else "table"
    return choices(name) if name in choices.__members__ else choices("table")
MinWordsOpt = Annotated[
    int, typer.Option("--min-words", min=1, max=1000, help="Sentences with fewer words are not claims.")
]


_INPUT_DEFAULTS = InputOptions()
_INPUTS = "Inputs"


def _input_options(
    urls: Annotated[Path | None, typer.Option("--urls", help="Read URLs from FILE, one a line.", dir_okay=False,
                                              rich_help_panel=_INPUTS)] = None,
    manifest: Annotated[str | None, typer.Option(
        "--manifest", help="Read inputs from FILE (a path or an fsspec URL such as s3://...): JSONL/CSV "
        "(Parquet with pyarrow) of path_or_url, outlet, date.", metavar="FILE", show_default=False,
        rich_help_panel=_INPUTS)] = None,
    timeout: Annotated[float, typer.Option("--timeout", min=0.1, max=600.0, help="Seconds per HTTP request.",
                                           rich_help_panel=_INPUTS)] = _INPUT_DEFAULTS.timeout,
    max_bytes: Annotated[int, typer.Option("--max-bytes", min=1, help="Largest page read, in bytes.",
                                           rich_help_panel=_INPUTS)] = _INPUT_DEFAULTS.max_bytes,
    cache: Annotated[Path | None, typer.Option("--cache", help="Cache fetched pages in DIR [default: the user cache dir].",
                                               file_okay=False, rich_help_panel=_INPUTS)] = None,
    no_cache: Annotated[bool, typer.Option("--no-cache", help="Fetch every URL again; store nothing.",
                                           rich_help_panel=_INPUTS)] = False,
    names: Annotated[Path | None, typer.Option("--names", help="CSV or JSON: path, URL or id -> outlet name (url, date).",
                                               dir_okay=False, rich_help_panel=_INPUTS)] = None,
    text_field: Annotated[str | None, typer.Option("--text-field", help="Dumps: the field holding the article text.",
                                                   rich_help_panel=_INPUTS)] = None,
    title_field: Annotated[str | None, typer.Option("--title-field", help="Dumps: the headline field.",
                                                    rich_help_panel=_INPUTS)] = None,
    source_field: Annotated[str | None, typer.Option("--source-field", help="Dumps: the outlet-name field.",
                                                     rich_help_panel=_INPUTS)] = None,
    date_field: Annotated[str | None, typer.Option("--date-field", help="Dumps: the publication-date field.",
                                                   rich_help_panel=_INPUTS)] = None,
    url_field: Annotated[str | None, typer.Option("--url-field", help="Dumps: the URL field.",
                                                  rich_help_panel=_INPUTS)] = None,
) -> InputOptions:
    fields = {"text": text_field, "title": title_field, "name": source_field, "date": date_field, "url": url_field}
    return InputOptions(
        urls_file=str(urls) if urls else None, manifest=manifest or None, timeout=timeout, max_bytes=max_bytes,
        cache_dir=str(cache) if cache else None, use_cache=not no_cache, names_file=str(names) if names else None,
        fields={k: v for k, v in fields.items() if v},
    )


def _with_input_options(command):
    """Add the input options (declared once, in `_input_options`) to a command, which receives
    them as one `inputs: InputOptions` argument."""
    own = inspect.signature(command, eval_str=True)
    extra = inspect.signature(_input_options, eval_str=True)

    @functools.wraps(command)
    def wrapper(**kwargs):
        options = {name: kwargs.pop(name) for name in extra.parameters}
        kwargs["paths"] = kwargs.get("paths") or []
        if not kwargs["paths"] and options["urls"] is None and options["manifest"] is None:
            raise typer.BadParameter("missing: give at least one PATH, --urls FILE or --manifest FILE",
                                     param_hint="'PATH...'")
        return command(**kwargs, inputs=_input_options(**options))

    params = [p for p in own.parameters.values() if p.name != "inputs"] + list(extra.parameters.values())
    wrapper.__signature__ = own.replace(parameters=params)  # type: ignore[attr-defined]
    wrapper.__annotations__ = {p.name: p.annotation for p in params}
    del wrapper.__wrapped__  # typer must see the merged signature, not the command's own
    return wrapper


def _warn(message: str) -> None:
    sys.stderr.write(f"Warning: {message}\n")
    sys.stderr.flush()


class _ProgressBar:
    """A rich progress bar on stderr, one row per pipeline stage (counts, a rate, elapsed time);
    only used on a terminal, and drawn only once the run has taken `delay` seconds (a timer
    thread), so a short run prints nothing."""

    UNITS = {"reading": "files", "fetching": "pages", "matching": "stories", "articles": "articles"}

    def __init__(self, delay: float = 1.0, clock=None, console: "Console | None" = None) -> None:
        from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

        self._delay = delay
        self._timer: threading.Timer | None = None
        self._lock = threading.Lock()
        self.shown = False
        self._closed = False
        self._bar = Progress(
            TextColumn("{task.description:<12}"), BarColumn(), MofNCompleteColumn(), _rate_column(),
            TimeElapsedColumn(), console=console or _console(stderr=True), transient=True,
            get_time=clock or time.monotonic,
        )
        self._tasks: dict[str, int] = {}

    def __enter__(self) -> _ProgressBar:
        self._timer = threading.Timer(self._delay, self.show)
        self._timer.daemon = True
        self._timer.start()
        return self

    def __exit__(self, *exc: object) -> None:
        if self._timer is not None:
            self._timer.cancel()
        with self._lock:
            if self.shown:
                self._bar.stop()
            self._closed = True  # a late timer must not start the bar after the run

    def show(self) -> None:
        """Start drawing (the timer calls this `delay` seconds into the run)."""
        with self._lock:
            if not self.shown and not self._closed:
                self.shown = True
                self._bar.start()

    def warn(self, message: str) -> None:
        self._bar.console.print(Text(f"Warning: {message}"), soft_wrap=True)

    def __call__(self, stage: str, done: int, total: int) -> None:
        if stage not in self._tasks:
            self._tasks[stage] = self._bar.add_task(stage, total=total, unit=self.UNITS.get(stage, "items"))
        self._bar.update(self._tasks[stage], completed=done, total=total)


def _rate_column():
    """A rich column: items per second of a stage (blank for stages of one step)."""
    from rich.progress import ProgressColumn

    class RateColumn(ProgressColumn):
        def render(self, task) -> Text:
            speed = task.finished_speed or task.speed
            if speed is None or (task.total or 0) <= 1:
                return Text("")
            return Text(f"{speed:,.0f} {task.fields.get('unit', 'items')}/s", style="progress.data.speed")

    return RateColumn()


def _progress() -> _ProgressBar | None:
    return _ProgressBar() if sys.stderr.isatty() else None


def _console(**options):
    """A rich Console (rich.console is imported on first use: machine formats never need it)."""
    from rich.console import Console

    return Console(**options)


def _fail(message: str) -> None:
    sys.stderr.write(f"Error: {message}\n")
    raise typer.Exit(1)


def _emit(text: str, output: Path | None) -> None:
    if output is None:
        sys.stdout.write(text)
        sys.stdout.flush()
        return
    try:
        output.write_text(text, encoding="utf-8")
    except OSError as exc:
        _fail(f"{output}: cannot write ({exc.strerror or exc})")


def _emit_text(format: Format, report: Report, output: Path | None) -> None:
    """A machine or Markdown format of `report`, written as plain text."""
    writer = {
        Format.json: writers.to_json,
        Format.jsonl: writers.to_jsonl,
        Format.csv: writers.to_csv,
        Format.markdown: writers.to_markdown,
    }[format]
    _emit(writer(report), output)


def _emit_rich(renderable, output: Path | None) -> None:
    if output is not None:
        _emit(writers.render_to_string(renderable, width=100, color=False), output)
        return
    console = _console(highlight=False, markup=False, emoji=False, width=None if sys.stdout.isatty() else 100)
    console.print(renderable)


@app.command(epilog=_examples(
    "claimcheck compare sample_articles/                  # the claims table",
    "claimcheck compare sample_articles/ -d               # each outlet's own wording and score",
    "claimcheck compare sample_articles/ --view matrix    # claims x sources",
    "claimcheck compare sample_articles/ -m 3 -i 2        # 3+ outlets, 2+ independent origins",
    "claimcheck compare sample_articles/ -o report.html   # the HTML report (format from the extension)",
    "claimcheck compare saved/ https://example.org/a dump.jsonl --names outlets.csv",
    "claimcheck compare sample_articles/ -f json | jq '.claims[] | select(.support >= 3)'",
))
@_with_input_options
def compare(
    paths: PathsArg = None,
    format: Annotated[Format | None, typer.Option(
        "--format", "-f", help="Output format [default: table, or what -o FILE's extension names].",
        show_default=False)] = None,
    output: OutputOpt = None,
    min_sources: Annotated[
        int, typer.Option("--min-sources", "-m", min=1, max=10_000, help="List claims supported by at least N sources (1 lists every claim).")
    ] = _DEFAULTS.min_sources,
    threshold: Annotated[
        float, typer.Option("--threshold", "-t", min=0.0, max=100.0, help="Match score (0-100) at or above which two claims match.")
    ] = _DEFAULTS.threshold,
    min_words: MinWordsOpt = _DEFAULTS.min_claim_words,
    min_independent: Annotated[
        int, typer.Option("--min-independent", "-i", min=1, max=10_000,
                          help="List claims backed by at least N independent story origins.")
    ] = _DEFAULTS.min_independent,
    min_confidence: Annotated[
        float, typer.Option("--min-confidence", min=0.0, max=100.0,
                            help="Groups whose members score on average below this are 'possible', not corroborated.")
    ] = _DEFAULTS.min_confidence,
    one_story: Annotated[bool, typer.Option(
        "--one-story", help="Treat all inputs as one story: no story grouping before claims are linked.")] = False,
    semantic: Annotated[bool, typer.Option(
        "--semantic", help="Also score pairs by sentence embeddings (needs: pip install 'claimcheck[semantic]').")] = False,
    details: Annotated[bool, typer.Option("--details", "-d", help="Table: each outlet's own wording and score.")] = False,
    explain: Annotated[bool, typer.Option(
        "--explain", "-e", help="Table: why each member was grouped, and which are copies or relays of whom.")] = False,
    view: Annotated[View, typer.Option("--view", help="Table: the claims, a claims x sources matrix, or the sources.")] = View.claims,
    engine: Annotated[EngineName, typer.Option(
        "--engine", help="Where reading and matching run: this machine, or Dask (pip install 'claimcheck[dask]').",
        rich_help_panel=_RUN)] = EngineName.local,
    workers: Annotated[int | None, typer.Option(
        "--workers", min=1, max=4096, help="Processes: local pool size, or the local Dask cluster's workers [default: cores, 2].",
        rich_help_panel=_RUN)] = None,
    scheduler: Annotated[str | None, typer.Option(
        "--scheduler", help="Dask: an existing cluster, e.g. tcp://HOST:8786 [default: $DASK_SCHEDULER_ADDRESS, else a local cluster].",
        rich_help_panel=_RUN)] = None,
    partition_size: Annotated[int | None, typer.Option(
        "--partition-size", min=1, help="Documents per task when reading [default: 16 local; Dask: 4 tasks per worker, at most 1000].",
        rich_help_panel=_RUN)] = None,
    out_dir: Annotated[str | None, typer.Option(
        "--out-dir", help="Write the report as part files in DIR (a folder or an fsspec URL such as s3://...), one per "
        "story ('claimcheck merge DIR' joins them).", metavar="DIR", show_default=False,
        rich_help_panel=_RUN)] = None,
    inputs: InputOptions = _INPUT_DEFAULTS,
) -> None:
    """Group the same claim across outlets and show which sources corroborate it."""
    format = format or _format_for(output, Format)
    settings = Settings(min_sources=min_sources, threshold=threshold, min_claim_words=min_words,
                        min_independent=min_independent, one_story=one_story, semantic=semantic,
                        min_confidence=min_confidence)
    if scheduler and engine is not EngineName.dask:
        raise typer.BadParameter("needs --engine dask", param_hint="'--scheduler'")
    bar = _progress()
    reasons = None
    parsed: list = []
    try:
        with bar or nullcontext():
            warn = bar.warn if bar else _warn
            with engines.make_engine(engine.value, workers=workers, scheduler=scheduler, partition_size=partition_size,
                             warn=warn) as runner:
                link = getattr(runner, "dashboard_link", None)
                if link:
                    warn(f"Dask dashboard: {link}")
                options = {"warn": warn, "progress": bar, "inputs": inputs, "engine": runner}
                if explain and format is Format.table and view is View.claims:
                    result, reasons = pipeline.compare_explained(paths, settings, **options)
                elif format is Format.html:
                    result, parsed = pipeline.compare_sources(paths, settings, **options)
                else:
                    result = pipeline.compare(paths, settings, **options)
        if out_dir is not None:
            parts.write_parts(result, out_dir)
            return
    except ClaimcheckError as exc:
        _fail(str(exc))
        return
    if format is Format.table:
        if view is View.matrix:
            _emit_rich(writers.render_matrix(result), output)
        elif view is View.sources:
            _emit_rich(writers.render_sources(result), output)
        else:
            _emit_rich(writers.render_claims(result, details=details, reasons=reasons), output)
        return
    if format is Format.html:
        _emit(writers.to_html(result, parsed), output)
        return
    _emit_text(format, result, output)


@app.command(epilog=_examples(
    "claimcheck sentences sample_articles/themoscowtimes.md   # sentences, claims, dropped lines",
    "claimcheck sentences saved/page.html                     # what trafilatura kept, and why",
    "claimcheck sentences sample_articles/ -o parsed.json     # JSON (format from the extension)",
))
@_with_input_options
def sentences(
    paths: PathsArg = None,
    format: Annotated[ParseFormat | None, typer.Option(
        "--format", "-f", help="Output format [default: table, or json for -o FILE.json].",
        show_default=False)] = None,
    output: OutputOpt = None,
    min_words: MinWordsOpt = _DEFAULTS.min_claim_words,
    inputs: InputOptions = _INPUT_DEFAULTS,
) -> None:
    """Show how each article was parsed: metadata, sentences (claim or not, and why), dropped lines."""
    format = format or _format_for(output, ParseFormat)
    try:
        result = pipeline.parse(paths, Settings(min_claim_words=min_words), warn=_warn, inputs=inputs)
    except ClaimcheckError as exc:
        _fail(str(exc))
        return
    if format is ParseFormat.json:
        _emit(writers.to_json(result), output)
    else:
        _emit_rich(writers.render_sentences(result), output)


@app.command(epilog=_examples(
    "claimcheck compare corpus/ --out-dir parts/   # a large run, one part file per story",
    "claimcheck merge parts/ -f csv -o claims.csv   # joined into one report",
))
def merge(
    folder: Annotated[str, typer.Argument(help="A folder (or fsspec URL) written by 'compare --out-dir'.",
                                          metavar="DIR", show_default=False)],
    format: Annotated[Format, typer.Option("--format", "-f", help="Output format (not html: it needs the articles).")] = Format.json,
    output: OutputOpt = None,
) -> None:
    """Join the part files of 'compare --out-dir' into one report: the same bytes as the run itself."""
    if format is Format.html:
        raise typer.BadParameter("html needs the articles' text: run compare -f html", param_hint="'--format'")
    try:
        result = parts.read_parts(folder)
    except ClaimcheckError as exc:
        _fail(str(exc))
        return
    if format is Format.table:
        _emit_rich(writers.render_claims(result), output)
        return
    _emit_text(format, result, output)


@app.command(epilog=_examples(
    "claimcheck schema > claimcheck.schema.json",
    "claimcheck compare sample_articles/ -f json > report.json   # then validate report.json against it",
))
def schema() -> None:
    """Print the JSON Schema of `compare --format json` output."""
    sys.stdout.write(json.dumps(Report.model_json_schema(), indent=2) + "\n")


def _version(value: bool) -> None:
    if value:
        sys.stdout.write(f"claimcheck {tool_version()}\n")
        raise typer.Exit()


@app.callback()
def _root(
    version: Annotated[
        bool, typer.Option("--version", callback=_version, is_eager=True, help="Show the version and exit.")
    ] = False,
) -> None:
    """Cross-reference news articles: which claims are corroborated by which sources."""


def main() -> None:
    """Console-script entry point."""
    try:
        app()
    except BrokenPipeError:  # e.g. `claimcheck compare ... | head`
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        sys.exit(0)
    except KeyboardInterrupt:
        sys.stderr.write("Error: interrupted\n")
        sys.exit(130)
    except Exception as exc:  # a bug: one line for the user, not a traceback; tests call `app` directly
        sys.stderr.write(f"Error: internal error ({type(exc).__name__}: {exc}); please report it\n")
        sys.exit(1)
