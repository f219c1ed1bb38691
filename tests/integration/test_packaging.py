"""The deployment package holds everything: ``app`` imports from the unzipped zip alone."""

from __future__ import annotations

import json
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from infra.deploy.package import package

LAMBDA_RUNTIME = ["boto3", "botocore", "s3transfer", "jmespath", "dateutil", "urllib3", "six.py"]
PROBE = """
import importlib, json, sys
sys.path[:0] = [sys.argv[1], sys.argv[2]]
import app
from shared.approval.builtin import BuiltinApprovalBackend
handlers = json.loads(sys.argv[3])
for dotted in handlers:
    module, _, attr = dotted.rpartition(".")
    assert callable(getattr(importlib.import_module(module), attr)), dotted
print(json.dumps({"routes": len(app.app.routes), "items": len(BuiltinApprovalBackend().catalogue()),
                  "files": [m.__file__ for m in list(sys.modules.values()) if getattr(m, "__file__", None)]}))
"""


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("package") / "dev"
    package("dev", out)
    return out


def test_app_imports_from_the_unzipped_package_plus_the_lambda_runtime(built: Path, tmp_path: Path) -> None:
    unzipped = tmp_path / "task"
    with zipfile.ZipFile(built / "deployment.zip") as zf:
        zf.extractall(unzipped)
    runtime = tmp_path / "runtime"
    runtime.mkdir()
    stdlib = Path(json.__file__).parent.parent  # the standard library stays; third-party code comes only from the links
    venv_site = Path(next(p for p in sys.path if p.endswith("site-packages")))
    for name in LAMBDA_RUNTIME:
        (runtime / name).symlink_to(venv_site / name)
    template = json.loads((built / "sam.json").read_text())
    handlers = [r["Properties"]["Handler"] for r in template["Resources"].values()
                if r["Type"] == "AWS::Serverless::Function"]
    out = subprocess.run([sys.executable, "-S", "-I", "-c", PROBE, str(unzipped), str(runtime), json.dumps(handlers)],
                         capture_output=True, text=True, env={"MINQING_STAGE": "dev", "PATH": "/usr/bin"})
    assert out.returncode == 0, out.stderr
    seen = json.loads(out.stdout)
    assert seen["routes"] >= 20 and seen["items"] >= 12
    outside = [f for f in seen["files"] if "site-packages" in f
               or not f.startswith((str(unzipped), str(runtime), str(stdlib)))]
    assert outside == []
    assert any(f.startswith(str(unzipped / "pydantic")) for f in seen["files"])


def test_the_package_is_small_and_carries_no_tests_or_dev_tools(built: Path) -> None:
    zip_path = built / "deployment.zip"
    assert zip_path.stat().st_size <= 15 * 1024 * 1024
    names = zipfile.ZipFile(zip_path).namelist()
    tops = {n.split("/")[0] for n in names}
    assert {"app.py", "functions", "channels", "shared"} <= tops
    assert not tops & {"tests", "moto", "pytest", "boto3", "botocore", "infra"}
    assert "shared/approval/catalogue.json" in names


def test_sqs_sources_report_partial_batch_failures(built: Path) -> None:
    template = json.loads((built / "sam.json").read_text())
    events = [e for r in template["Resources"].values() if r["Type"] == "AWS::Serverless::Function"
              for e in r["Properties"].get("Events", {}).values() if e["Type"] == "SQS"]
    assert events
    assert all(e["Properties"]["FunctionResponseTypes"] == ["ReportBatchItemFailures"] for e in events)


def test_the_packaged_template_passes_cfn_lint(built: Path) -> None:
    lint = Path(sys.executable).with_name("cfn-lint")
    out = subprocess.run([str(lint), str(built / "sam.json")], capture_output=True, text=True)
    assert out.returncode == 0, out.stdout + out.stderr


def test_gateway_answers_keep_the_contract_error_shape(built: Path) -> None:
    template = json.loads((built / "sam.json").read_text())
    responses = {r["Properties"]["ResponseType"]: r["Properties"] for r in template["Resources"].values()
                 if r["Type"] == "AWS::ApiGateway::GatewayResponse"}
    assert responses["MISSING_AUTHENTICATION_TOKEN"]["StatusCode"] == "404"
    body = json.loads(responses["MISSING_AUTHENTICATION_TOKEN"]["ResponseTemplates"]["application/json"])
    assert body["error"]["code"] == "not_found"
    assert {"DEFAULT_4XX", "DEFAULT_5XX", "THROTTLED", "REQUEST_TOO_LARGE"} <= set(responses)


def test_every_function_reads_its_settings_in_at_most_two_aws_calls(built: Path) -> None:
    from shared.config import GET_PARAMETERS_MAX, reference_name

    template = json.loads((built / "sam.json").read_text())
    functions = {name: r["Properties"].get("Environment", {}).get("Variables", {})
                 for name, r in template["Resources"].items() if r["Type"] == "AWS::Serverless::Function"}
    assert len(functions) >= 9
    for name, env in functions.items():
        references = [v for v in env.values() if isinstance(v, str) and reference_name(v)]
        assert -(-len(references) // GET_PARAMETERS_MAX) <= 2, (name, len(references))
        assert not isinstance(env.get("MINQING_NOTICE_QUEUE_URL"), str), name  # the stack's own queue
