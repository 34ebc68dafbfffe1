#!/usr/bin/env python3
"""The least-privilege report: per function, what its role grants and no call used.

Reads the state directory the emulator's IAM enforcement wrote during a run (moto_launcher.py
--iam-state DIR: roles.jsonl, usage.jsonl, denied.log) and prints, per function, every (action,
resource) its template policies grant that no allowed call matched, then what was used, then the
denied calls. Grants are counted per template statement, per action pattern and per resource
pattern, across every stack the run created (they all come from the same template), except stacks
named with an --exclude-stack-prefix: those of tests that call with a function's credentials on
purpose, to prove the check (their calls say nothing of what the function's code uses).

Usage: iam_report.py STATE_DIR [--out FILE] [--exclude-stack-prefix PREFIX ...]
"""
import argparse
import json
import os
import re
import sys
from collections import OrderedDict

PREFIX = re.compile(r"^arn:\$\{AWS::Partition\}:([a-z0-9-]+):\$\{AWS::Region\}:\$\{AWS::AccountId\}:")


def render(value):
    """A template value as a reader of template.yaml would write it, intrinsics shortened."""
    if isinstance(value, str):
        return value
    if isinstance(value, dict) and len(value) == 1:
        (fn, arg), = value.items()
        if fn == "Ref":
            return "${%s}" % arg
        if fn == "Fn::GetAtt":
            logical, attribute = arg if isinstance(arg, list) else arg.split(".", 1)
            return logical if attribute == "Arn" else "${%s.%s}" % (logical, attribute)
        if fn == "Fn::Sub":
            text, variables = (arg, {}) if isinstance(arg, str) else (arg[0], arg[1])
            for name, sub in variables.items():
                text = text.replace("${%s}" % name, render(sub))
            text = re.sub(r"\$\{([A-Za-z0-9]+)\.Arn\}", r"\1", text)
            return PREFIX.sub(lambda m: m.group(1) + ":", text)
    return json.dumps(value, sort_keys=True)


def load_lines(path):
    if not os.path.exists(path):
        return []
    with open(path, encoding="utf-8") as f:
        return [json.loads(line) for line in f if line.strip()]


def grants_of(role):
    """[(policy, statement, action, resource index, rendered resource)] of a role's own policies."""
    out = []
    for policy in role["policies"]:
        if policy.get("managed"):
            continue
        for s_index, statement in enumerate(policy.get("templateStatements") or []):
            if statement.get("Effect") != "Allow":
                continue
            actions = statement.get("Action")
            actions = ["NotAction"] if actions is None else [actions] if isinstance(actions, str) else actions
            resources = statement.get("Resource", statement.get("NotResource"))
            resources = [resources] if not isinstance(resources, list) else resources
            for action in actions:
                for r_index, resource in enumerate(resources):
                    out.append((policy["name"], s_index, action, r_index, render(resource)))
    return out


def report(state_dir, excluded=()):
    def counted(entry):
        return not any(entry.get("stack", "").startswith(prefix) for prefix in excluded)

    roles = load_lines(os.path.join(state_dir, "roles.jsonl"))
    usage = [u for u in load_lines(os.path.join(state_dir, "usage.jsonl")) if counted(u)]
    denied_path = os.path.join(state_dir, "denied.log")
    denied = []
    if os.path.exists(denied_path):
        with open(denied_path, encoding="utf-8") as f:
            denied = [line.rstrip("\n") for line in f if line.strip()]

    by_function = OrderedDict()
    stacks = set()
    for role in sorted(roles, key=lambda r: r["function"]):
        stacks.add(role["stack"])
        by_function.setdefault(role["function"], role)
    used = {}
    for u in usage:
        used.setdefault((u["function"], u["policy"], u["statement"], u["action"], u["resource"]), u["example"])

    lines = ["IAM during this run: %d functions' roles in %d stacks; %d grant(s) used, %d call(s) denied"
             % (len(by_function), len(stacks), len(used), len(denied))]
    if excluded:
        lines.append("(calls in stacks %s not counted: those tests use functions' credentials on purpose)"
                     % ", ".join(p + "*" for p in excluded))
    lines.append("")
    lines.append("Granted by the template but never used by an allowed call (least privilege):")
    unused_total = 0
    for function, role in by_function.items():
        unused = [g for g in grants_of(role) if (function,) + g[:4] not in used]
        if not unused:
            continue
        lines.append("  " + function)
        for policy, _, action, _, resource in unused:
            lines.append("    %-32s on %-46s (%s)" % (action, resource, policy))
            unused_total += 1
    if unused_total == 0:
        lines.append("  (none)")
    lines.append("")
    lines.append("Used (grant: an example call):")
    for function, role in by_function.items():
        mine = [(g, used[(function,) + g[:4]]) for g in grants_of(role) if (function,) + g[:4] in used]
        lines.append("  %s%s" % (function, "" if mine else ": no call with its own credentials"))
        for (policy, _, action, _, resource), example in mine:
            wildcard = "*" in action or "?" in action or action == "NotAction"
            lines.append(("    %-32s on %-46s e.g. %s" % (action, resource, example["action"])) if wildcard
                         else "    %-32s on %s" % (action, resource))
    managed = sorted({p["name"] for r in by_function.values() for p in r["policies"] if p.get("managed")})
    if managed:
        lines.append("")
        lines.append("AWS managed policies SAM attaches (not counted: they serve the Lambda service, its logs, "
                     "X-Ray and event source polling): " + ", ".join(managed))
    lines.append("")
    lines.append("Denied calls (%s):" % denied_path)
    if denied:
        for d in sorted(set(d.split(" ", 1)[1] for d in denied)):
            stack = re.search(r"stack=(\S+)", d)
            deliberate = stack and any(stack.group(1).startswith(p) for p in excluded)
            lines.append("  " + d + ("  (deliberate)" if deliberate else ""))
    else:
        lines.append("  (none)")
    return "\n".join(lines) + "\n"


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("state_dir")
    parser.add_argument("--out")
    parser.add_argument("--exclude-stack-prefix", action="append", default=[])
    args = parser.parse_args()
    text = report(args.state_dir, args.exclude_stack_prefix)
    if args.out:
        with open(args.out, "w", encoding="utf-8") as f:
            f.write(text)
    sys.stdout.write(text)


if __name__ == "__main__":
    main()
