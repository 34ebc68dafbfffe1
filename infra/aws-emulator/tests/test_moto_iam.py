"""Unit tests of moto_iam: policy evaluation and the action and resource each request needs.

Run: .venv/bin/python -m unittest discover -s infra/aws-emulator/tests  (make test runs them)
"""
import io
import json
import os
import sys
import unittest

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))

import moto_iam  # noqa: E402

ACCOUNT = "123456789012"
TABLE = "arn:aws:dynamodb:eu-west-1:%s:table/stack-ReportsTable-ABC" % ACCOUNT


def role(*statements, name="Policy0"):
    return moto_iam.Role("stack", {
        "function": "SubmitReportFunction", "accessKeyId": "ASIAFUNCTION",
        "roleArn": "arn:aws:iam::%s:role/stack-SubmitReportFunctionRole-X" % ACCOUNT,
        "principalArn": "arn:aws:sts::%s:assumed-role/stack-SubmitReportFunctionRole-X/SubmitReportFunction" % ACCOUNT,
        "policies": [{"name": name, "statements": list(statements)}]})


def allow(action, resource, **extra):
    return dict({"Effect": "Allow", "Action": action, "Resource": resource}, **extra)


def request(service, method="POST", path="/", query="", body=b"", target=None, content_type=None, headers=None):
    environ = {"REQUEST_METHOD": method, "PATH_INFO": path, "QUERY_STRING": query,
               "CONTENT_LENGTH": str(len(body)), "wsgi.input": io.BytesIO(body),
               "HTTP_HOST": "127.0.0.1:5000"}
    if target:
        environ["HTTP_X_AMZ_TARGET"] = target
    if content_type:
        environ["CONTENT_TYPE"] = content_type
    environ.update(headers or {})
    return moto_iam.Request(environ, service, "eu-west-1", ACCOUNT, True)


def calls(req):
    return [(c.action, c.resource) for c in moto_iam.calls_of(req)]


class EvaluationTest(unittest.TestCase):

    def test_an_action_no_statement_names_is_denied_with_the_reason_aws_gives(self):
        r = role(allow(["dynamodb:GetItem"], TABLE))
        decision = moto_iam.evaluate(r, "dynamodb:Scan", TABLE)
        self.assertFalse(decision.allowed)
        self.assertEqual(
            moto_iam.denial_message(r, "dynamodb:Scan", TABLE, decision),
            "User: arn:aws:sts::123456789012:assumed-role/stack-SubmitReportFunctionRole-X/SubmitReportFunction "
            "is not authorized to perform: dynamodb:Scan on resource: " + TABLE
            + " because no identity-based policy allows the dynamodb:Scan action")

    def test_action_wildcards_match_case_insensitively_and_resource_wildcards_exactly(self):
        r = role(allow("sqs:SendMessage*", "arn:aws:sqs:eu-west-1:%s:stack-IndexQueue-?BC" % ACCOUNT),
                 allow("dynamodb:query", TABLE + "/index/*"))
        self.assertTrue(moto_iam.evaluate(r, "sqs:SendMessage", "arn:aws:sqs:eu-west-1:%s:stack-IndexQueue-ABC" % ACCOUNT).allowed)
        self.assertFalse(moto_iam.evaluate(r, "sqs:SendMessage", "arn:aws:sqs:eu-west-1:%s:stack-IndexQueue-AABC" % ACCOUNT).allowed)
        self.assertTrue(moto_iam.evaluate(r, "dynamodb:Query", TABLE + "/index/outbox").allowed)
        self.assertFalse(moto_iam.evaluate(r, "dynamodb:Query", TABLE).allowed, "the table itself is not its index")
        self.assertFalse(moto_iam.evaluate(r, "dynamodb:Query", TABLE.lower() + "/index/outbox").allowed)

    def test_an_explicit_deny_wins_over_any_allow(self):
        r = role(allow("dynamodb:*", "*"), {"Effect": "Deny", "Action": "dynamodb:DeleteItem", "Resource": TABLE})
        decision = moto_iam.evaluate(r, "dynamodb:DeleteItem", TABLE)
        self.assertFalse(decision.allowed)
        self.assertIn("with an explicit deny", moto_iam.denial_message(r, "dynamodb:DeleteItem", TABLE, decision))
        self.assertTrue(moto_iam.evaluate(r, "dynamodb:PutItem", TABLE).allowed)

    def test_not_action_and_not_resource_grant_everything_else(self):
        r = role({"Effect": "Allow", "NotAction": "s3:DeleteObject", "Resource": "arn:aws:s3:::bucket/*"},
                 {"Effect": "Allow", "Action": "sns:Publish", "NotResource": "arn:aws:sns:eu-west-1:%s:secret" % ACCOUNT})
        self.assertTrue(moto_iam.evaluate(r, "s3:GetObject", "arn:aws:s3:::bucket/a/b").allowed)
        self.assertFalse(moto_iam.evaluate(r, "s3:DeleteObject", "arn:aws:s3:::bucket/a/b").allowed)
        self.assertTrue(moto_iam.evaluate(r, "sns:Publish", "arn:aws:sns:eu-west-1:%s:alerts" % ACCOUNT).allowed)
        self.assertFalse(moto_iam.evaluate(r, "sns:Publish", "arn:aws:sns:eu-west-1:%s:secret" % ACCOUNT).allowed)

    def test_kms_via_service_grants_a_keys_use_only_through_the_named_services(self):
        key = "arn:aws:kms:eu-west-1:%s:key/k" % ACCOUNT
        r = role(allow(["kms:Decrypt", "kms:GenerateDataKey"], key, Condition={"StringEquals": {"kms:ViaService": [
            "dynamodb.eu-west-1.amazonaws.com", "sqs.eu-west-1.amazonaws.com"]}}))
        by_sqs = moto_iam.request_context(r, "eu-west-1", via_service="sqs")
        by_sns = moto_iam.request_context(r, "eu-west-1", via_service="sns")
        direct = moto_iam.request_context(r, "eu-west-1")
        self.assertTrue(moto_iam.evaluate(r, "kms:GenerateDataKey", key, by_sqs).allowed)
        self.assertFalse(moto_iam.evaluate(r, "kms:GenerateDataKey", key, by_sns).allowed)
        decision = moto_iam.evaluate(r, "kms:Decrypt", key, direct)
        self.assertFalse(decision.allowed, "a direct KMS call carries no kms:ViaService")
        self.assertEqual(decision.unevaluated, [], "the condition was evaluated, not guessed")

    def test_a_tls_only_deny_does_not_refuse_what_is_https_when_deployed(self):
        r = role(allow("s3:GetObject", "*"), {"Effect": "Deny", "Action": "s3:*", "Resource": "*",
                                              "Condition": {"Bool": {"aws:SecureTransport": "false"}}})
        self.assertTrue(moto_iam.evaluate(r, "s3:GetObject", "arn:aws:s3:::b/k",
                                          moto_iam.request_context(r, "eu-west-1")).allowed)

    def test_a_condition_that_cannot_be_evaluated_never_grants_and_always_denies(self):
        conditional = {"StringEquals": {"aws:SourceVpce": "vpce-1"}}
        r = role(allow("dynamodb:GetItem", TABLE, Condition=conditional))
        decision = moto_iam.evaluate(r, "dynamodb:GetItem", TABLE)
        self.assertFalse(decision.allowed)
        self.assertIn("conditions not evaluated by the local emulator: aws:SourceVpce",
                      moto_iam.denial_message(r, "dynamodb:GetItem", TABLE, decision))
        r = role(allow("dynamodb:GetItem", TABLE),
                 {"Effect": "Deny", "Action": "*", "Resource": "*", "Condition": conditional})
        self.assertFalse(moto_iam.evaluate(r, "dynamodb:GetItem", TABLE).allowed)

    def test_the_grant_that_allowed_a_call_is_named_for_the_least_privilege_report(self):
        r = role(allow(["dynamodb:GetItem", "dynamodb:PutItem"], [TABLE, TABLE + "/index/*"]))
        self.assertEqual(moto_iam.evaluate(r, "dynamodb:PutItem", TABLE).grants, [("Policy0", 0, "dynamodb:PutItem", 0)])


class RequestTest(unittest.TestCase):

    def test_dynamodb_names_the_table_or_its_index(self):
        self.assertEqual(calls(request("dynamodb", target="DynamoDB_20120810.Query", body=json.dumps(
            {"TableName": "stack-ReportsTable-ABC", "IndexName": "outbox"}).encode())),
            [("dynamodb:Query", TABLE + "/index/outbox")])
        self.assertEqual(calls(request("dynamodb", target="DynamoDB_20120810.ListTables", body=b"{}")),
                         [("dynamodb:ListTables", "*")])

    def test_a_transaction_needs_each_items_own_action_on_its_own_table(self):
        body = {"TransactItems": [
            {"Put": {"TableName": "stack-ReportsTable-ABC", "Item": {}}},
            {"Update": {"TableName": "stack-ReportsTable-ABC", "Key": {}}},
            {"Delete": {"TableName": "stack-OtherTable-X", "Key": {}}},
            {"ConditionCheck": {"TableName": "stack-ReportsTable-ABC", "Key": {}}}]}
        self.assertEqual(calls(request("dynamodb", target="DynamoDB_20120810.TransactWriteItems",
                                       body=json.dumps(body).encode())),
                         [("dynamodb:PutItem", TABLE), ("dynamodb:UpdateItem", TABLE),
                          ("dynamodb:DeleteItem", "arn:aws:dynamodb:eu-west-1:%s:table/stack-OtherTable-X" % ACCOUNT),
                          ("dynamodb:ConditionCheckItem", TABLE)])
        get = {"TransactItems": [{"Get": {"TableName": "stack-ReportsTable-ABC", "Key": {}}}]}
        self.assertEqual(calls(request("dynamodb", target="DynamoDB_20120810.TransactGetItems",
                                       body=json.dumps(get).encode())), [("dynamodb:GetItem", TABLE)])

    def test_batches_need_the_batch_action_on_every_table(self):
        body = {"RequestItems": {"stack-ReportsTable-ABC": [], "stack-OtherTable-X": []}}
        self.assertEqual(calls(request("dynamodb", target="DynamoDB_20120810.BatchWriteItem",
                                       body=json.dumps(body).encode())),
                         [("dynamodb:BatchWriteItem", TABLE),
                          ("dynamodb:BatchWriteItem", "arn:aws:dynamodb:eu-west-1:%s:table/stack-OtherTable-X" % ACCOUNT)])

    def test_sqs_json_and_query_protocols_name_the_queue_and_batches_their_single_action(self):
        url = "http://127.0.0.1:5000/%s/stack-IndexQueue-ABC" % ACCOUNT
        arn = "arn:aws:sqs:eu-west-1:%s:stack-IndexQueue-ABC" % ACCOUNT
        self.assertEqual(calls(request("sqs", target="AmazonSQS.SendMessageBatch",
                                       body=json.dumps({"QueueUrl": url}).encode())), [("sqs:SendMessage", arn)])
        self.assertEqual(calls(request("sqs", body=b"Action=DeleteMessageBatch&QueueUrl=" + url.encode(),
                                       content_type="application/x-www-form-urlencoded")),
                         [("sqs:DeleteMessage", arn)])
        self.assertEqual(calls(request("sqs", target="AmazonSQS.GetQueueUrl",
                                       body=json.dumps({"QueueName": "stack-IndexQueue-ABC"}).encode())),
                         [("sqs:GetQueueUrl", arn)])

    def test_sns_names_the_topic(self):
        topic = "arn:aws:sns:eu-west-1:%s:stack-NurseAlertsTopic-ABC" % ACCOUNT
        self.assertEqual(calls(request("sns", body=("Action=Publish&TopicArn=" + topic + "&Message=x").encode(),
                                       content_type="application/x-www-form-urlencoded; charset=utf-8")),
                         [("sns:Publish", topic)])
        self.assertEqual(calls(request("sns", body=("Action=PublishBatch&TopicArn=" + topic).encode(),
                                       content_type="application/x-www-form-urlencoded")),
                         [("sns:Publish", topic)])

    def test_s3_objects_multipart_and_buckets(self):
        obj = "arn:aws:s3:::bucket/exports/a b.csv"
        self.assertEqual(calls(request("s3", "GET", "/bucket/exports/a%20b.csv")), [("s3:GetObject", obj)])
        self.assertEqual(calls(request("s3", "HEAD", "/bucket/exports/a%20b.csv")), [("s3:GetObject", obj)])
        self.assertEqual(calls(request("s3", "PUT", "/bucket/exports/a%20b.csv")), [("s3:PutObject", obj)])
        self.assertEqual(calls(request("s3", "POST", "/bucket/exports/a%20b.csv", "uploads")), [("s3:PutObject", obj)])
        self.assertEqual(calls(request("s3", "PUT", "/bucket/exports/a%20b.csv", "partNumber=2&uploadId=u")),
                         [("s3:PutObject", obj)])
        self.assertEqual(calls(request("s3", "POST", "/bucket/exports/a%20b.csv", "uploadId=u")), [("s3:PutObject", obj)])
        self.assertEqual(calls(request("s3", "GET", "/bucket/exports/a%20b.csv", "uploadId=u")),
                         [("s3:ListMultipartUploadParts", obj)])
        self.assertEqual(calls(request("s3", "DELETE", "/bucket/exports/a%20b.csv", "uploadId=u")),
                         [("s3:AbortMultipartUpload", obj)])
        self.assertEqual(calls(request("s3", "DELETE", "/bucket/exports/a%20b.csv")), [("s3:DeleteObject", obj)])
        self.assertEqual(calls(request("s3", "GET", "/bucket", "list-type=2&prefix=exports/")),
                         [("s3:ListBucket", "arn:aws:s3:::bucket")])
        self.assertEqual(calls(request("s3", "GET", "/bucket", "uploads")),
                         [("s3:ListBucketMultipartUploads", "arn:aws:s3:::bucket")])
        self.assertEqual(calls(request("s3", "POST", "/bucket", "delete", body=b"<Delete><Object><Key>a&amp;b</Key>"
                                       b"</Object><Object><Key>c</Key></Object></Delete>")),
                         [("s3:DeleteObject", "arn:aws:s3:::bucket/a&b"), ("s3:DeleteObject", "arn:aws:s3:::bucket/c")])
        self.assertEqual(calls(request("s3", "PUT", "/bucket/copy", headers={"HTTP_X_AMZ_COPY_SOURCE": "/other/src%20key"})),
                         [("s3:PutObject", "arn:aws:s3:::bucket/copy"), ("s3:GetObject", "arn:aws:s3:::other/src key")])

    def test_a_presigned_url_is_the_signers_request(self):
        environ = {"QUERY_STRING": "X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Credential=ASIAFUNCTION%2F20261201%2F"
                                   "eu-west-1%2Fs3%2Faws4_request&X-Amz-Expires=300&X-Amz-Signature=abc"}
        self.assertEqual(moto_iam.credential_of(environ), ("ASIAFUNCTION", "eu-west-1", "s3"))
        header = {"HTTP_AUTHORIZATION": "AWS4-HMAC-SHA256 Credential=ASIAX/20261201/eu-west-1/dynamodb/aws4_request, "
                                        "SignedHeaders=host, Signature=abc"}
        self.assertEqual(moto_iam.credential_of(header), ("ASIAX", "eu-west-1", "dynamodb"))
        self.assertEqual(moto_iam.credential_of({}), (None, None, None))

    def test_get_caller_identity_needs_no_permission(self):
        self.assertEqual(calls(request("sts", body=b"Action=GetCallerIdentity&Version=2011-06-15",
                                       content_type="application/x-www-form-urlencoded")), [])


class ServiceKeyUseTest(unittest.TestCase):
    """Calls on a resource encrypted with a customer managed key need that key's use too."""

    def test_publishing_to_a_topic_encrypted_with_a_customer_key_needs_data_key_and_decrypt(self):
        import boto3
        from moto import mock_aws

        with mock_aws():
            kms = boto3.client("kms", region_name="eu-west-1")
            sns = boto3.client("sns", region_name="eu-west-1")
            key = kms.create_key()["KeyMetadata"]
            encrypted = sns.create_topic(Name="alerts", Attributes={"KmsMasterKeyId": key["KeyId"]})["TopicArn"]
            managed = sns.create_topic(Name="managed", Attributes={"KmsMasterKeyId": "alias/aws/sns"})["TopicArn"]
            plain = sns.create_topic(Name="plain")["TopicArn"]

            def needed(topic):
                req = request("sns", body=("Action=Publish&TopicArn=" + topic).encode(),
                              content_type="application/x-www-form-urlencoded")
                return [(c.action, c.resource, c.via) for c in moto_iam.kms_calls_for(req, moto_iam.calls_of(req))]

            self.assertEqual(needed(encrypted), [("kms:GenerateDataKey", key["Arn"], "sns"),
                                                 ("kms:Decrypt", key["Arn"], "sns")])
            self.assertEqual(needed(managed), [], "an AWS managed key needs no permission of the caller")
            self.assertEqual(needed(plain), [])

    def test_a_denied_key_use_answers_as_sns_does_for_kms(self):
        r = role(allow("sns:Publish", "*"))
        req = request("sns", body=b"Action=Publish", content_type="application/x-www-form-urlencoded")
        call = moto_iam.Call("kms:GenerateDataKey", "arn:aws:kms:eu-west-1:%s:key/k" % ACCOUNT, via="sns")
        decision = moto_iam.evaluate(r, call.action, call.resource)
        status, _, body = moto_iam.denied_response(req, call, moto_iam.denial_message(r, call.action, call.resource,
                                                                                     decision))
        self.assertEqual(status, "400 Bad Request")
        self.assertIn(b"<Code>KMSAccessDenied</Code>", body)
        self.assertIn(b"is not authorized to perform: kms:GenerateDataKey on resource: arn:aws:kms:", body)


class MiddlewareTest(unittest.TestCase):

    def setUp(self):
        self.reached = []

        def moto(environ, start_response):
            self.reached.append(environ["wsgi.input"].read())
            start_response("200 OK", [])
            return [b"moto"]

        self.iam = moto_iam.IamEnforcement(moto)
        self.iam.register({"stack": "stack", "roles": [{
            "function": "ExportWorkerFunction", "accessKeyId": "ASIAWORKER",
            "roleArn": "arn:aws:iam::%s:role/worker" % ACCOUNT,
            "principalArn": "arn:aws:sts::%s:assumed-role/worker/ExportWorkerFunction" % ACCOUNT,
            "policies": [{"name": "P0", "statements": [allow("dynamodb:Query", TABLE)]}]}]})

    def call(self, key, target, body):
        environ = {"REQUEST_METHOD": "POST", "PATH_INFO": "/", "QUERY_STRING": "", "HTTP_X_AMZ_TARGET": target,
                   "HTTP_AUTHORIZATION": "AWS4-HMAC-SHA256 Credential=%s/20261201/eu-west-1/dynamodb/aws4_request, "
                                         "SignedHeaders=host, Signature=abc" % key,
                   "CONTENT_LENGTH": str(len(body)), "wsgi.input": io.BytesIO(body)}
        answer = {}

        def start_response(status, headers):
            answer["status"], answer["headers"] = status, dict(headers)

        answer["body"] = b"".join(self.iam(environ, start_response))
        return answer

    def test_a_denied_call_never_reaches_moto_and_answers_as_dynamodb_does(self):
        answer = self.call("ASIAWORKER", "DynamoDB_20120810.Scan", json.dumps({"TableName": "stack-ReportsTable-ABC"}).encode())
        self.assertEqual(answer["status"], "400 Bad Request")
        error = json.loads(answer["body"])
        self.assertEqual(error["__type"], "com.amazon.coral.service#AccessDeniedException")
        self.assertIn("is not authorized to perform: dynamodb:Scan on resource: " + TABLE, error["Message"])
        self.assertEqual(self.reached, [])
        self.assertEqual(self.iam.stats()["denied"], 1)

    def test_an_allowed_call_reaches_moto_with_its_body_intact(self):
        body = json.dumps({"TableName": "stack-ReportsTable-ABC", "KeyConditionExpression": "pk = :p"}).encode()
        answer = self.call("ASIAWORKER", "DynamoDB_20120810.Query", body)
        self.assertEqual(answer["body"], b"moto")
        self.assertEqual(self.reached, [body])

    def test_another_key_is_not_checked(self):
        answer = self.call("testing", "DynamoDB_20120810.Scan", b"{}")
        self.assertEqual(answer["body"], b"moto")
        self.assertEqual(self.iam.calls_of_stack("stack"), {})

    def test_each_functions_calls_are_counted_under_its_own_stack_and_name(self):
        self.call("ASIAWORKER", "DynamoDB_20120810.Query", json.dumps({"TableName": "stack-ReportsTable-ABC"}).encode())
        self.call("ASIAWORKER", "DynamoDB_20120810.Query", json.dumps({"TableName": "stack-ReportsTable-ABC"}).encode())
        self.call("ASIAWORKER", "DynamoDB_20120810.Scan", json.dumps({"TableName": "stack-ReportsTable-ABC"}).encode())
        self.assertEqual(self.iam.calls_of_stack("stack"), {"ExportWorkerFunction": {
            "allowed": 2, "denied": 1, "actions": ["dynamodb:Query", "dynamodb:Scan"]}})
        self.assertEqual(self.iam.calls_of_stack("another-stack"), {})


if __name__ == "__main__":
    unittest.main()
