"""`digit-app recognize --scheduler`: the same readings on a Dask LocalCluster (two worker
processes, localhost only), and a worker killed mid-run loses no page."""
import json
import os
import signal

import pytest

distributed = pytest.importorskip("distributed")

from batch_inputs import read_lines, write_inputs  # noqa: E402
from helpers import SHIPPED_MODEL  # noqa: E402

from digit_app.batch import recognize_to_file  # noqa: E402
from digit_app.batch.cluster import run_on_client  # noqa: E402
from digit_app.batch.pages import Job, Task  # noqa: E402
from digit_app.cli import main  # noqa: E402

pytestmark = [pytest.mark.slow,
              pytest.mark.skipif(not SHIPPED_MODEL.is_file(), reason="no shipped model yet")]


@pytest.fixture(scope="module")
def cluster():
    with distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True,
                                  dashboard_address=None, host="127.0.0.1") as cluster:
        yield cluster


@pytest.fixture(scope="module")
def inputs(tmp_path_factory, mnist_test):
    return write_inputs(tmp_path_factory.mktemp("pages"), mnist_test, count=16)


@pytest.fixture(scope="module")
def reference(inputs, tmp_path_factory):
    out = tmp_path_factory.mktemp("reference") / "plain.jsonl"
    recognize_to_file(inputs, out)
    return out


def test_same_readings_as_the_plain_command(cluster, inputs, reference, tmp_path, monkeypatch):
    monkeypatch.chdir(os.path.dirname(inputs[0]))  # relative paths are read from the client's folder
    relative = [os.path.basename(p) for p in inputs]
    out = tmp_path / "cluster.jsonl"
    assert main(["recognize", "--scheduler", cluster.scheduler_address, "--out", str(out),
                 *relative]) == 1  # broken.png
    expected = [json.loads(line) for line in read_lines(reference)]
    for record in expected:
        record["path"] = os.path.basename(record["path"])
    assert sorted(map(json.dumps, expected)) == sorted(
        json.dumps(json.loads(line)) for line in read_lines(out))


def test_worker_killed_mid_run_loses_no_page(cluster, inputs, reference):
    tasks = [Task(n, (path,)) for n, path in enumerate(inputs)]  # a task per file
    with distributed.Client(cluster) as client:
        pids = client.run(os.getpid)
        results = run_on_client(client, tasks, Job())
        records = list(next(results).records)
        busy = [addr for addr, keys in client.processing().items() if keys]
        assert busy, "no task left running to lose"
        os.kill(pids[busy[0]], signal.SIGKILL)
        for part in results:
            records.extend(part.records)
    assert sorted(map(json.dumps, records)) == sorted(
        json.dumps(json.loads(line)) for line in read_lines(reference))


def test_unreachable_scheduler(inputs, capsys, monkeypatch, tmp_path):
    from dataclasses import replace

    from digit_app.batch import cluster

    monkeypatch.setattr(cluster, "DEFAULT", replace(cluster.DEFAULT, connect_timeout_s=1.0))
    out = tmp_path / "r.jsonl"
    assert main(["recognize", "--scheduler", "tcp://127.0.0.1:9", "--out", str(out), inputs[0]]) == 1
    assert "cannot reach the Dask scheduler at tcp://127.0.0.1:9" in capsys.readouterr().err
    assert not out.exists()  # nothing written: no empty file left to block the next run
