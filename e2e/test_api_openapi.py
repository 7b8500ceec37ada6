"""web/openapi.yaml is a valid OpenAPI 3.1 document, every `example` in it validates against its
schema (JSON Schema 2020-12), every request body and answer with content has one, and the running
binary serves exactly the documented methods on every documented path (the others answer 405)
and the document itself at GET /openapi.yaml.

That every route the router registers is in the document is checked in process, where the
router's table can be read (OpenAPIContractTests); schemathesis (test_api_schemathesis.py) checks
the answers against the schemas."""

import urllib.parse

import jsonschema
import requests
import yaml
from openapi_spec_validator import validate as validate_openapi
from referencing import Registry, Resource
from referencing.jsonschema import DRAFT202012

from conftest import REPO

SPEC = REPO / "web" / "openapi.yaml"
BASE = "urn:stracker:openapi"
METHODS = ("get", "put", "post", "patch", "delete")


def load():
    return yaml.safe_load(SPEC.read_text())


def pointer(parts) -> str:
    return "".join("/" + urllib.parse.quote(str(p).replace("~", "~0").replace("/", "~1"), safe="") for p in parts)


def deref(document, node):
    while isinstance(node, dict) and "$ref" in node and node["$ref"].startswith("#/"):
        target = document
        for part in node["$ref"][2:].split("/"):
            target = target[part.replace("~1", "/").replace("~0", "~")]
        node = target
    return node


def examples_with_schemas(document):
    """(where, schema pointer, example) for every example: of media types, parameters and
    headers (`example` and `examples`), and of schemas (`examples`, and the older `example`)."""
    found = []

    def walk(node, path, in_schema):
        if isinstance(node, dict):
            if not in_schema and isinstance(node.get("schema"), dict):
                schema_at = path + ["schema"]
                if "example" in node:
                    found.append((pointer(path), pointer(schema_at), node["example"]))
                for name, example in (node.get("examples") or {}).items():
                    example = deref(document, example)
                    if "value" in example:
                        found.append((pointer(path + ["examples", name]), pointer(schema_at), example["value"]))
            if in_schema:
                for index, example in enumerate(node.get("examples") or []):
                    found.append((pointer(path + ["examples", index]), pointer(path), example))
                if "example" in node:
                    found.append((pointer(path + ["example"]), pointer(path), node["example"]))
            for key, value in node.items():
                if key in ("example", "examples", "links"):
                    continue
                walk(value, path + [key], in_schema or key == "schema" or path == ["components", "schemas"])
        elif isinstance(node, list):
            for index, value in enumerate(node):
                walk(value, path + [index], in_schema)

    walk(document, [], False)
    return found


def test_the_document_is_valid_openapi_3_1():
    document = load()
    assert document["openapi"] == "3.1.0"
    validate_openapi(document)


def test_every_example_validates_against_its_schema():
    document = load()
    registry = Registry().with_resource(BASE, Resource(contents=document, specification=DRAFT202012))
    checked, failures = 0, []
    for where, schema_at, example in examples_with_schemas(document):
        validator = jsonschema.Draft202012Validator(
            {"$ref": BASE + "#" + schema_at}, registry=registry, format_checker=jsonschema.Draft202012Validator.FORMAT_CHECKER)
        for error in validator.iter_errors(example):
            failures.append(f"{where}: {error.message} (at {'/'.join(map(str, error.absolute_path))})")
        checked += 1
    print(f"{checked} examples validated against their schemas")
    assert not failures, "\n".join(failures)
    assert checked >= 60


def test_every_body_and_answer_with_content_has_an_example():
    document = load()
    missing = []
    for path, item in document["paths"].items():
        for method in METHODS:
            operation = item.get(method)
            if not operation:
                continue
            bodies = []
            if "requestBody" in operation:
                bodies.append(("request", deref(document, operation["requestBody"])))
            bodies += [(status, deref(document, answer)) for status, answer in operation["responses"].items()]
            for label, body in bodies:
                for media_type, content in (body.get("content") or {}).items():
                    if "example" not in content and not content.get("examples"):
                        missing.append(f"{method.upper()} {path} {label} {media_type}")
    assert not missing, "no example: " + ", ".join(missing)


def test_every_operation_has_a_unique_id_and_known_error_shapes():
    document = load()
    ids = [op["operationId"] for item in document["paths"].values() for m, op in item.items() if m in METHODS]
    assert len(ids) == len(set(ids)) and all(ids)
    for path, item in document["paths"].items():
        for method in METHODS:
            if method not in item:
                continue
            for status, answer in item[method]["responses"].items():
                answer = deref(document, answer)
                if status.startswith("4"):
                    schema = answer["content"]["application/json"]["schema"]["$ref"]
                    expected = "#/components/schemas/ValidationError" if status == "422" else "#/components/schemas/Error"
                    assert schema == expected, f"{method.upper()} {path} {status}"


def concrete(path: str, item: dict, document) -> str:
    """The path with every parameter replaced by its documented example."""
    params = {}
    for operation in [item] + [item[m] for m in METHODS if m in item]:
        for parameter in operation.get("parameters", []):
            parameter = deref(document, parameter)
            if parameter["in"] == "path":
                params[parameter["name"]] = str(parameter["example"])
    for name, value in params.items():
        path = path.replace("{" + name + "}", urllib.parse.quote(value, safe=""))
    return path


def test_the_binary_serves_the_documented_methods_and_only_those(server):
    """No token and an empty object as the body: no side effect anywhere. A documented method
    never answers the router's 404 or 405; an undocumented one on a documented path answers 405."""
    document = load()
    wrong = []
    for path, item in document["paths"].items():
        url = server.url + concrete(path, item, document)
        for method in METHODS:
            answer = requests.request(method.upper(), url, json={} if method != "get" else None, timeout=10)
            if method in item:
                unrouted = answer.status_code == 405 or (answer.status_code == 404 and answer.json() == {"detail": "Not Found"})
                if unrouted:
                    wrong.append(f"{method.upper()} {path}: {answer.status_code} {answer.text[:80]}")
                public = item[method].get("security", document.get("security")) == []
                if not public and (answer.status_code, answer.json()) != (403, {"detail": "Not authenticated"}):
                    wrong.append(f"{method.upper()} {path} without a token: {answer.status_code} {answer.text[:80]}")
            elif answer.status_code != 405:
                wrong.append(f"{method.upper()} {path} is not documented but answers {answer.status_code}")
    assert not wrong, "\n".join(wrong)


def test_the_binary_serves_this_document(server):
    answer = requests.get(server.url + "/openapi.yaml", timeout=10)
    assert answer.status_code == 200
    assert answer.headers["Content-Type"].split(";")[0].strip() == "application/yaml"
    assert answer.content == SPEC.read_bytes()
