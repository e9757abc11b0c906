"""
Extracts the three public catalogs the pack is compared with (docs/policy-pack-catalogs.md) into
catalogs.json, from git clones of the repositories (read with `git show`, no work tree needed):

    python3 extract.py CHECKOV_GIT CDK_NAG_GIT PARLIAMENT_GIT > catalogs.json

- Checkov (bridgecrewio/checkov): every AWS check under checkov/terraform/checks/{resource,data,provider}/aws
  (Python classes: id, name, supported resources) and graph_checks/aws (YAML: id, name, the types the check
  filters on, else the types its conditions name).
- cdk-nag (cdklabs/cdk-nag): the rules src/packs/aws-solutions.ts applies (id, info, level) and the
  CloudFormation classes each rule's file tests with `instanceof`.
- parliament (duo-labs/parliament): the findings of parliament/config.yaml and of the community auditors
  (community_auditors/config_override.yaml).

Needs Python 3.9+ and PyYAML.
"""
import ast
import json
import re
import subprocess
import sys

import yaml


def git(repo, *args):
    return subprocess.run(["git", "-C", repo, *args], capture_output=True, text=True, check=True).stdout


def files(repo, folder):
    return git(repo, "ls-tree", "--name-only", "HEAD", folder + "/").split()


# ---- Checkov

IAM_POLICY_TYPES = ["aws_iam_group_policy", "aws_iam_policy", "aws_iam_role_policy", "aws_iam_user_policy",
                    "aws_ssoadmin_permission_set_inline_policy"]
# Base classes that set the name and supported resources of their subclasses (as their files at HEAD do).
BASES = {
    "AbsSecurityGroupUnrestrictedIngress": ("Ensure no security groups allow ingress from 0.0.0.0:0 to port {port}",
                                            ["aws_security_group", "aws_security_group_rule", "aws_vpc_security_group_ingress_rule"]),
    "AbsSecurityGroupUnrestrictedEgress": ("Ensure no security groups allow egress from 0.0.0.0:0 to port {port}",
                                           ["aws_security_group", "aws_security_group_rule", "aws_vpc_security_group_egress_rule"]),
    "AbsNACLUnrestrictedIngress": ("Ensure no NACL allow ingress from 0.0.0.0:0 to port {port}", ["aws_network_acl", "aws_network_acl_rule"]),
    "BaseTerraformCloudsplainingResourceIAMCheck": (None, IAM_POLICY_TYPES),
    "BaseTerraformCloudsplainingDataIAMCheck": (None, ["aws_iam_policy_document"]),
}


def literal(node, env):
    try:
        return ast.literal_eval(node)
    except Exception:
        if isinstance(node, ast.Name) and node.id in env:
            return env[node.id]
        return None


def python_checks(repo, folder, kind):
    out = []
    for path in files(repo, folder):
        if not path.endswith(".py") or path.endswith("__init__.py"):
            continue
        tree = ast.parse(git(repo, "show", f"HEAD:{path}"))
        module_env = {}
        for node in tree.body:
            if isinstance(node, ast.Assign) and len(node.targets) == 1 and isinstance(node.targets[0], ast.Name):
                value = literal(node.value, module_env)
                if value is not None:
                    module_env[node.targets[0].id] = value
        for cls in [n for n in ast.walk(tree) if isinstance(n, ast.ClassDef)]:
            env, given = dict(module_env), {}
            for node in ast.walk(cls):
                if isinstance(node, (ast.Assign, ast.AnnAssign)) and node.value is not None:
                    target = node.targets[0] if isinstance(node, ast.Assign) else node.target
                    if isinstance(target, ast.Name):
                        value = literal(node.value, env)
                        if value is not None:
                            env[target.id] = value
                if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr == "__init__":
                    for keyword in node.keywords:
                        value = literal(keyword.value, env)
                        if value is not None:
                            given[keyword.arg] = value
            check_id = given.get("id", given.get("check_id", env.get("id")))
            if not check_id:
                continue
            name = given.get("name", env.get("name"))
            resources = (given.get("supported_resources", env.get("supported_resources"))
                         or given.get("supported_data", env.get("supported_data"))
                         or ["provider." + p for p in (given.get("supported_provider") or env.get("supported_provider") or [])])
            base = cls.bases[0].id if cls.bases and isinstance(cls.bases[0], ast.Name) else None
            if base in BASES:
                base_name, base_resources = BASES[base]
                port = given.get("port")
                name = name or base_name.replace("{port}", "any" if port == -1 else str(port))
                resources = resources or base_resources
            if not name or not resources:
                sys.exit(f"{path}: no name or supported resources for {check_id}")
            resources = sorted(set(resources))
            if kind == "data":
                resources = ["data." + r for r in resources]
            out.append({"id": check_id, "name": name, "kind": kind, "resources": resources})
    return out


def graph_checks(repo, folder):
    out = []
    for path in files(repo, folder):
        if not path.endswith((".yaml", ".yml")):
            continue
        doc = yaml.safe_load(git(repo, "show", f"HEAD:{path}"))
        named, filtered = set(), set()

        def walk(x):
            if isinstance(x, dict):
                if "resource_types" in x:
                    named.update(x["resource_types"] if isinstance(x["resource_types"], list) else [x["resource_types"]])
                if "connected_resource_types" in x:
                    named.update(x["connected_resource_types"])
                if x.get("cond_type") == "filter" and x.get("attribute") == "resource_type":
                    filtered.update(x["value"] if isinstance(x["value"], list) else [x["value"]])
                for v in x.values():
                    walk(v)
            elif isinstance(x, list):
                for v in x:
                    walk(v)

        walk(doc.get("definition", {}))
        subjects = filtered or {t for t in named}
        if not filtered:
            # Without a filter, the checked types are those of the conditions themselves, not the connected ones.
            subjects = set()

            def conditions(x):
                if isinstance(x, dict):
                    if "resource_types" in x:
                        subjects.update(x["resource_types"] if isinstance(x["resource_types"], list) else [x["resource_types"]])
                    for k, v in x.items():
                        if k != "connected_resource_types":
                            conditions(v)
                elif isinstance(x, list):
                    for v in x:
                        conditions(v)

            conditions(doc.get("definition", {}))
        meta = doc["metadata"]
        out.append({"id": meta["id"], "name": meta["name"], "kind": "graph",
                    "resources": sorted(t for t in subjects if t.startswith("aws_")),
                    "mentions": sorted(t for t in named if t.startswith("aws_"))})
    return out


def checkov(repo):
    base = "checkov/terraform/checks"
    checks = (python_checks(repo, f"{base}/resource/aws", "resource") + python_checks(repo, f"{base}/data/aws", "data")
              + python_checks(repo, f"{base}/provider/aws", "provider") + graph_checks(repo, f"{base}/graph_checks/aws"))
    ids = [c["id"] for c in checks]
    duplicates = sorted({i for i in ids if ids.count(i) > 1})
    if duplicates:
        sys.exit(f"Checkov: duplicate IDs {duplicates}")
    return {"commit": git(repo, "rev-parse", "HEAD").strip(), "checks": checks}


# ---- cdk-nag

STRING = r"'(?:[^'\\]|\\.)*'|\"(?:[^\"\\]|\\.)*\"|`[^`]*`"


def ts_string(block, key):
    m = re.search(rf"{key}:\s*((?:{STRING})(?:\s*\+\s*(?:{STRING}))*)", block)
    if not m:
        return None
    parts = re.findall(r"'((?:[^'\\]|\\.)*)'|\"((?:[^\"\\]|\\.)*)\"|`([^`]*)`", m.group(1))
    return "".join(a or b or c for a, b, c in parts).replace("\\'", "'")


def cdk_nag(repo):
    pack = git(repo, "show", "HEAD:src/packs/aws-solutions.ts")
    folder_of = {}
    for names, folder in re.findall(r"import\s*\{([^}]*)\}\s*from\s*'\.\./rules/([a-z0-9]+)'", pack):
        for n in [x.strip() for x in names.split(",") if x.strip()]:
            folder_of[n] = folder
    rules = []
    for block in re.findall(r"this\.applyRule\(\{([\s\S]*?)\n\s*\}\);", pack):
        rule = re.search(r"rule:\s*(\w+)", block).group(1)
        source = git(repo, "show", f"HEAD:src/rules/{folder_of[rule]}/{rule}.ts")
        module_of = {}
        for names, module in re.findall(r"import\s*\{([^}]*)\}\s*from\s*'aws-cdk-lib/(aws-[a-z0-9-]+)'", source):
            for n in [x.strip() for x in names.split(",") if x.strip()]:
                module_of[n] = module
        classes = list(dict.fromkeys(f"{module_of.get(c, '?')}.{c}" for c in re.findall(r"instanceof\s+(Cfn\w+)", source)))
        level = re.search(r"NagMessageLevel\.(\w+)", block)
        rules.append({"id": "AwsSolutions-" + ts_string(block, "ruleSuffixOverride"), "info": ts_string(block, "info"),
                      "level": level.group(1) if level else None, "cfn": classes})
    return {"commit": git(repo, "rev-parse", "HEAD").strip(), "rules": rules}


# ---- parliament

def parliament(repo):
    findings = []
    for path, origin in [("parliament/config.yaml", "core"), ("parliament/community_auditors/config_override.yaml", "community")]:
        for key, value in yaml.safe_load(git(repo, "show", f"HEAD:{path}")).items():
            findings.append({"id": key, "title": value.get("title"), "description": value.get("description"),
                             "severity": value.get("severity"), "origin": origin})
    return {"commit": git(repo, "rev-parse", "HEAD").strip(), "findings": findings}


if __name__ == "__main__":
    if len(sys.argv) != 4:
        sys.exit(__doc__)
    catalogs = {"checkov": checkov(sys.argv[1]), "cdkNag": cdk_nag(sys.argv[2]), "parliament": parliament(sys.argv[3])}
    # One entry a line, so that a catalog update reads as a diff of the checks that changed.
    line = lambda x: json.dumps(x, ensure_ascii=False)
    parts = []
    for name, catalog in catalogs.items():
        items_key = next(k for k in catalog if k != "commit")
        items = ",\n".join("   " + line(x) for x in catalog[items_key])
        parts.append(f' "{name}": {{\n  "commit": {line(catalog["commit"])},\n  "{items_key}": [\n{items}\n  ]\n }}')
    sys.stdout.write("{\n" + ",\n".join(parts) + "\n}\n")
