#!/usr/bin/env python3
"""Create OpenEPRO's data-plane resources in a local AWS emulator FROM template.yaml.

The template is the single source of truth: this script transforms it with the SAM
translator (as CloudFormation would), keeps the data-plane resources (tables, queues,
topics, subscriptions, bucket, keys) and each function's execution role, and deploys that
stack to the emulator's own CloudFormation. Names come out generated, as on AWS. Each
function's environment variables are resolved against the created stack by turning them
into stack outputs, so the handlers get exactly the configuration Lambda would give them.

Each function's role comes back from the emulator's IAM with its inline policies resolved
against the created resources; the AWS managed policies SAM attaches are added from moto's
copy of them. The role is assumed (STS, session named after the function, as Lambda does)
and registered with the project's emulator (POST /_openepro/iam, moto_launcher.py), which
from then on checks every call signed with those credentials against those policies.

Prints one JSON document on stdout:
  {"stackName", "region", "iamEnforced", "resources": {LogicalId: {type, ref, arn?, name?}},
   "functions": {LogicalId: {handler, timeout, memorySize, environment, events, reservedConcurrency,
                             logFormat, applicationLogLevel,
                             credentials: {accessKeyId, secretAccessKey, sessionToken, roleArn, principalArn}}}}

Usage: local_stack.py --endpoint http://127.0.0.1:PORT --template template.yaml --stack NAME
"""
import argparse
import ast
import copy
import functools
import json
import os
import re
import sys
import time
import urllib.error
import urllib.request

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
    "AWS::IAM::Role": {"arn": "Arn"},
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


def function_roles(cfn):
    """{function logical id: role logical id} for every function whose role the template creates."""
    roles = {}
    for logical, res in cfn["Resources"].items():
        if res.get("Type") != "AWS::Lambda::Function":
            continue
        role = res.get("Properties", {}).get("Role")
        if isinstance(role, dict) and "Fn::GetAtt" in role:
            target = role["Fn::GetAtt"][0] if isinstance(role["Fn::GetAtt"], list) else role["Fn::GetAtt"].split(".")[0]
            if cfn["Resources"].get(target, {}).get("Type") == "AWS::IAM::Role":
                roles[logical] = target
    return roles


def maximum_concurrency(sqs_event):
    value = (sqs_event.get("ScalingConfig") or {}).get("MaximumConcurrency")
    return None if value is None else int(value)


def references(value):
    """Logical ids a template value refers to (Ref, GetAtt, ${X} and ${X.Attr} in Sub, not Sub's own variables)."""
    found = set()
    if isinstance(value, dict):
        for fn, arg in value.items():
            if fn == "Ref" and isinstance(arg, str):
                found.add(arg)
            elif fn == "Fn::GetAtt":
                found.add(arg[0] if isinstance(arg, list) else arg.split(".")[0])
            elif fn == "Fn::Sub":
                text, variables = (arg, {}) if isinstance(arg, str) else (arg[0], arg[1])
                names = {m.split(".")[0] for m in re.findall(r"\$\{([^}!]+)\}", text)}
                found.update(names - set(variables))
                found.update(references(variables))
            else:
                found.update(references(arg))
    elif isinstance(value, list):
        for v in value:
            found.update(references(v))
    return found


def role_resource(role, created):
    """The role as the emulator's CloudFormation can create it: statements naming a resource that is
    not created locally are left out (and reported), managed policies are applied from moto's copy."""
    role = copy.deepcopy(role)
    props = role["Properties"]
    props.pop("ManagedPolicyArns", None)
    props.pop("PermissionsBoundary", None)
    for policy in props.get("Policies", []):
        kept = []
        for statement in _statements(policy["PolicyDocument"]):
            missing = {r for r in references(statement) if not r.startswith("AWS::")} - created
            if missing:
                print("local_stack: %s: a statement of %s names %s, not created locally: left out, so its "
                      "calls are denied here" % (policy["PolicyName"], role.get("Type"), sorted(missing)),
                      file=sys.stderr)
                continue
            kept.append(statement)
        policy["PolicyDocument"] = dict(policy["PolicyDocument"], Statement=kept)
    return role


def _statements(document):
    statements = document.get("Statement", [])
    return [statements] if isinstance(statements, dict) else list(statements)


def decided_role(cfn, logical):
    """A role with the template's conditions decided for the stack's parameters (their defaults, as here):
    SAM writes a conditional policy as an Fn::If in Policies or ManagedPolicyArns."""
    return Resolver(cfn, parameter_values(cfn, {})).value(cfn["Resources"][logical])


def data_plane_stack(cfn):
    resources = {k: v for k, v in cfn["Resources"].items() if v.get("Type") in DATA_PLANE_TYPES}
    created = set(resources) | set(cfn.get("Parameters", {}))
    for role in set(function_roles(cfn).values()):
        resources[role] = role_resource(decided_role(cfn, role), created)
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


@functools.lru_cache(maxsize=1)
def _managed_policies():
    from moto.iam.aws_managed_policies import aws_managed_policies_data

    return json.loads(aws_managed_policies_data)  # several MB: parsed once


def managed_policy(arn):
    """An AWS managed policy's document, from moto's copy of AWS's managed policies."""
    name = arn.rsplit("/", 1)[-1]
    data = _managed_policies().get(name)
    if data is None:
        raise SystemExit("local_stack: no document for the managed policy %s" % arn)
    return data["Document"]


def enforce_roles(endpoint, region, stack_name, cfn, resources, functions):
    """Reads each function's role back, assumes it, registers it with the emulator; returns whether
    the emulator enforces IAM (False for an emulator without the project's launcher)."""
    iam = client("iam", endpoint, region)
    sts = client("sts", endpoint, region)
    registrations = []
    for function, role_logical in sorted(function_roles(cfn).items()):
        if function not in functions:
            continue
        role_name = resources[role_logical]["ref"]
        role_arn = resources[role_logical]["arn"]
        template_role = decided_role(cfn, role_logical)["Properties"]
        templates = {p["PolicyName"]: _statements(p["PolicyDocument"]) for p in template_role.get("Policies", [])}
        policies = []
        for name in iam.list_role_policies(RoleName=role_name)["PolicyNames"]:
            document = iam.get_role_policy(RoleName=role_name, PolicyName=name)["PolicyDocument"]
            if isinstance(document, str):
                # moto's CloudFormation stores a role's inline policy as the Python repr of the resolved dict
                document = ast.literal_eval(document) if document.startswith("{'") else json.loads(document)
            policies.append({"name": name, "statements": _statements(document),
                             "templateStatements": templates.get(name)})
        for arn in template_role.get("ManagedPolicyArns", []):
            if isinstance(arn, dict) and "Fn::Sub" in arn:  # "arn:${AWS::Partition}:iam::aws:policy/..."
                arn = arn["Fn::Sub"].replace("${AWS::Partition}", "aws")
            if not isinstance(arn, str) or ":iam::aws:policy/" not in arn:
                # a customer managed policy of the stack (e.g. DataKeyUsePolicy when DataKeyArn is given):
                # local stacks take the parameters' defaults, under which the template attaches none
                raise SystemExit("local_stack: %s attaches %s, a managed policy of the stack: not supported "
                                 "locally" % (function, json.dumps(arn)))
            policies.append({"name": arn.rsplit("/", 1)[-1], "managed": True,
                             "statements": _statements(managed_policy(arn))})
        assumed = sts.assume_role(RoleArn=role_arn, RoleSessionName=function)
        credentials = assumed["Credentials"]
        principal = assumed["AssumedRoleUser"]["Arn"]
        functions[function]["credentials"] = {
            "accessKeyId": credentials["AccessKeyId"], "secretAccessKey": credentials["SecretAccessKey"],
            "sessionToken": credentials["SessionToken"], "roleArn": role_arn, "principalArn": principal}
        registrations.append({"function": function, "roleArn": role_arn, "principalArn": principal,
                              "accessKeyId": credentials["AccessKeyId"], "policies": policies})
    request = urllib.request.Request(endpoint.rstrip("/") + "/_openepro/iam", method="POST",
                                     data=json.dumps({"stack": stack_name, "roles": registrations}).encode("utf-8"),
                                     headers={"Content-Type": "application/json"})
    try:
        with urllib.request.urlopen(request, timeout=30) as response:
            return response.status == 200
    except urllib.error.HTTPError as e:
        if project_emulator(endpoint):
            raise SystemExit("local_stack: registering the roles failed: HTTP %d %s" % (e.code, e.read()[:500]))
        print("local_stack: this emulator does not enforce IAM (not the project's moto_launcher.py): "
              "functions' calls are not checked against their roles", file=sys.stderr)
        return False


def project_emulator(endpoint):
    """Whether the emulator is the project's launcher (answers GET /_openepro/stats), not plain moto or LocalStack."""
    try:
        with urllib.request.urlopen(endpoint.rstrip("/") + "/_openepro/stats", timeout=10) as response:
            return response.status == 200 and "iam" in json.loads(response.read())
    except (urllib.error.URLError, ValueError):
        return False


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

    iam_enforced = enforce_roles(args.endpoint, args.region, args.stack, cfn, resources, functions)

    sam_functions = {k: v for k, v in original["Resources"].items()
                     if v.get("Type") == "AWS::Serverless::Function"}
    events_resolver = Resolver(original, parameter_values(original, {}))
    for logical, fn in sam_functions.items():
        if logical in functions:
            functions[logical]["events"] = function_events(fn, events_resolver)
            functions[logical]["codeUri"] = fn["Properties"].get("CodeUri")

    json.dump({"stackName": args.stack, "region": args.region, "iamEnforced": iam_enforced,
               "resources": resources, "functions": functions}, sys.stdout, indent=1, sort_keys=True)
    sys.stdout.write("\n")


if __name__ == "__main__":
    main()
