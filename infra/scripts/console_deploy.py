#!/usr/bin/env python3
"""Upload the built staff console (console/dist) to a deployed stack's console bucket.

Reads the stack's outputs (ConsoleBucketName, ConsoleDistributionId, ApiUrl, ConsoleUrl), uploads
every file with its content type (hashed assets cached for a year, the page never), writes
console-settings.json naming the stack's API (so one build serves every stack), and invalidates
the page and the settings in CloudFront.

Usage: console_deploy.py STACK_NAME [--region REGION]
"""
import argparse
import json
import mimetypes
import pathlib
import sys
import time

import boto3

DIST = pathlib.Path(__file__).resolve().parents[2] / "console" / "dist"


def outputs(cfn, stack):
    described = cfn.describe_stacks(StackName=stack)["Stacks"][0]
    return {o["OutputKey"]: o["OutputValue"] for o in described.get("Outputs", [])}


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("stack")
    parser.add_argument("--region")
    args = parser.parse_args()
    if not (DIST / "index.html").is_file():
        sys.exit("console/dist has no index.html: run `make console` first")
    session = boto3.session.Session(region_name=args.region)
    out = outputs(session.client("cloudformation"), args.stack)
    for key in ("ConsoleBucketName", "ConsoleDistributionId", "ApiUrl", "ConsoleUrl"):
        if key not in out:
            sys.exit(f"stack {args.stack} has no output {key}: deploy the template with the console first")
    s3 = session.client("s3")
    bucket = out["ConsoleBucketName"]
    for path in sorted(p for p in DIST.rglob("*") if p.is_file()):
        key = path.relative_to(DIST).as_posix()
        content_type = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
        cache = "public, max-age=31536000, immutable" if key.startswith("assets/") else "no-cache"
        s3.upload_file(str(path), bucket, key, ExtraArgs={"ContentType": content_type, "CacheControl": cache})
        print(f"  {key}")
    settings = json.dumps({"apiUrl": out["ApiUrl"]}).encode()
    s3.put_object(Bucket=bucket, Key="console-settings.json", Body=settings, ContentType="application/json",
                  CacheControl="no-cache")
    print("  console-settings.json")
    session.client("cloudfront").create_invalidation(
        DistributionId=out["ConsoleDistributionId"],
        InvalidationBatch={"Paths": {"Quantity": 2, "Items": ["/index.html", "/console-settings.json"]},
                           "CallerReference": str(time.time())})
    print(f"The console is at {out['ConsoleUrl']}")


if __name__ == "__main__":
    main()
