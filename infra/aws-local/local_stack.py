#!/usr/bin/env python3
"""Create OpenEPRO's data-plane resources in a local AWS emulator FROM template.yaml.

The template is the single source of truth: this script transforms it with the SAM
translator (as CloudFormation would), keeps the data-plane resources (tables, queues,
topics, subscriptions, bucket, keys), and deploys that stack to the emulator's own
CloudFormation. Names come out generated, as on AWS. Each function's environment
variables are resolved against the created stack by turning them into stack outputs,
so the handlers get exactly the configuration Lambda would give them.

Prints one JSON document on stdout:
  {"stackName", "region", "resources": {LogicalId: {type, ref, arn?, name?}},
   "functions": {LogicalId: {handler, timeout, memorySize, environment, events, reservedConcurrency,
                             logFormat, applicationLogLevel}}}

Usage: local_stack.py --endpoint http://127.0.0.1:PORT --template template.yaml --stack NAME
"""
import argparse
import copy
import json
import os
import re
import sys
import time

# the template's conditions decided as CloudFormation does (infra/scripts/translate_template.py)
sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), os.pardir, "scripts"))
from translate_template import NO_VALUE, Resolver, parameter_values  # noqa: E402

DATA_PLANE_TYPES = {
    "AWS::DynamoDB::Table",
    "AWS::SQS::Queue",
    "AWS::SQS::QueuePolicy",
    "AWS::SNS::Topic",
    "AWS::SNS::Subscription",
    "AWS::S3::Bucket",
    "AWS::KMS::Key",
}
# Not created locally: AWS::S3::BucketPolicy. moto evaluates a bucket policy on every object
# request but has no request context for conditions, so it treats a conditional statement as
# matching: the template's TLS-only deny (aws:SecureTransport false) would refuse every export
# written to or downloaded from the emulator, whose endpoint is plain http.

# GetAtt attributes worth exporting per type, beyond Ref
ATTRIBUTES = {
    "AWS::DynamoDB::Table": {"arn": "Arn"},
    "AWS::SQS::Queue": {"arn": "Arn", "name": "QueueName"},
    "AWS::SNS::Topic": {"name": "TopicName"},
    "AWS::S3::Bucket": {"arn": "Arn"},
    "AWS::KMS::Key": {"arn": "Arn"},
}


def translate(template_path, region):
    os.environ.setdefault("AWS_DEFAULT_REGION", region)
    from samtranslator.parser.parser import Parser
    from samtranslator.translator.transform import transform
    from samtranslator.yaml_helper import yaml_parse

    with open(template_path, encoding="utf-8") as f:
        sam = yaml_parse(f.read())
    original = copy.deepcopy(sam)
    for res in sam.get("Resources", {}).values():
        if res.get("Type") == "AWS::Serverless::Function":
            # the translator wants deployable code locations; nothing is uploaded
            res["Properties"]["CodeUri"] = "s3://openepro-local/code.zip"
    cfn = transform(sam, {}, ManagedPolicyLoader(), Parser())
    return original, cfn


class ManagedPolicyLoader:
    """The template names no AWS managed policies by name; the translator still asks."""

    def load(self):
        return {}


def function_events(sam_function, resolver):
    events = []
    for name, event in (sam_function.get("Properties", {}).get("Events") or {}).items():
        kind = event.get("Type")
        props = resolver.value(event.get("Properties", {}))
        if kind == "HttpApi":
            events.append({
                "name": name, "type": "HttpApi",
                "method": props.get("Method", "ANY").upper(), "path": props.get("Path"),
                "scopes": (props.get("Auth") or {}).get("AuthorizationScopes", []),
                # "NONE" on a public route (the console's settings); absent: the API's default JWT authorizer
                "authorizer": (props.get("Auth") or {}).get("Authorizer"),
            })
        elif kind == "SQS":
            queue = props.get("Queue")
            logical = queue["Fn::GetAtt"][0] if isinstance(queue, dict) and "Fn::GetAtt" in queue else queue
            if isinstance(logical, str) and "." in logical:
                logical = logical.split(".")[0]
            events.append({
                "name": name, "type": "SQS", "queue": logical,
                "batchSize": props.get("BatchSize", 10),
                "maximumBatchingWindowInSeconds": props.get("MaximumBatchingWindowInSeconds", 0),
                "functionResponseTypes": props.get("FunctionResponseTypes", []),
                "maximumConcurrency": maximum_concurrency(props),
            })
        elif kind in ("Schedule", "ScheduleV2"):
            events.append({"name": name, "type": "Schedule",
                           "expression": props.get("ScheduleExpression") or props.get("Schedule"),
                           "input": props.get("Input")})
        else:
            events.append({"name": name, "type": kind})
    return events


def maximum_concurrency(sqs_event):
    value = (sqs_event.get("ScalingConfig") or {}).get("MaximumConcurrency")
    return None if value is None else int(value)


def references(value):
    """Logical ids a template value names through Ref, Fn::GetAtt or Fn::Sub."""
    found = set()
    if isinstance(value, dict):
        for key, inner in value.items():
            if key == "Ref" and isinstance(inner, str):
                found.add(inner)
            elif key == "Fn::GetAtt":
                target = inner[0] if isinstance(inner, list) else str(inner).split(".")[0]
                found.add(target)
            elif key == "Fn::Sub":
                text = inner[0] if isinstance(inner, list) else inner
                found.update(n.split(".")[0] for n in re.findall(r"\$\{([^!}][^}]*)\}", text))
                if isinstance(inner, list):
                    found |= references(inner[1])
            else:
                found |= references(inner)
    elif isinstance(value, list):
        for inner in value:
            found |= references(inner)
    return found


def data_plane_stack(cfn):
    resources = {k: v for k, v in cfn["Resources"].items() if v.get("Type") in DATA_PLANE_TYPES}
    outputs = {}
    index = {}

    def add_output(value, key_hint):
        key = "O%04d" % len(outputs)
        outputs[key] = {"Value": value}
        index[key] = key_hint
        return key

    for logical, res in resources.items():
        wanted = [({"Ref": logical}, "ref")]
        wanted += [({"Fn::GetAtt": [logical, attr]}, field)
                   for field, attr in ATTRIBUTES.get(res["Type"], {}).items()]
        for value, field in wanted:
            key = add_output(value, ("resource", logical, field))
            if res.get("Condition"):
                outputs[key]["Condition"] = res["Condition"]

    functions = {}
    # the parameters' defaults decide a function's Fn::If (ReservedConcurrentExecutions), as a deployment would
    resolver = Resolver(cfn, parameter_values(cfn, {}))
    for logical, res in cfn["Resources"].items():
        if res.get("Type") != "AWS::Lambda::Function":
            continue
        props = res.get("Properties", {})
        env = ((props.get("Environment") or {}).get("Variables")) or {}
        resolved = {}
        for name, value in env.items():
            if isinstance(value, (str, int, float, bool)):
                resolved[name] = str(value)
            elif references(value) & (set(cfn["Resources"]) - set(resources)):
                # names a resource not created here (the Cognito user pool, its staff client): left
                # empty, for the local runtime's own stand-in (its issuer, its sign-in page)
                resolved[name] = ""
            else:
                add_output(value, ("env", logical, name))
        logging = resolver.value(props.get("LoggingConfig") or {})
        reserved = resolver.value(props.get("ReservedConcurrentExecutions"))
        functions[logical] = {
            "handler": props.get("Handler"),
            "timeout": props.get("Timeout", 3),
            "memorySize": props.get("MemorySize", 128),
            "environment": resolved,
            # what the local Lambda needs to run the function as Lambda would: its concurrency limit and log format
            "reservedConcurrency": None if reserved in (None, NO_VALUE) else int(reserved),
            "logFormat": logging.get("LogFormat", "Text"),
            "applicationLogLevel": logging.get("ApplicationLogLevel"),
        }

    stack = {
        "AWSTemplateFormatVersion": "2010-09-09",
        "Parameters": cfn.get("Parameters", {}),
        "Conditions": cfn.get("Conditions", {}),
        "Resources": resources,
        "Outputs": outputs,
    }
    return stack, index, functions


def client(service, endpoint, region):
    import boto3

    return boto3.client(service, endpoint_url=endpoint, region_name=region,
                        aws_access_key_id="test", aws_secret_access_key="test")


def complete_properties(endpoint, region, stack, resources):
    """Apply the properties the emulator's CloudFormation accepts but does not act on.

    A table's SSESpecification is not among them: moto keeps no server-side encryption
    setting for a table created through CloudFormation, nor takes one in UpdateTable.
    """
    # with the stack's parameters (their defaults): an Fn::If or a parameter Ref is decided before use
    resolver = Resolver(stack, parameter_values(stack, {}))
    for logical, res in stack["Resources"].items():
        props = resolver.value(res.get("Properties", {}))
        physical = resources.get(logical, {}).get("ref")
        if not physical:
            continue
        if res["Type"] == "AWS::DynamoDB::Table" and props.get("TimeToLiveSpecification"):
            ttl = props["TimeToLiveSpecification"]
            client("dynamodb", endpoint, region).update_time_to_live(
                TableName=physical,
                TimeToLiveSpecification={"AttributeName": ttl["AttributeName"], "Enabled": ttl["Enabled"]})
        if res["Type"] == "AWS::DynamoDB::Table" and props.get("PointInTimeRecoverySpecification"):
            pitr = props["PointInTimeRecoverySpecification"]
            client("dynamodb", endpoint, region).update_continuous_backups(
                TableName=physical,
                PointInTimeRecoverySpecification={
                    "PointInTimeRecoveryEnabled": bool(pitr.get("PointInTimeRecoveryEnabled", False))})
        if res["Type"] == "AWS::S3::Bucket":
            s3 = client("s3", endpoint, region)
            if props.get("LifecycleConfiguration"):
                rules = []
                for rule in props["LifecycleConfiguration"]["Rules"]:
                    r = {"ID": rule["Id"], "Status": rule["Status"], "Filter": {"Prefix": rule.get("Prefix", "")}}
                    if "ExpirationInDays" in rule:
                        # a Number parameter's value arrives as a string, as CloudFormation passes it
                        r["Expiration"] = {"Days": int(rule["ExpirationInDays"])}
                    if "AbortIncompleteMultipartUpload" in rule:
                        r["AbortIncompleteMultipartUpload"] = rule["AbortIncompleteMultipartUpload"]
                    rules.append(r)
                s3.put_bucket_lifecycle_configuration(Bucket=physical, LifecycleConfiguration={"Rules": rules})
            if props.get("PublicAccessBlockConfiguration"):
                s3.put_public_access_block(Bucket=physical,
                                           PublicAccessBlockConfiguration=props["PublicAccessBlockConfiguration"])
            if props.get("BucketEncryption"):
                rules = [{"ApplyServerSideEncryptionByDefault": r["ServerSideEncryptionByDefault"],
                          "BucketKeyEnabled": r.get("BucketKeyEnabled", False)}
                         for r in props["BucketEncryption"]["ServerSideEncryptionConfiguration"]]
                s3.put_bucket_encryption(Bucket=physical, ServerSideEncryptionConfiguration={"Rules": rules})


def deploy(endpoint, region, stack_name, stack):
    cf = client("cloudformation", endpoint, region)
    cf.create_stack(StackName=stack_name, TemplateBody=json.dumps(stack))
    deadline = time.time() + 120
    while True:
        desc = cf.describe_stacks(StackName=stack_name)["Stacks"][0]
        status = desc["StackStatus"]
        if status == "CREATE_COMPLETE":
            return {o["OutputKey"]: o["OutputValue"] for o in desc.get("Outputs", [])}
        if status.endswith("FAILED") or status.startswith("ROLLBACK") or time.time() > deadline:
            events = cf.describe_stack_events(StackName=stack_name)["StackEvents"]
            reasons = [e.get("ResourceStatusReason") for e in events if e.get("ResourceStatusReason")]
            raise SystemExit("stack %s ended %s: %s" % (stack_name, status, reasons[:5]))
        time.sleep(0.2)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--endpoint", required=True)
    parser.add_argument("--template", required=True)
    parser.add_argument("--stack", required=True)
    parser.add_argument("--region", default=os.environ.get("AWS_REGION", "eu-west-1"))
    args = parser.parse_args()

    original, cfn = translate(args.template, args.region)
    stack, index, functions = data_plane_stack(cfn)
    outputs = deploy(args.endpoint, args.region, args.stack, stack)

    resources = {}
    for logical, res in stack["Resources"].items():
        resources[logical] = {"type": res["Type"]}
    for key, value in outputs.items():
        kind, logical, field = index[key]
        if kind == "resource":
            resources[logical][field] = value
        else:
            functions[logical]["environment"][field] = value
    # a resource whose Condition is false was not created
    resources = {k: v for k, v in resources.items() if "ref" in v}
    complete_properties(args.endpoint, args.region, stack, resources)

    sam_functions = {k: v for k, v in original["Resources"].items()
                     if v.get("Type") == "AWS::Serverless::Function"}
    events_resolver = Resolver(original, parameter_values(original, {}))
    for logical, fn in sam_functions.items():
        if logical in functions:
            functions[logical]["events"] = function_events(fn, events_resolver)
            functions[logical]["codeUri"] = fn["Properties"].get("CodeUri")

    json.dump({"stackName": args.stack, "region": args.region,
               "resources": resources, "functions": functions}, sys.stdout, indent=1, sort_keys=True)
    sys.stdout.write("\n")


if __name__ == "__main__":
    main()
