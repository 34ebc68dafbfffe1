#!/usr/bin/env python3
"""Prints the logical id of every function template.yaml builds with `BuildMethod: makefile`, one a
line: the build-<LogicalId> targets `sam build` calls, which `make run` calls the same way."""
import pathlib
import sys

from samtranslator.yaml_helper import yaml_parse


def main(template_path):
    template = yaml_parse(pathlib.Path(template_path).read_text(encoding="utf-8"))
    for logical, res in template["Resources"].items():
        if res.get("Type") == "AWS::Serverless::Function" \
                and (res.get("Metadata") or {}).get("BuildMethod") == "makefile":
            print(logical)


if __name__ == "__main__":
    main(sys.argv[1])
