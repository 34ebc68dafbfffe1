#!/usr/bin/env python3
"""After `sam build`: every function has exactly one artifact, a jar under lib/ holding its
handler class, and no deployment jar carries the Apache or Netty HTTP clients."""
import pathlib
import sys
import zipfile

from samtranslator.yaml_helper import yaml_parse

BANNED = ("software/amazon/awssdk/http/apache/", "software/amazon/awssdk/http/apache5/",
          "software/amazon/awssdk/http/nio/netty/", "io/netty/", "org/apache/http/", "org/apache/hc/")


def main(template_path, build_dir):
    template = yaml_parse(pathlib.Path(template_path).read_text(encoding="utf-8"))
    failures = []
    for logical, res in template["Resources"].items():
        if res.get("Type") != "AWS::Serverless::Function":
            continue
        handler_class = res["Properties"]["Handler"].split("::")[0]
        entry = handler_class.replace(".", "/") + ".class"
        jars = sorted((pathlib.Path(build_dir) / logical / "lib").glob("*.jar"))
        if len(jars) != 1:
            failures.append(f"{logical}: expected one jar in lib/, found {[j.name for j in jars]}")
            continue
        with zipfile.ZipFile(jars[0]) as jar:
            names = jar.namelist()
        if entry not in names:
            failures.append(f"{logical}: {jars[0].name} has no {entry}")
        banned = sorted({b for b in BANNED for n in names if n.startswith(b)})
        if banned:
            failures.append(f"{logical}: {jars[0].name} carries banned HTTP client packages {banned}")
        size_mib = jars[0].stat().st_size / 1048576
        print(f"{logical:24} {jars[0].name:28} {size_mib:6.1f} MiB  {handler_class}")
    if failures:
        print("\n".join(failures), file=sys.stderr)
        sys.exit(1)


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])
