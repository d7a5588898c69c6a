#!/usr/bin/env python3
"""Prints the hostile-input case table (markdown) from the surefire reports of the Hostile*Test classes.

Run the tests first (mvn -B test, or -Dtest='Hostile*' with -Dsurefire.failIfNoSpecifiedTests=false); the reports
carry each case's display name. Usage: scripts/hostile-cases-table.py [REPO_ROOT] > docs/hostile-inputs-table.md
"""
import glob
import os
import sys
import xml.etree.ElementTree as ET

root = sys.argv[1] if len(sys.argv) > 1 else os.path.join(os.path.dirname(__file__), "..")
rows = []
for report in sorted(glob.glob(os.path.join(root, "*/target/surefire-reports/TEST-*Hostile*.xml"))):
    module = os.path.relpath(report, root).split(os.sep)[0]
    for case in ET.parse(report).getroot().iter("testcase"):
        outcome = "clean"
        for bad in ("failure", "error", "skipped"):
            if case.find(bad) is not None:
                outcome = bad
        cls = case.get("classname", "").rsplit(".", 1)[-1]
        group, _, name = case.get("name", "").partition("() ")
        rows.append((module, f"{cls}.{group}", name or group, outcome))

print("| # | module | test | case | outcome |")
print("|---|---|---|---|---|")
for i, (module, test, name, outcome) in enumerate(rows, 1):
    print(f"| {i} | {module} | {test} | {name.replace('|', '/')} | {outcome} |")
clean = sum(1 for r in rows if r[3] == "clean")
print()
print(f"{len(rows)} cases, {clean} clean, {len(rows) - clean} not.")
