#!/usr/bin/env python3
"""template.yaml as CloudFormation would deploy it for given parameter values.

The SAM translator turns the template into plain CloudFormation (as `sam deploy` has CloudFormation do),
then the conditions are decided for the parameters given (the others take their defaults): resources and
outputs whose condition is false are dropped, each Fn::If is replaced by its chosen branch and
AWS::NoValue removes what holds it, and a Ref to a parameter becomes its value. GetAtt, Sub and Refs to
resources stay as they are. What is left is what the stack would carry with those parameters, for tests that check a property under each choice (SecurityTemplateTest).

Prints the result as JSON on stdout. With --serve it translates once and then answers, one line each, a
JSON object of parameters per line on stdin with the resolved template (tests ask for many choices, and
the translator's import costs seconds).
Usage: translate_template.py --template template.yaml [--region eu-west-1] [--parameter Name=Value ...]
       translate_template.py --template template.yaml --serve
"""
import argparse
import copy
import json
import os
import sys

NO_VALUE = object()


def translate(template_path, region, parameters):
    os.environ.setdefault("AWS_DEFAULT_REGION", region)
    from samtranslator.parser.parser import Parser
    from samtranslator.translator.transform import transform
    from samtranslator.yaml_helper import yaml_parse

    with open(template_path, encoding="utf-8") as f:
        sam = yaml_parse(f.read())
    for res in sam.get("Resources", {}).values():
        if res.get("Type") == "AWS::Serverless::Function":
            # the translator wants deployable code locations; nothing is uploaded
            res["Properties"]["CodeUri"] = "s3://openepro-template/code.zip"
    return transform(sam, dict(parameters), ManagedPolicyLoader(), Parser())


class ManagedPolicyLoader:
    """The template names no AWS managed policies by name; the translator still asks."""

    def load(self):
        return {}


def parameter_values(cfn, given):
    declared = cfn.get("Parameters", {})
    unknown = set(given) - set(declared)
    if unknown:
        raise SystemExit("unknown parameters: %s" % ", ".join(sorted(unknown)))
    values = {name: str(p.get("Default", "")) for name, p in declared.items()}
    values.update(given)
    return values


class Resolver:
    def __init__(self, cfn, parameters):
        self.parameters = parameters
        self.definitions = cfn.get("Conditions", {})
        self.decided = {}

    def condition(self, name):
        if name not in self.decided:
            self.decided[name] = self.truth(self.definitions[name])
        return self.decided[name]

    def truth(self, expr):
        (fn, args), = expr.items()
        if fn == "Fn::Equals":
            return self.scalar(args[0]) == self.scalar(args[1])
        if fn == "Fn::Not":
            return not self.truth(args[0])
        if fn == "Fn::And":
            return all(self.truth(a) for a in args)
        if fn == "Fn::Or":
            return any(self.truth(a) for a in args)
        if fn == "Condition":
            return self.condition(args)
        raise SystemExit("cannot decide a condition using %s" % fn)

    def scalar(self, value):
        if isinstance(value, dict) and set(value) == {"Ref"} and value["Ref"] in self.parameters:
            return self.parameters[value["Ref"]]
        if isinstance(value, (dict, list)):
            raise SystemExit("cannot decide a condition on %s" % json.dumps(value))
        return str(value).lower() if isinstance(value, bool) else str(value)

    def value(self, node):
        """The node with every Fn::If decided and every AWS::NoValue removed (NO_VALUE if it is one)."""
        if isinstance(node, dict):
            if set(node) == {"Ref"} and node["Ref"] == "AWS::NoValue":
                return NO_VALUE
            if set(node) == {"Ref"} and node["Ref"] in self.parameters:
                return self.parameters[node["Ref"]]
            if set(node) == {"Fn::If"}:
                name, when_true, when_false = node["Fn::If"]
                return self.value(when_true if self.condition(name) else when_false)
            out = {}
            for key, child in node.items():
                resolved = self.value(child)
                if resolved is not NO_VALUE:
                    out[key] = resolved
            return out
        if isinstance(node, list):
            return [v for v in (self.value(child) for child in node) if v is not NO_VALUE]
        return node


def resolve(cfn, parameters):
    resolver = Resolver(cfn, parameters)
    out = copy.deepcopy(cfn)
    for section in ("Resources", "Outputs"):
        kept = {}
        for logical, entry in out.get(section, {}).items():
            if "Condition" in entry and not resolver.condition(entry["Condition"]):
                continue
            kept[logical] = resolver.value(entry)
        out[section] = kept
    out["Conditions"] = {name: resolver.condition(name) for name in out.get("Conditions", {})}
    out["Parameters"] = {name: {"Value": value} for name, value in parameters.items()}
    return out


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--template", required=True)
    parser.add_argument("--region", default=os.environ.get("AWS_REGION", "eu-west-1"))
    parser.add_argument("--parameter", action="append", default=[], metavar="NAME=VALUE")
    parser.add_argument("--serve", action="store_true")
    args = parser.parse_args()
    given = dict(p.split("=", 1) for p in args.parameter)

    # the translator passes parameter Refs through where these properties use them, so one translation
    # serves every choice: the resolution below decides them
    cfn = translate(args.template, args.region, given)
    if not args.serve:
        json.dump(resolve(cfn, parameter_values(cfn, given)), sys.stdout, indent=1, sort_keys=True)
        sys.stdout.write("\n")
        return
    for line in sys.stdin:
        try:
            answer = resolve(cfn, parameter_values(cfn, json.loads(line)))
        except (SystemExit, ValueError) as e:
            answer = {"error": str(e)}
        sys.stdout.write(json.dumps(answer, sort_keys=True) + "\n")
        sys.stdout.flush()


if __name__ == "__main__":
    main()
