"""Just enough JSON Schema (OpenAPI 3.0 flavour) to check request bodies, and examples
synthesised from the spec's property ``example`` values."""

from __future__ import annotations

from typing import Any

from .spec_corrections import corrected_schema


class Schemas:
    def __init__(self, spec: dict[str, Any]) -> None:
        self.spec = spec
        self.components = spec["components"]["schemas"]

    def resolve(self, node: dict[str, Any]) -> tuple[str | None, dict[str, Any]]:
        name = None
        while "$ref" in node:
            name = node["$ref"].rsplit("/", 1)[-1]
            node = corrected_schema(name, self.components[name])
        return name, node

    # -- validation --------------------------------------------------------------------------

    def errors(self, value: Any, node: dict[str, Any], path: str = "$") -> list[str]:
        _, node = self.resolve(node)
        out: list[str] = []
        for part in node.get("allOf", []):
            out += self.errors(value, part, path)
        if value is None:
            return out if node.get("nullable", True) else [*out, f"{path}: null"]
        kind = node.get("type")
        if kind is None and "properties" in node:
            kind = "object"
        checks = {
            "object": lambda v: isinstance(v, dict),
            "array": lambda v: isinstance(v, list),
            "string": lambda v: isinstance(v, str),
            "integer": lambda v: isinstance(v, int) and not isinstance(v, bool),
            "number": lambda v: isinstance(v, int | float) and not isinstance(v, bool),
            "boolean": lambda v: isinstance(v, bool),
        }
        if kind in checks and not checks[kind](value):
            return [*out, f"{path}: expected {kind}, got {type(value).__name__} {value!r}"]
        if "enum" in node and value not in node["enum"]:
            out.append(f"{path}: {value!r} not in {node['enum']}")
        if isinstance(value, dict):
            for required in node.get("required", []):
                if required not in value:
                    out.append(f"{path}: missing required {required!r}")
            for key, sub in node.get("properties", {}).items():
                if key in value:
                    out += self.errors(value[key], sub, f"{path}.{key}")
        if isinstance(value, list) and "items" in node:
            for index, item in enumerate(value):
                out += self.errors(item, node["items"], f"{path}[{index}]")
        return out

    # -- examples ----------------------------------------------------------------------------

    def example(self, node: dict[str, Any], depth: int = 0) -> Any:
        _, node = self.resolve(node)
        if depth > 8:
            return None
        if "allOf" in node:
            merged: dict[str, Any] = {}
            for part in node["allOf"]:
                value = self.example(part, depth + 1)
                if isinstance(value, dict):
                    merged.update(value)
            if "properties" in node:
                merged.update(self._object(node, depth))
            return merged
        kind = node.get("type")
        if kind == "array":
            item = self.example(node.get("items", {}), depth + 1)
            return [] if item is None else [item]
        if kind == "object" or "properties" in node:
            return self._object(node, depth)
        if "example" in node and self._fits(node["example"], node):
            return node["example"]
        if "enum" in node:
            return node["enum"][0]
        return {"integer": 1, "number": 1.5, "string": "x", "boolean": True}.get(str(kind))

    @staticmethod
    def _fits(value: Any, node: dict[str, Any]) -> bool:
        """Some spec examples contradict their own type (text in an integer): skip those."""
        kind = node.get("type")
        if "enum" in node and value not in node["enum"]:
            return False
        if kind == "integer":
            return isinstance(value, int) and not isinstance(value, bool)
        if kind == "number":
            return isinstance(value, int | float) and not isinstance(value, bool)
        if kind == "string":
            return isinstance(value, str)
        if kind == "boolean":
            return isinstance(value, bool)
        return kind not in ("object", "array") or isinstance(value, dict | list)

    def _object(self, node: dict[str, Any], depth: int) -> dict[str, Any]:
        return {k: self.example(v, depth + 1) for k, v in node.get("properties", {}).items()}
