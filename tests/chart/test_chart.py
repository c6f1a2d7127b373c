"""What matters in the chart, checked on what it renders with each ci values file (defaults,
external services, autoscaling on, ingress on): valid Kubernetes objects, one beat that is never
rolled, the migration first and as the owner, nobody root, no secret in sight."""

from __future__ import annotations

import re

import pytest

from tests.chart.conftest import CHART, CI_VALUES, RELEASE, render, values_of

#: the oldest Kubernetes the chart declares (Chart.yaml kubeVersion) and the newest whose schemas
#: kubernetes-validate 1.37.0 ships; the strict schemas refuse unknown fields too
KUBERNETES_VERSIONS = ("1.29.0", "1.37.0")
POD_OWNERS = {"Deployment", "Job"}
#: a setting name that would carry a secret (platform/velferd/config.py's names for them included)
SECRET_LIKE = re.compile(r"PASSWORD|PASSWD|SECRET|TOKEN|CREDENTIAL|PRIVATE|DATABASE_URL|REDIS_URL|BROKER_URL|"
                         r"RESULT_BACKEND|API_KEY", re.IGNORECASE)
#: user:password@ in a URL
CREDENTIALS_IN_URL = re.compile(r"://[^/@\s]*:[^/@\s]*@")


def of_kind(objects: list[dict], kind: str) -> list[dict]:
    return [item for item in objects if item["kind"] == kind]


def named(objects: list[dict], kind: str, suffix: str) -> dict:
    (item,) = [item for item in of_kind(objects, kind) if item["metadata"]["name"] == f"{RELEASE}-{suffix}"]
    return item


def pod_specs(objects: list[dict]) -> list[tuple[str, dict]]:
    return [(f"{item['kind']}/{item['metadata']['name']}", item["spec"]["template"]["spec"])
            for item in objects if item["kind"] in POD_OWNERS]


def secret_refs(container: dict) -> dict[str, tuple[str, str]]:
    """Variable -> (Secret name, key) of a container's secretKeyRef entries."""
    return {entry["name"]: (entry["valueFrom"]["secretKeyRef"]["name"], entry["valueFrom"]["secretKeyRef"]["key"])
            for entry in container.get("env", []) if "secretKeyRef" in entry.get("valueFrom", {})}


@pytest.mark.parametrize("name", sorted(CI_VALUES))
def test_values_schema_accepts_each_ci_values_file(chart, name):
    chart.validate_schema(values_of(name))


@pytest.mark.parametrize("name", sorted(CI_VALUES))
def test_helm_lint_strict_finds_nothing_but_the_missing_icon(helm, name):
    report = helm.lint(CHART, values_of(name), strict=True, namespace="velferd", kube_version="v1.29.0")
    assert report["errors"] == []
    assert [(m["path"], m["error"]) for m in report["messages"] if m["severity"] >= 2] == []  # warnings, errors


@pytest.mark.parametrize("version", KUBERNETES_VERSIONS)
@pytest.mark.parametrize("name", sorted(CI_VALUES))
def test_every_manifest_validates_against_the_kubernetes_schemas(rendered, kubernetes_validate, name, version):
    objects = rendered[name]
    assert len(objects) >= 10, [item["kind"] for item in objects]
    problems = []
    for item in objects:
        try:
            kubernetes_validate.validate(item, version, strict=True)
        except kubernetes_validate.ValidationError as error:
            problems.append(f"{item['kind']}/{item['metadata']['name']}: {error.message} at {list(error.path)}")
    assert not problems, "\n".join(problems)


@pytest.mark.parametrize("name", sorted(CI_VALUES))
def test_every_values_file_renders_the_whole_release(rendered, name):
    kinds = sorted(item["kind"] for item in rendered[name])
    for kind in ("ConfigMap", "Job", "NetworkPolicy", "PodDisruptionBudget", "Service", "ServiceAccount"):
        assert kind in kinds, (name, kinds)
    assert kinds.count("Deployment") == 3
    assert kinds.count("PodDisruptionBudget") == 2  # web and worker; beat is one pod a drain may move
    assert ("PersistentVolumeClaim" in kinds) == (name != "external-services")  # that one names its own claim


@pytest.mark.parametrize("name", sorted(CI_VALUES))
def test_beat_is_exactly_one_replica_replaced_never_rolled(rendered, name):
    beat = named(rendered[name], "Deployment", "beat")
    assert beat["spec"]["replicas"] == 1
    assert beat["spec"]["strategy"] == {"type": "Recreate"}
    assert beat["spec"]["template"]["spec"]["containers"][0]["args"] == ["beat"]
    assert not [hpa for hpa in of_kind(rendered[name], "HorizontalPodAutoscaler")
                if hpa["spec"]["scaleTargetRef"]["name"] == beat["metadata"]["name"]]


@pytest.mark.parametrize("name", sorted(CI_VALUES))
def test_the_migration_job_runs_first_as_the_owner(rendered, name):
    objects, values = rendered[name], values_of(name)
    job = named(objects, "Job", "migrate")
    annotations = job["metadata"]["annotations"]
    assert annotations["helm.sh/hook"].split(",") == ["pre-install", "pre-upgrade"]
    assert annotations["helm.sh/hook-delete-policy"] == "before-hook-creation"
    hooks = {f"{item['kind']}/{item['metadata']['name']}": int(item["metadata"]["annotations"].get(
        "helm.sh/hook-weight", "0")) for item in objects if "helm.sh/hook" in item["metadata"].get("annotations", {})}
    weight = int(annotations["helm.sh/hook-weight"])
    assert weight < 0 and weight == min(hooks.values()), hooks
    assert [hook for hook, other in hooks.items() if other == weight] == [f"Job/{RELEASE}-migrate"]

    pod = job["spec"]["template"]["spec"]
    (container,) = pod["containers"]
    assert container["args"] == ["migrate"]
    owner = values.get("database", {}).get("ownerSecret", {"name": "velferd-database-owner", "key": "url"})
    app = values.get("database", {}).get("appSecret", {"name": "velferd-database-app", "key": "url"})
    refs = secret_refs(container)
    assert refs["VELFERD_MIGRATION_DATABASE_URL"] == (owner["name"], owner["key"])
    assert refs["VELFERD_DATABASE_URL"] == (owner["name"], owner["key"])
    assert app["name"] not in {secret for secret, _ in refs.values()}
    # a pre-install hook runs before the release's objects exist: it may lean on none of them
    assert "serviceAccountName" not in pod and pod["automountServiceAccountToken"] is False
    assert "envFrom" not in container
    assert not [volume for volume in pod["volumes"] if "persistentVolumeClaim" in volume]


@pytest.mark.parametrize("name", sorted(CI_VALUES))
def test_the_job_gets_the_configmaps_settings_inline(rendered, name):
    objects = rendered[name]
    (config,) = of_kind(objects, "ConfigMap")
    (container,) = named(objects, "Job", "migrate")["spec"]["template"]["spec"]["containers"]
    inline = {entry["name"]: entry["value"] for entry in container["env"] if "value" in entry}
    assert inline == config["data"]
    assert config["data"]["VELFERD_ENV"] == "production"


@pytest.mark.parametrize("name", sorted(CI_VALUES))
def test_web_worker_and_beat_hold_the_app_roles_url_never_the_owners(rendered, name):
    values = values_of(name)
    owner = values.get("database", {}).get("ownerSecret", {"name": "velferd-database-owner"})["name"]
    app = values.get("database", {}).get("appSecret", {"name": "velferd-database-app", "key": "url"})
    for component in ("web", "worker", "beat"):
        pod = named(rendered[name], "Deployment", component)["spec"]["template"]["spec"]
        (container,) = pod["containers"]
        refs = secret_refs(container)
        assert refs["VELFERD_DATABASE_URL"] == (app["name"], app["key"]), component
        assert "VELFERD_MIGRATION_DATABASE_URL" not in refs, component
        assert owner not in {secret for secret, _ in refs.values()}, component
        assert container["args"][0] == component
        assert pod["serviceAccountName"] == RELEASE and pod["automountServiceAccountToken"] is False


@pytest.mark.parametrize("name", sorted(CI_VALUES))
def test_no_container_runs_as_root_and_every_root_filesystem_is_read_only(rendered, name):
    specs = pod_specs(rendered[name])
    assert len(specs) == 4  # web, worker, beat, migrate
    for owner, pod in specs:
        pod_context = pod.get("securityContext", {})
        for container in pod.get("initContainers", []) + pod["containers"]:
            context = {**pod_context, **container.get("securityContext", {})}
            where = f"{owner} {container['name']}"
            assert context.get("runAsNonRoot") is True, where
            assert context.get("runAsUser", 0) != 0 and context.get("runAsUser") == 10001, where
            assert context.get("readOnlyRootFilesystem") is True, where
            assert context.get("allowPrivilegeEscalation") is False, where
            assert context.get("capabilities", {}).get("drop") == ["ALL"], where
        # the only writable paths: the instance folder and /tmp (and the metrics' folder of web's workers)
        mounts = {mount["mountPath"] for container in pod["containers"] for mount in container["volumeMounts"]}
        metrics = owner.endswith("-web") and values_of(name).get("metrics", {}).get("enabled", False)
        assert mounts == {values_of(name).get("persistence", {}).get("mountPath", "/var/lib/velferd/instance"),
                          "/tmp", *(["/run/prometheus"] if metrics else [])}, owner
        assert {"name": "tmp", "emptyDir": {"sizeLimit": "1Gi"}} in pod["volumes"], owner


@pytest.mark.parametrize("name", sorted(CI_VALUES))
def test_web_and_worker_share_the_instance_claim(rendered, name):
    values = values_of(name)
    claim = values.get("persistence", {}).get("existingClaim") or f"{RELEASE}-instance"
    for component in ("web", "worker"):
        volumes = named(rendered[name], "Deployment", component)["spec"]["template"]["spec"]["volumes"]
        assert {"name": "instance", "persistentVolumeClaim": {"claimName": claim}} in volumes, component
    claims = of_kind(rendered[name], "PersistentVolumeClaim")
    if claims:
        (made,) = claims
        assert made["metadata"]["name"] == claim
        assert made["metadata"]["annotations"]["helm.sh/resource-policy"] == "keep"  # invoices outlive the release
        assert made["spec"]["accessModes"] == ["ReadWriteMany"]


@pytest.mark.parametrize("name", sorted(CI_VALUES))
def test_no_secret_is_inlined_and_no_configmap_holds_one(rendered, name):
    objects = rendered[name]
    assert not of_kind(objects, "Secret"), "the chart references Secrets, it never writes one"
    for config in of_kind(objects, "ConfigMap"):
        for key, value in config["data"].items():
            assert not SECRET_LIKE.search(key), key
            assert not CREDENTIALS_IN_URL.search(value), key
    # every secret reaches a container as a secretKeyRef, never as a literal value
    for owner, pod in pod_specs(objects):
        for container in pod["containers"]:
            for entry in container.get("env", []):
                if SECRET_LIKE.search(entry["name"]):
                    assert "secretKeyRef" in entry.get("valueFrom", {}), f"{owner} {entry['name']}"


def test_the_smtp_password_is_a_secret_reference(rendered):
    (container,) = named(rendered["external-services"], "Deployment", "worker")["spec"]["template"]["spec"][
        "containers"]
    assert secret_refs(container)["VELFERD_SMTP_PASSWORD"] == ("kommune-smtp", "password")
    (defaults,) = named(rendered["defaults"], "Deployment", "worker")["spec"]["template"]["spec"]["containers"]
    assert "VELFERD_SMTP_PASSWORD" not in secret_refs(defaults)


@pytest.mark.parametrize("name", sorted(CI_VALUES))
def test_probes(rendered, name):
    (web,) = named(rendered[name], "Deployment", "web")["spec"]["template"]["spec"]["containers"]
    assert web["readinessProbe"]["httpGet"] == {"path": "/readyz", "port": "http"}
    assert web["livenessProbe"]["httpGet"] == {"path": "/healthz", "port": "http"}
    (worker,) = named(rendered[name], "Deployment", "worker")["spec"]["template"]["spec"]["containers"]
    ping = worker["livenessProbe"]["exec"]["command"]
    assert ping[:2] == ["sh", "-c"] and "celery --broker \"$VELFERD_REDIS_URL\" inspect ping" in ping[2]
    assert "--destination \"celery@$HOSTNAME\"" in ping[2] and " -A " not in ping[2]
    assert worker["livenessProbe"]["timeoutSeconds"] > 10  # longer than the ping's own --timeout


@pytest.mark.parametrize("name", sorted(CI_VALUES))
def test_autoscalers_exist_only_with_autoscaling_on(rendered, name):
    autoscalers = of_kind(rendered[name], "HorizontalPodAutoscaler")
    deployments = {item["metadata"]["name"]: item for item in of_kind(rendered[name], "Deployment")}
    if name == "autoscaling-on":
        assert sorted(hpa["spec"]["scaleTargetRef"]["name"] for hpa in autoscalers) == [
            f"{RELEASE}-web", f"{RELEASE}-worker"]
        web = named(autoscalers, "HorizontalPodAutoscaler", "web")["spec"]
        assert (web["minReplicas"], web["maxReplicas"]) == (3, 20)
        # the HPA owns the count: an upgrade must not reset it to the values' replicas
        assert "replicas" not in deployments[f"{RELEASE}-web"]["spec"]
        assert "replicas" not in deployments[f"{RELEASE}-worker"]["spec"]
    else:
        assert autoscalers == []
        assert deployments[f"{RELEASE}-web"]["spec"]["replicas"] == 2
    assert deployments[f"{RELEASE}-beat"]["spec"]["replicas"] == 1


@pytest.mark.parametrize("name", sorted(CI_VALUES))
def test_the_ingress_exists_only_with_ingress_on(rendered, name):
    ingresses = of_kind(rendered[name], "Ingress")
    if name != "ingress-on":
        assert ingresses == []
        return
    (ingress,) = ingresses
    assert ingress["spec"]["ingressClassName"] == "nginx"
    (rule,) = ingress["spec"]["rules"]
    assert rule["host"] == "velferd.example.org"
    assert rule["http"]["paths"][0]["backend"]["service"] == {"name": f"{RELEASE}-web", "port": {"name": "http"}}


def test_the_network_policy_opens_only_webs_port(rendered):
    (policy,) = of_kind(rendered["defaults"], "NetworkPolicy")
    assert policy["spec"]["podSelector"]["matchLabels"] == {"app.kubernetes.io/name": "velferd",
                                                            "app.kubernetes.io/instance": RELEASE}
    assert policy["spec"]["policyTypes"] == ["Ingress", "Egress"]
    (rule,) = policy["spec"]["ingress"]
    assert rule["ports"] == [{"port": "http", "protocol": "TCP"}]
    (restricted,) = of_kind(rendered["external-services"], "NetworkPolicy")
    assert {} not in restricted["spec"]["egress"]  # egressTo given: no allow-all rule


def test_an_upgrade_renders_the_same_hook(chart):
    job = named(render(chart, {}, upgrade=True), "Job", "migrate")
    assert job["metadata"]["annotations"]["helm.sh/hook"] == "pre-install,pre-upgrade"


@pytest.mark.parametrize(("values", "reason"), [
    ({"beat": {"replicas": 2}}, "at '/beat/replicas': value must be 1"),
    ({"image": {"repository": None}}, "at '/image': missing property 'repository'"),
    ({"image": {"repository": ""}}, "at '/image/repository'"),
    ({"settings": {"SMTP_PASSWORD": "hunter2"}}, "invalid propertyName 'SMTP_PASSWORD'"),
    ({"settings": {"DATABASE_URL": "postgresql://velferd_app@db/velferd"}}, "invalid propertyName 'DATABASE_URL'"),
    ({"settings": {"PUBLIC_URL": "https://admin:hunter2@velferd.example.org"}}, "at '/settings/PUBLIC_URL'"),
    ({"database": {"ownerSecret": "postgresql://owner:hunter2@db/velferd"}}, "at '/database/ownerSecret': got string"),
    ({"redis": {"secret": {"name": "Velferd Redis", "key": "url"}}}, "at '/redis/secret/name'"),
    ({"web": {"replicaCount": 3}}, "additional properties 'replicaCount' not allowed"),
    ({"metrics": {"enabled": True}}, "at '/metrics'"),  # on, but open to nobody: say who may scrape
    ({"metrics": {"enabled": True, "token": "hunter2"}}, "additional properties 'token' not allowed"),
])
def test_the_values_schema_refuses_a_bad_values_file_with_helms_error(helm, chart, values, reason):
    with pytest.raises(helm.HelmValuesError) as refused:
        chart.render(values, name=RELEASE, namespace="velferd", is_install=True)
    assert "values don't meet the specifications of the schema" in str(refused.value)
    assert reason in str(refused.value), str(refused.value)


@pytest.mark.parametrize("name", sorted(CI_VALUES))
def test_no_pod_gets_service_link_variables(rendered, name):
    """Kubernetes would put VELFERD_PORT=tcp://… into every pod beside a Service named velferd, and
    the app reads every VELFERD_* variable as a setting."""
    specs = pod_specs(rendered[name])
    assert specs and all(spec.get("enableServiceLinks") is False for _, spec in specs), specs


def test_metrics_are_off_unless_enabled_and_then_only_on_web(rendered):
    for name, objects in rendered.items():
        if values_of(name).get("metrics", {}).get("enabled"):
            continue
        for owner, pod in pod_specs(objects):
            names = {entry["name"] for container in pod["containers"] for entry in container.get("env", [])}
            assert not names & {"VELFERD_METRICS_TOKEN", "VELFERD_METRICS_ALLOWED_NETWORKS",
                                "PROMETHEUS_MULTIPROC_DIR"}, f"{name} {owner}"
    objects = rendered["external-services"]
    web = named(objects, "Deployment", "web")["spec"]["template"]
    (container,) = web["spec"]["containers"]
    assert secret_refs(container)["VELFERD_METRICS_TOKEN"] == ("kommune-metrics", "token")  # never inlined
    env = {entry["name"]: entry.get("value") for entry in container["env"]}
    assert env["VELFERD_METRICS_ALLOWED_NETWORKS"] == "10.42.0.0/16"
    assert env["PROMETHEUS_MULTIPROC_DIR"] == "/run/prometheus"
    assert {"name": "prometheus", "mountPath": "/run/prometheus"} in container["volumeMounts"]
    assert {"name": "prometheus", "emptyDir": {"medium": "Memory", "sizeLimit": "64Mi"}} in web["spec"]["volumes"]
    annotations = web["metadata"]["annotations"]
    assert (annotations["prometheus.io/scrape"], annotations["prometheus.io/path"],
            annotations["prometheus.io/port"]) == ("true", "/metrics", "8000")
    for component in ("worker", "beat"):  # the database's figures are read by web's scrape; no other pod serves it
        (other,) = named(objects, "Deployment", component)["spec"]["template"]["spec"]["containers"]
        assert "VELFERD_METRICS_TOKEN" not in secret_refs(other), component
