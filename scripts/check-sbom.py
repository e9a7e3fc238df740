#!/usr/bin/env python3
"""Checks that the software bill of materials the build writes (cli/target/countersignal-sbom.json,
CycloneDX) names every library shipped in cli/target/lib, with the SHA-256 of the very file shipped."""
import hashlib
import json
import os
import sys

root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
target = os.path.join(root, "cli", "target")
with open(os.path.join(target, "countersignal-sbom.json"), encoding="utf-8") as f:
    bom = json.load(f)
if bom.get("bomFormat") != "CycloneDX":
    sys.exit("sbom: not a CycloneDX document")

listed = {}
for component in bom.get("components", []):
    purl = component.get("purl", "")
    classifier = ""
    if "classifier=" in purl:
        classifier = "-" + purl.split("classifier=")[1].split("&")[0]
    name = f"{component['name']}-{component['version']}{classifier}.jar"
    listed[name] = {h["alg"]: h["content"] for h in component.get("hashes", [])}

missing, wrong = [], []
shipped = sorted(n for n in os.listdir(os.path.join(target, "lib")) if n.endswith(".jar"))
for jar in shipped:
    if jar not in listed:
        missing.append(jar)
        continue
    with open(os.path.join(target, "lib", jar), "rb") as f:
        if listed[jar].get("SHA-256") != hashlib.sha256(f.read()).hexdigest():
            wrong.append(jar)
if missing or wrong:
    sys.exit(f"sbom: not listed: {missing}; listed with another SHA-256: {wrong}")
print(f"sbom: {len(shipped)} libraries shipped, each listed with its SHA-256 in cli/target/countersignal-sbom.json"
      f" (CycloneDX {bom.get('specVersion')})")
