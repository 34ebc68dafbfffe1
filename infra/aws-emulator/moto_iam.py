"""IAM as the template grants it, enforced in front of moto.

moto checks no permission. This WSGI middleware does, for requests signed with a function's own
credentials: it derives the IAM action(s) and resource ARN(s) of each request as AWS authorizes them,
evaluates them against that function's role policies (the template's, as translated by SAM and
resolved by the emulator's CloudFormation, plus the AWS managed policies SAM attaches), and answers a
denied call with the error its protocol returns for AccessDenied, so the SDK throws what it throws on
AWS. Requests signed with any other key (the tests' admin key) pass unchecked.

Roles are registered by local_stack.py with POST /_openepro/iam after it has created a stack:
  {"stack": NAME, "roles": [{"function", "roleArn", "principalArn", "accessKeyId",
                             "policies": [{"name", "managed", "statements", "templateStatements"}]}]}
With a state directory (moto_launcher.py --iam-state DIR) it keeps, for the least-privilege report:
  roles.jsonl    each registered role, with the template's form of each statement
  usage.jsonl    each (function, grant) an allowed call used, once, with one example call
  denied.log     one line per denied call: function, action, resource, principal

What is evaluated: Allow and Deny, Action and NotAction, Resource and NotResource, `*` and `?`
wildcards (actions case-insensitively), and conditions on the keys this side knows (CONTEXT_KEYS:
kms:ViaService for the key use a service makes on the caller's behalf, aws:SecureTransport as
deployed, aws:RequestedRegion, aws:PrincipalArn, aws:PrincipalAccount) with the String, Arn and Bool
operators (and their IfExists forms). What is not: a condition on any other key or with another
operator (an Allow with one is taken as not matching and a Deny with one as matching, so an
unevaluated condition can only refuse, and the denial says so), resource-based policies (queue, topic, bucket and key policies: within one
account an identity-based allow suffices, except that a key policy must let IAM policies work, which
the template's does), permission boundaries and SCPs (the template has none), and signatures (the
access key id decides the caller; moto checks no signature either).
"""
import fnmatch
import io
import json
import re
import sys
import threading
import time
import uuid
from urllib.parse import parse_qs, unquote, urlsplit

ACCOUNT_FALLBACK = "123456789012"


# ---------------------------------------------------------------------------------------- policies

class Statement:
    """One policy statement, normalised: lists everywhere, the grant keys the report counts."""

    def __init__(self, policy, index, raw):
        self.policy = policy
        self.index = index
        self.effect = raw.get("Effect", "Deny")
        self.actions = _as_list(raw.get("Action"))
        self.not_actions = _as_list(raw.get("NotAction"))
        self.resources = _as_list(raw.get("Resource"))
        self.not_resources = _as_list(raw.get("NotResource"))
        self.condition = raw.get("Condition") or None

    def action_match(self, action):
        """The pattern of this statement that covers the action, or None."""
        if self.actions is not None:
            for pattern in self.actions:
                if _glob(pattern.lower(), action.lower()):
                    return pattern
            return None
        if self.not_actions is not None:
            if any(_glob(p.lower(), action.lower()) for p in self.not_actions):
                return None
            return "NotAction"
        return None

    def resource_match(self, resource):
        if self.resources is not None:
            for i, pattern in enumerate(self.resources):
                if _glob(pattern, resource):
                    return i
            return None
        if self.not_resources is not None:
            if any(_glob(p, resource) for p in self.not_resources):
                return None
            return -1
        return None


class Role:
    """A function's role: who it is and what its policies say."""

    def __init__(self, stack, spec):
        self.stack = stack
        self.function = spec["function"]
        self.role_arn = spec["roleArn"]
        self.principal_arn = spec.get("principalArn") or spec["roleArn"]
        self.access_key_id = spec["accessKeyId"]
        arn_parts = self.role_arn.split(":")
        self.account = arn_parts[4] if len(arn_parts) > 4 and arn_parts[4] else ACCOUNT_FALLBACK
        self.statements = []
        for policy in spec.get("policies", []):
            for i, raw in enumerate(policy.get("statements", [])):
                self.statements.append(Statement(policy["name"], i, raw))


class Decision:
    def __init__(self, allowed, grants, explicit_deny, unevaluated):
        self.allowed = allowed
        self.grants = grants  # [(policy, statement, action pattern, resource index)] that allowed it
        self.explicit_deny = explicit_deny
        self.unevaluated = unevaluated  # condition keys an Allow or a Deny carried


def evaluate(role, action, resource, context=None):
    """IAM's identity-policy logic: an explicit Deny wins, else some Allow must match, else denied.

    `context` holds the request's condition keys this side can know (see CONTEXT_KEYS); a key of
    CONTEXT_KEYS missing from it is absent from the request."""
    context = context or {}
    grants = []
    denied = False
    unevaluated = []
    for s in role.statements:
        pattern = s.action_match(action)
        if pattern is None:
            continue
        resource_index = s.resource_match(resource)
        if resource_index is None:
            continue
        if s.condition:
            holds = condition_holds(s.condition, context)
            if holds is None:
                unevaluated.extend(sorted(_condition_keys(s.condition)))
                holds = s.effect == "Deny"  # what cannot be evaluated can only refuse
            if not holds:
                continue
        if s.effect == "Deny":
            denied = True
        elif s.effect == "Allow":
            grants.append((s.policy, s.index, pattern, resource_index))
    return Decision(bool(grants) and not denied, grants, denied, unevaluated)


CONTEXT_KEYS = {"kms:viaservice", "aws:securetransport", "aws:requestedregion", "aws:principalarn",
                "aws:principalaccount"}


def request_context(role, region, via_service=None):
    context = {"aws:securetransport": "true",  # every deployed call is HTTPS; the emulator's plain HTTP is local
               "aws:requestedregion": region, "aws:principalarn": role.role_arn,
               "aws:principalaccount": role.account}
    if via_service:
        context["kms:viaservice"] = "%s.%s.amazonaws.com" % (via_service, region)
    return context


def condition_holds(condition, context):
    """True or False for a condition block on known keys with supported operators; None otherwise."""
    for operator, block in condition.items():
        if not isinstance(block, dict) or ":" in operator:  # ForAnyValue:/ForAllValues: sets: not here
            return None
        if_exists = operator.endswith("IfExists")
        base = operator[:-len("IfExists")] if if_exists else operator
        test = _OPERATORS.get(base)
        if test is None:
            return None
        negated = "Not" in base
        for key, wanted in block.items():
            key = key.lower()
            if key not in CONTEXT_KEYS:
                return None
            wanted = [str(w).lower() if isinstance(w, bool) else str(w) for w in _as_list(wanted)]
            actual = context.get(key)
            if actual is None:
                if if_exists or negated:
                    continue
                return False
            matched = any(test(w, actual) for w in wanted)
            if matched == negated:
                return False
    return True


_OPERATORS = {
    "StringEquals": lambda w, a: w == a,
    "StringNotEquals": lambda w, a: w == a,
    "StringEqualsIgnoreCase": lambda w, a: w.lower() == a.lower(),
    "StringNotEqualsIgnoreCase": lambda w, a: w.lower() == a.lower(),
    "StringLike": lambda w, a: _glob(w, a),
    "StringNotLike": lambda w, a: _glob(w, a),
    "ArnEquals": lambda w, a: w == a,
    "ArnNotEquals": lambda w, a: w == a,
    "ArnLike": lambda w, a: _glob(w, a),
    "ArnNotLike": lambda w, a: _glob(w, a),
    "Bool": lambda w, a: w.lower() == a.lower(),
}


def denial_message(role, action, resource, decision):
    reason = ("with an explicit deny in an identity-based policy" if decision.explicit_deny
              else "because no identity-based policy allows the %s action" % action)
    text = "User: %s is not authorized to perform: %s on resource: %s %s" % (
        role.principal_arn, action, resource, reason)
    if decision.unevaluated:
        text += " (conditions not evaluated by the local emulator: %s)" % ", ".join(sorted(set(decision.unevaluated)))
    return text


def _condition_keys(condition):
    keys = set()
    for operator_block in condition.values():
        if isinstance(operator_block, dict):
            keys.update(operator_block.keys())
    return keys


def _as_list(value):
    if value is None:
        return None
    return [value] if isinstance(value, str) else list(value)


_GLOB_CACHE = {}


def _glob(pattern, value):
    """IAM wildcards: `*` any run of characters, `?` one; nothing else is special."""
    regex = _GLOB_CACHE.get(pattern)
    if regex is None:
        regex = re.compile("".join(".*" if c == "*" else "." if c == "?" else re.escape(c) for c in pattern)
                           + r"\Z", re.DOTALL)
        _GLOB_CACHE[pattern] = regex
    return regex.match(value) is not None


# ---------------------------------------------------------------------------------------- requests

class Call:
    """One IAM authorization a request needs: action on resource."""

    __slots__ = ("action", "resource", "via")

    def __init__(self, action, resource, via=None):
        self.action = action
        self.resource = resource
        self.via = via  # the service using a key on the caller's behalf (kms:ViaService; its own error code)

    @property
    def kms(self):
        return self.via is not None

    def __repr__(self):
        return "%s on %s" % (self.action, self.resource)


def credential_of(environ):
    """(access key id, region, service) from the SigV4 Authorization header or a presigned query."""
    auth = environ.get("HTTP_AUTHORIZATION", "")
    match = re.search(r"Credential=([^/,\s]+)/\d{8}/([^/]+)/([^/]+)/aws4_request", auth)
    if match:
        return match.group(1), match.group(2), match.group(3)
    query = parse_qs(environ.get("QUERY_STRING", ""), keep_blank_values=True)
    credential = (query.get("X-Amz-Credential") or [None])[0]
    if credential:
        parts = unquote(credential).split("/")
        if len(parts) >= 5:
            return parts[0], parts[2], parts[3]
    legacy = (query.get("AWSAccessKeyId") or [None])[0]
    if legacy:
        return legacy, None, "s3"
    return None, None, None


class Request:
    """What the middleware needs of one WSGI request, its body read once and handed on to moto."""

    def __init__(self, environ, service, region, account, read_body):
        self.environ = environ
        self.service = service
        self.region = region or "us-east-1"
        self.account = account
        self.method = environ.get("REQUEST_METHOD", "GET")
        self.path = environ.get("PATH_INFO", "/")
        self.query = parse_qs(environ.get("QUERY_STRING", ""), keep_blank_values=True)
        self.target = environ.get("HTTP_X_AMZ_TARGET", "")
        self.content_type = environ.get("CONTENT_TYPE", "")
        self.body = b""
        if read_body:
            length = int(environ.get("CONTENT_LENGTH") or 0)
            self.body = environ["wsgi.input"].read(length) if length else b""
            environ["wsgi.input"] = io.BytesIO(self.body)
            environ["CONTENT_LENGTH"] = str(len(self.body))

    def json(self):
        try:
            return json.loads(self.body or b"{}")
        except ValueError:
            return {}

    def form(self):
        params = {k: v[0] for k, v in self.query.items()}
        if "x-www-form-urlencoded" in self.content_type and self.body:
            params.update({k: v[0] for k, v in parse_qs(self.body.decode("utf-8"), keep_blank_values=True).items()})
        return params

    @property
    def is_json(self):
        return bool(self.target)


def _table_arn(req, name, index=None):
    arn = name if name.startswith("arn:") else "arn:aws:dynamodb:%s:%s:table/%s" % (req.region, req.account, name)
    return arn + "/index/" + index if index else arn


DYNAMODB_TRANSACT = {"Put": "dynamodb:PutItem", "Update": "dynamodb:UpdateItem", "Delete": "dynamodb:DeleteItem",
                     "ConditionCheck": "dynamodb:ConditionCheckItem", "Get": "dynamodb:GetItem"}


def dynamodb_calls(req):
    operation = req.target.split(".")[-1]
    body = req.json()
    action = "dynamodb:" + operation
    if operation in ("TransactWriteItems", "TransactGetItems"):
        calls = []
        for item in body.get("TransactItems", []):
            for kind, op in item.items():
                calls.append(Call(DYNAMODB_TRANSACT.get(kind, "dynamodb:" + kind), _table_arn(req, op.get("TableName", ""))))
        return calls
    if operation in ("BatchGetItem", "BatchWriteItem"):
        return [Call(action, _table_arn(req, table)) for table in body.get("RequestItems", {})]
    if "TableName" in body:
        return [Call(action, _table_arn(req, body["TableName"], body.get("IndexName")))]
    if "ResourceArn" in body:
        return [Call(action, body["ResourceArn"])]
    return [Call(action, "*")]


SQS_BATCH = {"SendMessageBatch": "SendMessage", "DeleteMessageBatch": "DeleteMessage",
             "ChangeMessageVisibilityBatch": "ChangeMessageVisibility"}


def _queue_arn(req, url=None, name=None, owner=None):
    if url:
        parts = [p for p in urlsplit(url).path.split("/") if p]
        if len(parts) >= 2:
            owner, name = parts[-2], parts[-1]
    return "arn:aws:sqs:%s:%s:%s" % (req.region, owner or req.account, name)


def sqs_calls(req):
    params = req.json() if req.is_json else req.form()
    operation = req.target.split(".")[-1] if req.is_json else params.get("Action", "")
    action = "sqs:" + SQS_BATCH.get(operation, operation)
    url = params.get("QueueUrl")
    if not url and req.path.strip("/").count("/") == 1:  # query protocol: the queue URL is the path
        url = req.path
    if url:
        return [Call(action, _queue_arn(req, url=url))]
    if params.get("QueueName"):
        return [Call(action, _queue_arn(req, name=params["QueueName"], owner=params.get("QueueOwnerAWSAccountId")))]
    return [Call(action, "*")]


def sns_calls(req):
    params = req.json() if req.is_json else req.form()
    operation = req.target.split(".")[-1] if req.is_json else params.get("Action", "")
    action = "sns:" + ("Publish" if operation == "PublishBatch" else operation)
    topic = params.get("TopicArn") or params.get("TargetArn") or params.get("ResourceArn")
    if not topic and params.get("SubscriptionArn"):
        topic = params["SubscriptionArn"].rsplit(":", 1)[0]
    if not topic and operation == "CreateTopic" and params.get("Name"):
        topic = "arn:aws:sns:%s:%s:%s" % (req.region, req.account, params["Name"])
    return [Call(action, topic or "*")]


def kms_calls(req):
    operation = req.target.split(".")[-1]
    body = req.json()
    key = body.get("KeyId") or body.get("TargetKeyId")
    return [Call("kms:" + operation, _key_arn(req, key) if key else "*")]


def _key_arn(req, key_id):
    try:
        from moto.kms.models import kms_backends

        backend = kms_backends[req.account][req.region]
        return backend.keys[backend.any_id_to_key_id(key_id)].arn
    except Exception:  # noqa: E722 an unknown key: the ARN as AWS would spell it
        if key_id.startswith("arn:"):
            return key_id
        return "arn:aws:kms:%s:%s:key/%s" % (req.region, req.account, key_id)


S3_BUCKET_GET = {"uploads": "ListBucketMultipartUploads", "versions": "ListBucketVersions",
                 "location": "GetBucketLocation", "lifecycle": "GetLifecycleConfiguration",
                 "encryption": "GetEncryptionConfiguration", "policy": "GetBucketPolicy", "acl": "GetBucketAcl",
                 "tagging": "GetBucketTagging", "publicAccessBlock": "GetBucketPublicAccessBlock",
                 "versioning": "GetBucketVersioning", "cors": "GetBucketCORS", "logging": "GetBucketLogging",
                 "notification": "GetBucketNotification", "website": "GetBucketWebsite",
                 "ownershipControls": "GetBucketOwnershipControls", "object-lock": "GetBucketObjectLockConfiguration"}
S3_BUCKET_PUT = {"lifecycle": "PutLifecycleConfiguration", "encryption": "PutEncryptionConfiguration",
                 "policy": "PutBucketPolicy", "acl": "PutBucketAcl", "tagging": "PutBucketTagging",
                 "publicAccessBlock": "PutBucketPublicAccessBlock", "versioning": "PutBucketVersioning",
                 "cors": "PutBucketCORS", "logging": "PutBucketLogging", "notification": "PutBucketNotification",
                 "website": "PutBucketWebsite", "ownershipControls": "PutBucketOwnershipControls"}
S3_OBJECT_GET = {"tagging": "GetObjectTagging", "acl": "GetObjectAcl", "attributes": "GetObjectAttributes",
                 "retention": "GetObjectRetention", "legal-hold": "GetObjectLegalHold"}
S3_OBJECT_PUT = {"tagging": "PutObjectTagging", "acl": "PutObjectAcl", "retention": "PutObjectRetention",
                 "legal-hold": "PutObjectLegalHold"}


def s3_location(req):
    """(bucket, key) of a path-style or virtual-hosted request."""
    host = req.environ.get("HTTP_HOST", "").split(":")[0]
    virtual = re.match(r"^(.+)\.s3[.-]", host)
    path = unquote(req.path)
    if virtual:
        return virtual.group(1), path.lstrip("/")
    parts = path.lstrip("/").split("/", 1)
    return (parts[0] or None), (parts[1] if len(parts) > 1 else "")


def s3_calls(req):
    bucket, key = s3_location(req)
    q = req.query
    if not bucket:
        return [Call("s3:ListAllMyBuckets", "*")]
    bucket_arn = "arn:aws:s3:::" + bucket
    if not key:
        sub = next((s for s in q if s in S3_BUCKET_GET or s in S3_BUCKET_PUT or s == "delete"), None)
        if req.method in ("GET", "HEAD"):
            return [Call("s3:" + S3_BUCKET_GET.get(sub, "ListBucket"), bucket_arn)]
        if req.method == "PUT":
            return [Call("s3:" + S3_BUCKET_PUT.get(sub, "CreateBucket"), bucket_arn)]
        if req.method == "POST" and "delete" in q:
            keys = re.findall(rb"<Key>(.*?)</Key>", req.body)
            return [Call("s3:DeleteObject", "%s/%s" % (bucket_arn, _xml_text(k))) for k in keys] or \
                [Call("s3:DeleteObject", bucket_arn + "/*")]
        if req.method == "DELETE":
            return [Call("s3:DeleteBucket" if not sub else "s3:" + S3_BUCKET_PUT.get(sub, "PutBucket")
                         .replace("Put", "Delete", 1), bucket_arn)]
        return [Call("s3:" + req.method.title() + "Bucket", bucket_arn)]
    object_arn = "%s/%s" % (bucket_arn, key)
    sub = next((s for s in q if s in S3_OBJECT_GET or s in S3_OBJECT_PUT), None)
    if req.method in ("GET", "HEAD"):
        if "uploadId" in q:
            return [Call("s3:ListMultipartUploadParts", object_arn)]
        return [Call("s3:" + S3_OBJECT_GET.get(sub, "GetObject"), object_arn)]
    if req.method == "PUT":
        if sub:
            return [Call("s3:" + S3_OBJECT_PUT[sub], object_arn)]
        calls = [Call("s3:PutObject", object_arn)]  # a part of a multipart upload is a PutObject too
        source = req.environ.get("HTTP_X_AMZ_COPY_SOURCE")
        if source:
            calls.append(Call("s3:GetObject", "arn:aws:s3:::" + unquote(source.split("?")[0]).lstrip("/")))
        return calls
    if req.method == "POST":  # CreateMultipartUpload (?uploads), CompleteMultipartUpload (?uploadId)
        return [Call("s3:PutObject", object_arn)]
    if req.method == "DELETE":
        if "uploadId" in q:
            return [Call("s3:AbortMultipartUpload", object_arn)]
        if sub == "tagging":
            return [Call("s3:DeleteObjectTagging", object_arn)]
        return [Call("s3:DeleteObject", object_arn)]
    return [Call("s3:" + req.method.title() + "Object", object_arn)]


def _xml_text(raw):
    return raw.decode("utf-8").replace("&lt;", "<").replace("&gt;", ">").replace("&quot;", '"') \
        .replace("&apos;", "'").replace("&amp;", "&")


SERVICE_PREFIX = {"monitoring": "cloudwatch", "email": "ses", "execute-api": "execute-api"}


def generic_calls(req):
    params = req.json() if req.is_json else req.form()
    operation = req.target.split(".")[-1] if req.is_json else params.get("Action", req.method)
    return [Call("%s:%s" % (SERVICE_PREFIX.get(req.service, req.service), operation), "*")]


DERIVERS = {"dynamodb": dynamodb_calls, "sqs": sqs_calls, "sns": sns_calls, "kms": kms_calls, "s3": s3_calls}


def calls_of(req):
    if req.service == "sts" and (req.form().get("Action") == "GetCallerIdentity"
                                 or req.target.endswith("GetCallerIdentity")):
        return []  # needs no permission on AWS
    return DERIVERS.get(req.service, generic_calls)(req)


def needs_body(service, environ):
    if service == "s3":  # object bodies are streamed to moto untouched; only DeleteObjects lists keys
        return environ.get("REQUEST_METHOD") == "POST" and "delete" in environ.get("QUERY_STRING", "")
    return True


# ----------------------------------------------------------- key uses the service makes for the caller

def kms_calls_for(req, calls):
    """KMS permissions a call needs because the resource is encrypted with a customer managed key."""
    extra = []
    for call in calls:
        try:
            key = None
            if call.action == "sns:Publish" and call.resource.startswith("arn:aws:sns:"):
                from moto.sns.models import sns_backends

                topic = sns_backends[req.account][req.region].topics.get(call.resource)
                key = topic.kms_master_key_id if topic else None
                wanted = ("kms:GenerateDataKey", "kms:Decrypt")
            elif call.action in ("sqs:SendMessage", "sqs:ReceiveMessage") and call.resource.startswith("arn:aws:sqs:"):
                from moto.sqs.models import sqs_backends

                queue = sqs_backends[req.account][req.region].queues.get(call.resource.rsplit(":", 1)[1])
                key = getattr(queue, "kms_master_key_id", None) if queue else None
                wanted = ("kms:GenerateDataKey", "kms:Decrypt") if call.action == "sqs:SendMessage" \
                    else ("kms:Decrypt",)
            elif call.action in ("s3:PutObject", "s3:GetObject") and call.resource.startswith("arn:aws:s3:::"):
                key, wanted = _s3_kms_key(req, call)
            if not key or _aws_managed(req, key):
                continue
            arn = _key_arn(req, key)
            extra.extend(Call(action, arn, via=call.action.split(":")[0]) for action in wanted)
        except Exception:  # noqa: E722 the resource does not exist (moto answers that itself)
            continue
    return extra


def _s3_kms_key(req, call):
    from moto.s3.models import s3_backends

    bucket_name, _, key_name = call.resource[len("arn:aws:s3:::"):].partition("/")
    backend = s3_backends[req.account]["aws"]
    bucket = backend.buckets.get(bucket_name)
    if bucket is None:
        return None, ()
    if call.action == "s3:PutObject":
        sse = req.environ.get("HTTP_X_AMZ_SERVER_SIDE_ENCRYPTION")
        key = req.environ.get("HTTP_X_AMZ_SERVER_SIDE_ENCRYPTION_AWS_KMS_KEY_ID")
        if sse is None and bucket.encryption:
            rule = bucket.encryption.get("Rule", {}).get("ApplyServerSideEncryptionByDefault", {})
            sse, key = rule.get("SSEAlgorithm"), rule.get("KMSMasterKeyID")
        if sse in ("aws:kms", "aws:kms:dsse"):
            return key or "alias/aws/s3", ("kms:GenerateDataKey",)
        return None, ()
    stored = bucket.keys.get(key_name)
    if stored is not None and getattr(stored, "encryption", None) in ("aws:kms", "aws:kms:dsse"):
        return stored.kms_key_id or "alias/aws/s3", ("kms:Decrypt",)
    return None, ()


def _aws_managed(req, key):
    """AWS managed keys (alias/aws/...) let every principal of the account use them through the service."""
    if key.startswith("alias/aws/") or ":alias/aws/" in key:
        return True
    try:
        from moto.kms.models import kms_backends

        backend = kms_backends[req.account][req.region]
        return backend.keys[backend.any_id_to_key_id(key)].key_manager == "AWS"
    except Exception:  # noqa: E722
        return False


# ------------------------------------------------------------------------------- error responses

def denied_response(req, call, message):
    request_id = str(uuid.uuid4())
    service = req.service
    if service == "s3":
        body = ("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<Error><Code>AccessDenied</Code><Message>%s</Message>"
                "<RequestId>%s</RequestId><HostId>%s</HostId></Error>" % (_xml(message), request_id, request_id))
        return "403 Forbidden", [("Content-Type", "application/xml"), ("x-amz-request-id", request_id)], \
            b"" if req.method == "HEAD" else body.encode("utf-8")
    if service == "sns" and not req.is_json:
        code, status = ("KMSAccessDenied", "400 Bad Request") if call.kms else ("AuthorizationError", "403 Forbidden")
        body = ("<ErrorResponse xmlns=\"http://sns.amazonaws.com/doc/2010-03-31/\"><Error><Type>Sender</Type>"
                "<Code>%s</Code><Message>%s</Message></Error><RequestId>%s</RequestId></ErrorResponse>"
                % (code, _xml(message), request_id))
        return status, [("Content-Type", "text/xml"), ("x-amzn-RequestId", request_id)], body.encode("utf-8")
    if service == "sqs":
        if call.kms:
            error_type, query_error, status = "com.amazonaws.sqs#KmsAccessDenied", "KMS.AccessDeniedException", "400 Bad Request"
        else:
            error_type, query_error, status = "com.amazon.coral.service#AccessDeniedException", "AccessDenied", "403 Forbidden"
        if req.is_json:
            return status, [("Content-Type", "application/x-amz-json-1.0"), ("x-amzn-RequestId", request_id),
                            ("x-amzn-query-error", query_error + ";Sender")], \
                json.dumps({"__type": error_type, "message": message}).encode("utf-8")
        body = ("<ErrorResponse><Error><Type>Sender</Type><Code>%s</Code><Message>%s</Message></Error>"
                "<RequestId>%s</RequestId></ErrorResponse>" % (query_error, _xml(message), request_id))
        return status, [("Content-Type", "text/xml")], body.encode("utf-8")
    if req.is_json:
        error_type = "com.amazon.coral.service#AccessDeniedException" if service == "dynamodb" else "AccessDeniedException"
        return "400 Bad Request", [("Content-Type", "application/x-amz-json-1.0" if service == "dynamodb"
                                    else "application/x-amz-json-1.1"),
                                   ("x-amzn-RequestId", request_id), ("x-amzn-ErrorType", "AccessDeniedException")], \
            json.dumps({"__type": error_type, "Message": message, "message": message}).encode("utf-8")
    body = ("<ErrorResponse><Error><Type>Sender</Type><Code>AccessDenied</Code><Message>%s</Message></Error>"
            "<RequestId>%s</RequestId></ErrorResponse>" % (_xml(message), request_id))
    return "403 Forbidden", [("Content-Type", "text/xml")], body.encode("utf-8")


def _xml(text):
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace('"', "&quot;")


# ------------------------------------------------------------------------------------ middleware

class IamEnforcement:
    """WSGI middleware: function-signed requests face their role's policies; others pass to moto."""

    def __init__(self, app, state_dir=None):
        self.app = app
        self.roles = {}  # access key id -> Role
        self.lock = threading.Lock()
        self.state_dir = state_dir
        self.used = set()  # (stack, function, policy, statement, action pattern, resource index)
        self.counts = {"allowed": 0, "denied": 0, "roles": 0}
        self.calls = {}  # (stack, function) -> {"allowed": n, "denied": n, "actions": {action, ...}}

    # registration
    def register(self, payload):
        stack = payload.get("stack", "")
        roles = [Role(stack, spec) for spec in payload.get("roles", [])]
        with self.lock:
            for role in roles:
                self.roles[role.access_key_id] = role
            self.counts["roles"] += len(roles)
            if self.state_dir:
                with open(self._state("roles.jsonl"), "a", encoding="utf-8") as out:
                    for spec in payload.get("roles", []):
                        out.write(json.dumps({"stack": stack, "function": spec["function"],
                                              "roleArn": spec["roleArn"],
                                              "policies": [{"name": p["name"], "managed": p.get("managed", False),
                                                            "templateStatements": p.get("templateStatements")
                                                            or p.get("statements")}
                                                           for p in spec.get("policies", [])]},
                                             sort_keys=True) + "\n")
        return len(roles)

    def stats(self):
        with self.lock:
            return dict(self.counts, registeredKeys=len(self.roles))

    def calls_of_stack(self, stack):
        """What each function of a stack called with its own credentials: allowed and denied counts, actions."""
        with self.lock:
            return {function: {"allowed": c["allowed"], "denied": c["denied"], "actions": sorted(c["actions"])}
                    for (s, function), c in self.calls.items() if s == stack}

    def _count(self, role, call, outcome):
        counts = self.calls.setdefault((role.stack, role.function), {"allowed": 0, "denied": 0, "actions": set()})
        counts[outcome] += 1
        counts["actions"].add(call.action)

    def _state(self, name):
        import os

        return os.path.join(self.state_dir, name)

    # the check
    def __call__(self, environ, start_response):
        key, region, service = credential_of(environ)
        role = self.roles.get(key) if key else None
        if role is None:
            return self.app(environ, start_response)
        req = Request(environ, service, region, role.account, needs_body(service, environ))
        calls = calls_of(req)
        calls += kms_calls_for(req, calls)
        for call in calls:
            decision = evaluate(role, call.action, call.resource, request_context(role, req.region, call.via))
            if not decision.allowed:
                message = denial_message(role, call.action, call.resource, decision)
                self._denied(role, call, message)
                status, headers, body = denied_response(req, call, message)
                headers.append(("Content-Length", str(len(body))))
                start_response(status, headers)
                return [body]
            self._allowed(role, call, decision)
        return self.app(environ, start_response)

    def _denied(self, role, call, message):
        line = "%s DENIED function=%s stack=%s action=%s resource=%s principal=%s" % (
            time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()), role.function, role.stack, call.action,
            call.resource, role.principal_arn)
        print("openepro-iam: " + message, file=sys.stderr, flush=True)
        with self.lock:
            self.counts["denied"] += 1
            self._count(role, call, "denied")
            if self.state_dir:
                with open(self._state("denied.log"), "a", encoding="utf-8") as out:
                    out.write(line + "\n")

    def _allowed(self, role, call, decision):
        fresh = []
        with self.lock:
            self.counts["allowed"] += 1
            self._count(role, call, "allowed")
            for policy, statement, pattern, resource_index in decision.grants:
                grant = (role.stack, role.function, policy, statement, pattern, resource_index)
                if grant not in self.used:
                    self.used.add(grant)
                    fresh.append(grant)
            if fresh and self.state_dir:
                with open(self._state("usage.jsonl"), "a", encoding="utf-8") as out:
                    for stack, function, policy, statement, pattern, resource_index in fresh:
                        out.write(json.dumps({"stack": stack, "function": function, "policy": policy,
                                              "statement": statement, "action": pattern, "resource": resource_index,
                                              "example": {"action": call.action, "resource": call.resource}},
                                             sort_keys=True) + "\n")
