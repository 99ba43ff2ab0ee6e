#!/usr/bin/env python3
"""Extracts from Stripe's OpenAPI spec the part tests/unit/emulator/openapi_test.cc checks the
emulator against, so that the test runs from the repository alone.

Keeps the GET /v1/<resource> list paths of every resource in src/emulator/resource_table.cc,
the schemas of their objects and of the test's other objects (EXTRA_SCHEMAS), and every schema
those reach through $ref; of each schema only what the test reads (SCHEMA_KEYS: types,
nullability, properties, required, branches), not the descriptions. Output is deterministic
(sorted keys), so a rerun on the same spec changes nothing.

Usage: scripts/extract_openapi_subset.py [SPEC] [OUT]
  SPEC defaults to ../shared/stripe-openapi/spec3.json beside the checkout (Stripe's
  github.com/stripe/openapi, API 2020-08-27, April 2022, MIT licence),
  OUT to tests/fixtures/stripe-openapi/spec3-subset.json.
"""
import json
import os
import re
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
# Schemas the test checks besides the resources' objects.
EXTRA_SCHEMAS = ["account", "balance", "deleted_customer", "event", "error"]
# What the test's Spec::Check reads of a schema.
SCHEMA_KEYS = {"$ref", "type", "nullable", "anyOf", "oneOf", "items", "properties",
               "additionalProperties", "required"}


def trim(schema):
    """`schema` with only SCHEMA_KEYS, at every level (property names are kept whatever they
    are)."""
    out = {}
    for key, value in schema.items():
        if key not in SCHEMA_KEYS:
            continue
        if key == "properties":
            value = {name: trim(s) for name, s in value.items()}
        elif key in ("anyOf", "oneOf"):
            value = [trim(s) for s in value]
        elif key in ("items", "additionalProperties") and isinstance(value, dict):
            value = trim(value)
        out[key] = value
    return out


def resources():
    """(path, object name) of every row of the emulator's resource table."""
    with open(os.path.join(ROOT, "src/emulator/resource_table.cc")) as f:
        text = f.read()
    rows = re.findall(r'^\s*\{"(\w+)", "(\w+)", "\w*", "rak_', text, re.MULTILINE)
    if not rows:
        sys.exit("no resources found in src/emulator/resource_table.cc")
    return rows


def refs(node):
    if isinstance(node, dict):
        for key, value in node.items():
            if key == "$ref" and isinstance(value, str):
                yield value.rsplit("/", 1)[-1]
            else:
                yield from refs(value)
    elif isinstance(node, list):
        for item in node:
            yield from refs(item)


def main():
    spec_path = sys.argv[1] if len(sys.argv) > 1 else os.path.join(
        ROOT, "..", "shared", "stripe-openapi", "spec3.json")
    out_path = sys.argv[2] if len(sys.argv) > 2 else os.path.join(
        ROOT, "tests", "fixtures", "stripe-openapi", "spec3-subset.json")
    with open(spec_path) as f:
        spec = json.load(f)
    schemas = spec["components"]["schemas"]
    paths = {}
    pending = list(EXTRA_SCHEMAS)
    for path, object_name in resources():
        list_path = "/v1/" + path
        schema = trim(spec["paths"][list_path]["get"]["responses"]["200"]["content"]
                      ["application/json"]["schema"])
        answer = {"content": {"application/json": {"schema": schema}}}
        paths[list_path] = {"get": {"responses": {"200": answer}}}
        pending.append(object_name)
        pending.extend(refs(answer))
    kept = {}
    while pending:
        name = pending.pop()
        if name in kept:
            continue
        kept[name] = trim(schemas[name])
        pending.extend(refs(kept[name]))
    subset = {
        "info": {"description": "A subset of Stripe's OpenAPI spec " + spec["info"]["version"] +
                 ", made by scripts/extract_openapi_subset.py; see LICENSE beside it."},
        "paths": paths,
        "components": {"schemas": kept},
    }
    os.makedirs(os.path.dirname(out_path), exist_ok=True)
    with open(out_path, "w") as f:
        json.dump(subset, f, sort_keys=True, separators=(",", ":"))
        f.write("\n")
    print(f"{out_path}: {len(paths)} paths, {len(kept)} schemas, {os.path.getsize(out_path)} bytes")


if __name__ == "__main__":
    main()
