#!/usr/bin/env python3
"""Every exception to the template's security scans is decided in writing, where the resource is.

checkov and cfn-lint (with the serverless rules) read their exceptions from each resource's Metadata:
  checkov:  {skip: [{id: CKV_AWS_117, comment: <reason>}]}
  cfn-lint: {config: {ignore_checks: [WS1004  # <reason>]}}
This check fails when an exception has no reason (a checkov skip without a comment, a cfn-lint id
without a comment on its line), or when one is made for the whole template instead of a resource, or
in a configuration file either tool reads by itself from the template's folder.
It then prints every exception with its reason: the list a security review reads.

Usage: check_scan_exceptions.py template.yaml
"""
import pathlib
import re
import sys

from ruamel.yaml import YAML

MIN_REASON = 20  # characters: a reason says why, an id or "n/a" does not
# read by cfn-lint and checkov from the folder they run in, where an ignore would excuse everything unseen
TOOL_CONFIGS = (".cfnlintrc", ".cfnlintrc.yaml", ".cfnlintrc.yml", ".checkov.yaml", ".checkov.yml")


def load(path):
    yaml = YAML(typ="rt")
    with open(path, encoding="utf-8") as f:
        return yaml.load(f)


def line_comment(seq, index):
    """The comment on the line of a sequence item (ruamel keeps it on the item's comment slot)."""
    slot = seq.ca.items.get(index)
    if not slot or not slot[0]:
        return ""
    # the token runs on to any comment lines below the item: its own line is the first
    return slot[0].value.split("\n")[0].strip().lstrip("#").strip()


def exceptions(template):
    """(resource, tool, check id, reason) of every exception, and the problems found."""
    found, problems = [], []
    top = (template.get("Metadata") or {})
    if "checkov" in top or "cfn-lint" in top:
        problems.append("template Metadata: scan exceptions belong to the resource they excuse, not to the template")
    for logical, resource in (template.get("Resources") or {}).items():
        meta = resource.get("Metadata") or {}
        for skip in ((meta.get("checkov") or {}).get("skip") or []):
            check = str(skip.get("id", "")) if hasattr(skip, "get") else str(skip)
            reason = str(skip.get("comment", "") or "").strip() if hasattr(skip, "get") else ""
            if not re.fullmatch(r"CKV2?_[A-Z]+_\d+", check):
                problems.append(f"{logical}: checkov skip {check!r} is not a check id")
            if len(reason) < MIN_REASON:
                problems.append(f"{logical}: checkov skip {check} has no reason (comment: ...)")
            found.append((logical, "checkov", check, reason))
        ignores = ((meta.get("cfn-lint") or {}).get("config") or {}).get("ignore_checks") or []
        for i, check in enumerate(ignores):
            reason = line_comment(ignores, i) if hasattr(ignores, "ca") else ""
            if len(reason) < MIN_REASON:
                problems.append(f"{logical}: cfn-lint ignore {check} has no reason (a # comment on its line)")
            found.append((logical, "cfn-lint", str(check), reason))
    return found, problems


def main(path):
    found, problems = exceptions(load(path))
    folder = pathlib.Path(path).resolve().parent
    problems += [f"{name}: scan exceptions belong in the resource's Metadata, not in a tool configuration"
                 for name in TOOL_CONFIGS if (folder / name).exists()]
    width = max((len(r) for r, _, _, _ in found), default=8)
    print(f"{len(found)} scan exceptions in {path}, each with its reason:")
    for resource, tool, check, reason in sorted(found, key=lambda f: (f[2], f[0])):
        print(f"  {check:12} {tool:8} {resource:{width}}  {reason}")
    if problems:
        print("\n".join(problems), file=sys.stderr)
        sys.exit(1)


if __name__ == "__main__":
    if len(sys.argv) != 2:
        sys.exit(__doc__)
    main(sys.argv[1])
