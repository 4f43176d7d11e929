"""Engines: the Dask engine gives the same report bytes as the local one.

A 2-worker LocalCluster on 127.0.0.1 (module-scoped, no dashboard), on the sample set, ECB+ dev
documents (skipped without ../shared) and a generated multi-story corpus; with reversed input
order, another partition size and a worker killed mid-run.
"""

from __future__ import annotations

import json
import logging
import os
import shutil
import signal
from pathlib import Path

import pytest

from claimcheck.engines import LocalEngine, make_engine
from claimcheck.errors import ClaimcheckError
from claimcheck.models import Settings
from claimcheck.pipeline import compare
from claimcheck.report.formats import to_json
from claimcheck.report.parts import read_parts, write_parts
from tests.conftest import SAMPLE_DIR, bench_module, shared_file

distributed = pytest.importorskip("distributed")


def _quiet(_message: str) -> None:
    pass


@pytest.fixture(scope="module")
def cluster():
    import dask

    from claimcheck.engines.dask import WORKER_ENV

    with dask.config.set({"distributed.nanny.pre-spawn-environ": dict(WORKER_ENV)}):
        with distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True, host="127.0.0.1",
                                      dashboard_address=":0", silence_logs=logging.ERROR) as c:
            yield c


@pytest.fixture(scope="module")
def corpus(tmp_path_factory) -> Path:
    """A generated corpus of 30 articles in 5 stories (Zipf sizes)."""
    gen = bench_module("distributed")
    folder = tmp_path_factory.mktemp("stories")
    gen.write_corpus(gen.generate(30, 5), folder)
    return folder


@pytest.fixture(scope="module")
def corpus_report(corpus: Path):
    """The corpus' report on the local engine, in one process."""
    return compare([str(corpus)], Settings(), warn=_quiet, engine=LocalEngine(workers=1))


def _json(paths, engine=None, **kwargs) -> str:
    return to_json(compare([str(p) for p in paths], Settings(), warn=_quiet, engine=engine, **kwargs))


def _dask(cluster, **kwargs):
    return make_engine("dask", scheduler=cluster.scheduler_address, **kwargs)


def test_sample_set_same_bytes_on_dask(cluster) -> None:
    local = _json([SAMPLE_DIR])
    with _dask(cluster) as engine:
        assert _json([SAMPLE_DIR], engine) == local


def test_ecbplus_dev_same_bytes_on_dask(cluster) -> None:
    docs = shared_file("data", "ecbplus", "dev", "docs")
    topics = [docs / name for name in ("2_ecb", "2_ecbplus", "12_ecb", "12_ecbplus", "18_ecb")]  # 5 of 16
    local = _json(topics)
    with _dask(cluster, partition_size=9) as engine:
        assert _json(topics[::-1], engine) == local


def test_multi_story_corpus_same_bytes_any_order_and_partitioning(cluster, corpus: Path, corpus_report) -> None:
    files = sorted(corpus.iterdir())
    local = to_json(corpus_report)
    assert len(corpus_report.stories) >= 3 and corpus_report.summary.corroborated > 20  # a real multi-story run
    with _dask(cluster, partition_size=7) as engine:
        assert _json(files[::-1], engine) == local
    with _dask(cluster, partition_size=1000) as engine:
        assert _json([corpus], engine) == local


def test_local_process_pool_same_bytes(corpus: Path, corpus_report, monkeypatch) -> None:
    from claimcheck.engines import local as local_engine

    monkeypatch.setattr(local_engine, "PARALLEL_MIN_FILES", 2)
    files = sorted(corpus.iterdir())
    assert _json(files[::-1], LocalEngine(workers=2, partition_size=4)) == to_json(corpus_report)


def test_a_giant_story_is_matched_as_sub_story_tasks_the_same_on_dask(cluster, corpus: Path, corpus_report,
                                                                     monkeypatch) -> None:
    from claimcheck import matching

    claims = {st.id: sum(s.claims for s in corpus_report.sources if s.id in st.sources) for st in corpus_report.stories}
    largest = max(claims.values())
    monkeypatch.setattr(matching, "MAX_STORY_CLAIMS", largest // 3)
    said: list[str] = []
    local = to_json(compare([str(corpus)], Settings(), warn=said.append, engine=LocalEngine(workers=1)))
    split = [m for m in said if "sub-stories" in m]
    assert split and any(m.startswith(f"story {max(claims, key=claims.get)} has ") for m in split)
    assert local != to_json(corpus_report)  # claims of two sub-stories are never compared
    with _dask(cluster) as engine:
        assert _json([corpus], engine) == local


def test_a_worker_killed_mid_run_is_retried_and_the_bytes_stay(cluster, corpus: Path, corpus_report) -> None:
    local = to_json(corpus_report)
    client = distributed.Client(cluster, set_as_default=False)
    try:
        before = client.run(os.getpid)
        killed: list[int] = []

        def progress(stage: str, done: int, total: int) -> None:
            if stage == "reading" and done == 2 and not killed:  # most partitions still in flight
                killed.append(next(iter(sorted(before.values()))))
                os.kill(killed[0], signal.SIGKILL)

        with _dask(cluster, partition_size=2) as engine:
            assert _json([corpus], engine, progress=progress) == local
        assert killed
        client.wait_for_workers(2, timeout=30)
        assert killed[0] not in client.run(os.getpid).values()  # the nanny restarted it
    finally:
        client.close()


def test_out_dir_parts_merge_to_the_same_bytes(tmp_path: Path, corpus_report) -> None:
    write_parts(corpus_report, tmp_path / "run")
    assert len(list((tmp_path / "run" / "claims").glob("*.jsonl"))) >= 3  # one part per story
    assert to_json(read_parts(tmp_path / "run")) == to_json(corpus_report)


def test_local_cluster_workers_lack_the_malloc_trim_variable() -> None:
    with make_engine("dask", workers=1) as engine:
        env = engine.client.run(os.environ.get, "MALLOC_TRIM_THRESHOLD_")
        threads = engine.client.run(os.environ.get, "OMP_NUM_THREADS")
        matcher = engine.client.run(os.environ.get, "CLAIMCHECK_THREADS")
    assert set(env.values()) == {None}
    assert set(threads.values()) == set(matcher.values()) == {"1"}


def test_a_worker_on_another_claimcheck_version_is_refused(cluster, monkeypatch) -> None:
    from claimcheck.engines import dask as engine_module

    monkeypatch.setattr(engine_module, "tool_version", lambda: "0.0.0-other")
    with pytest.raises(ClaimcheckError, match="Dask workers run claimcheck"):
        _dask(cluster)


def test_unknown_engine_and_unreachable_scheduler_are_one_line_errors(monkeypatch) -> None:
    from claimcheck.engines import dask as engine_module

    monkeypatch.setattr(engine_module, "CONNECT_TIMEOUT", "0.5s")
    with pytest.raises(ClaimcheckError, match="unknown engine"):
        make_engine("spark")
    with pytest.raises(ClaimcheckError, match="cannot start the Dask engine"):
        make_engine("dask", scheduler="tcp://127.0.0.1:9")


def test_cli_manifest_out_dir_and_merge_give_the_same_bytes(tmp_path: Path, in_root) -> None:
    from typer.testing import CliRunner

    from claimcheck.cli import app

    files = sorted(SAMPLE_DIR.iterdir())
    rows = [{"path_or_url": str(f), "outlet": f"Outlet {k}", "date": "2024-05-0" + str(k + 1)} for k, f in enumerate(files)]
    manifest = tmp_path / "inputs.jsonl"
    manifest.write_text("".join(json.dumps(r) + "\n" for r in rows[::-1]), encoding="utf-8")
    runner = CliRunner()
    whole = runner.invoke(app, ["compare", "--manifest", str(manifest), "-f", "json"])
    assert whole.exit_code == 0, whole.output
    report = json.loads(whole.stdout)
    assert {s["name"] for s in report["sources"]} == {r["outlet"] for r in rows}
    assert {s["date"] for s in report["sources"]} == {r["date"] for r in rows}
    parts = runner.invoke(app, ["compare", "--manifest", str(manifest), "--out-dir", str(tmp_path / "run")])
    assert parts.exit_code == 0 and parts.stdout == ""
    merged = runner.invoke(app, ["merge", str(tmp_path / "run"), "-f", "json"])
    assert merged.exit_code == 0
    assert merged.stdout == whole.stdout
    csv_manifest = tmp_path / "inputs.csv"
    csv_manifest.write_text("path_or_url,outlet,date\n" + "".join(f"{r['path_or_url']},{r['outlet']},{r['date']}\n" for r in rows))
    from_csv = json.loads(runner.invoke(app, ["compare", "--manifest", str(csv_manifest), "-f", "json"]).stdout)
    assert from_csv["claims"] == report["claims"]
    assert from_csv["sources"][0]["provenance"]["name"] == f"--manifest {csv_manifest}"
    bad = runner.invoke(app, ["merge", str(tmp_path)])
    assert bad.exit_code == 1 and "not a complete --out-dir" in bad.stderr


class _Recording(LocalEngine):
    """The local engine, reading stories where they run, keeping the units it was given."""

    def __init__(self) -> None:
        super().__init__(workers=1, reads_stories=True)
        self.units: list = []

    def map_stories(self, fn, units, sizes):
        self.units.extend(units)
        return super().map_stories(fn, units, sizes)


def test_story_tasks_read_their_files_again_and_carry_only_other_inputs(tmp_path: Path, corpus: Path,
                                                                       corpus_report) -> None:
    engine = _Recording()
    assert to_json(compare([str(corpus)], Settings(), warn=_quiet, engine=engine)) == to_json(corpus_report)
    assert engine.units and all(unit[1] == () and unit[3] for unit in engine.units)  # no claim rows carried
    named = {r[1] for unit in engine.units for r in unit[3]}
    assert named <= {s.id for s in corpus_report.sources} and len(named) >= len(corpus_report.sources) - 2
    # A dump's records cannot be opened alone: their claims travel in the unit, the files' do not.
    files = sorted(SAMPLE_DIR.iterdir())
    dump = tmp_path / "two.jsonl"
    dump.write_text("".join(json.dumps({"text": f.read_text(encoding="utf-8"), "outlet": f"Dump {k}"}) + "\n"
                            for k, f in enumerate(files[:2])), encoding="utf-8")
    mixed = [str(dump), *map(str, files[2:])]
    engine = _Recording()
    assert _json(mixed, engine) == _json(mixed, LocalEngine(workers=1))
    carried = {c.source for unit in engine.units for c in unit[1]}
    reread = {r[1] for unit in engine.units for r in unit[3]}
    assert len(carried) == 2 and len(reread) == 3 and not carried & reread


def test_an_input_changed_between_reads_stops_the_run(tmp_path: Path) -> None:
    folder = tmp_path / "articles"
    shutil.copytree(SAMPLE_DIR, folder)
    victim = sorted(folder.iterdir())[0]

    def progress(stage: str, done: int, total: int) -> None:
        if stage == "stories" and done == 0:  # read once; the story tasks read it again
            victim.write_text("Something else entirely happened on Tuesday, officials said.\n", encoding="utf-8")

    with pytest.raises(ClaimcheckError, match=f"{victim.name}: changed while the run read it"):
        compare([str(folder)], Settings(), warn=_quiet, progress=progress, engine=_Recording())


def test_workers_read_fsspec_manifest_rows_the_same_on_dask(cluster, tmp_path: Path) -> None:
    from claimcheck.models import InputOptions

    rows = [{"path_or_url": f.resolve().as_uri(), "outlet": f"Outlet {k}"} for k, f in enumerate(sorted(SAMPLE_DIR.iterdir()))]
    manifest = tmp_path / "inputs.jsonl"
    manifest.write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")
    options = InputOptions(manifest=str(manifest))
    local = _json([], LocalEngine(workers=1), inputs=options)
    assert json.loads(local)["summary"]["corroborated"] >= 5
    with _dask(cluster) as engine:
        assert _json([], engine, inputs=options) == local


def test_story_terms_are_computed_where_documents_are_read_not_in_the_driver(cluster, corpus: Path, corpus_report,
                                                                            monkeypatch) -> None:
    from claimcheck import stories

    def not_in_the_driver(*_args, **_kwargs):
        raise AssertionError("the driver computed a document's story terms")

    monkeypatch.setattr(stories, "document_terms", not_in_the_driver)  # this process only, not the workers
    with _dask(cluster) as engine:
        assert _json([corpus], engine) == to_json(corpus_report)


class _KillOnFirstStory(distributed.WorkerPlugin):
    """A Dask worker plugin: the first worker to start a story task dies there (SIGKILL), once."""

    name = "claimcheck-test-kill-on-first-story"

    def __init__(self, marker: str) -> None:
        self.marker = marker

    def setup(self, worker) -> None:
        self.worker = worker

    def teardown(self, worker) -> None:
        pass

    def transition(self, key, start, finish, **kwargs) -> None:
        if finish == "executing" and "match_story_task" in str(key) and not os.path.exists(self.marker):
            Path(self.marker).write_text(str(os.getpid()))
            os.kill(os.getpid(), signal.SIGKILL)


def test_a_worker_killed_in_a_story_task_is_retried_and_the_bytes_stay(cluster, corpus: Path, corpus_report,
                                                                       tmp_path: Path) -> None:
    marker = tmp_path / "killed"
    client = distributed.Client(cluster, set_as_default=False)
    client.register_plugin(_KillOnFirstStory(str(marker)))
    try:
        with _dask(cluster) as engine:
            assert _json([corpus], engine) == to_json(corpus_report)
        assert marker.exists()  # a story task's worker did die
        client.wait_for_workers(2, timeout=30)
        assert int(marker.read_text()) not in client.run(os.getpid).values()
    finally:
        client.unregister_worker_plugin(_KillOnFirstStory.name)
        client.close()


def test_out_dir_parts_on_an_fsspec_url_merge_to_the_same_bytes(tmp_path: Path, corpus_report) -> None:
    from typer.testing import CliRunner

    from claimcheck.cli import app

    fsspec = pytest.importorskip("fsspec")
    write_parts(corpus_report, "memory://claimcheck-test-run/today")
    assert len(fsspec.filesystem("memory").glob("/claimcheck-test-run/today/claims/*.jsonl")) >= 3
    assert not [p for p in fsspec.filesystem("memory").find("/claimcheck-test-run") if p.endswith(".tmp")]
    assert to_json(read_parts("memory://claimcheck-test-run/today")) == to_json(corpus_report)
    fsspec.filesystem("memory").rm("/claimcheck-test-run", recursive=True)
    runner = CliRunner()
    url = (tmp_path / "run").as_uri()
    assert runner.invoke(app, ["compare", str(SAMPLE_DIR), "--out-dir", url]).exit_code == 0
    merged = runner.invoke(app, ["merge", url, "-f", "json"])
    assert merged.exit_code == 0 and merged.stdout == runner.invoke(app, ["compare", str(SAMPLE_DIR), "-f", "json"]).stdout
    missing = runner.invoke(app, ["merge", str(tmp_path / "nowhere")])
    assert missing.exit_code == 1 and "not a complete --out-dir" in missing.stderr
