"""parliament over many IAM documents in one process (npm run policy -- peers, proof/pack/peers/parliament.ts).

Reads {"documents": [{"key": ..., "text": ...}]} on stdin; writes {"version": ..., "results": [{"key": ...,
"core": [finding...], "community": [finding...], "error": ...}]} on stdout. Each document is analysed as
parliament's CLI analyses a file: analyze_policy_string without private auditors, then enhance_finding and
is_finding_filtered at the CLI's default minimum severity (LOW). "core" is parliament's own checks; "community"
adds its community auditors, with their config_override.yaml applied as the CLI's --include-community-auditors
does (that override changes the shared config, so every core pass runs first).
"""

import json
import sys
import warnings
from pathlib import Path

# parliament 1.6.4 imports pkg_resources, which warns on every import in recent setuptools.
warnings.filterwarnings("ignore", category=UserWarning, module="parliament")
warnings.filterwarnings("ignore", message="pkg_resources is deprecated")

import functools  # noqa: E402

import parliament  # noqa: E402
import parliament.policy  # noqa: E402
import parliament.statement  # noqa: E402

# Speed only, the findings are the same: a document allowing "*" makes each community auditor expand
# every action of every service (18,000), more than expand_action's cache of 10,240 holds, and each
# auditor asks the policy for its allowed actions again. An unbounded cache and one answer per policy
# take a "*" document from about 9 s to 6 s, and the next ones to about 2.5 s. Patched before the
# community auditors are imported, since they import expand_action by name.
_expand_action = functools.lru_cache(maxsize=None)(parliament.expand_action.__wrapped__)
parliament.expand_action = parliament.policy.expand_action = parliament.statement.expand_action = _expand_action
_allowed_actions = parliament.policy.Policy.get_allowed_actions


def _allowed_actions_once(self, raise_exceptions=True):
    cache = self.__dict__.setdefault("_peers_allowed_actions", {})
    if raise_exceptions not in cache:
        cache[raise_exceptions] = _allowed_actions(self, raise_exceptions)
    return list(cache[raise_exceptions])


parliament.policy.Policy.get_allowed_actions = _allowed_actions_once

from parliament import analyze_policy_string, config, enhance_finding, override_config  # noqa: E402
from parliament.cli import is_finding_filtered  # noqa: E402

MINIMUM_SEVERITY = "LOW"


def reported(policy):
    out = []
    for finding in policy.findings:
        finding = enhance_finding(finding)
        if is_finding_filtered(finding, MINIMUM_SEVERITY):
            continue
        out.append(
            {
                "issue": finding.issue,
                "severity": finding.severity,
                "title": finding.title,
                "detail": (finding.detail if isinstance(finding.detail, str) else json.dumps(finding.detail, default=str))[:300],
            }
        )
    return out


def analyse(documents, community):
    results = {}
    for doc in documents:
        try:
            policy = analyze_policy_string(
                doc["text"], doc["key"], ignore_private_auditors=True, include_community_auditors=community, config=config
            )
            results[doc["key"]] = {"findings": reported(policy)}
        except Exception as err:  # parliament's CLI would stop here; the comparison records it per document
            results[doc["key"]] = {"error": "{}: {}".format(type(err).__name__, err)}
    return results


def main():
    documents = json.load(sys.stdin)["documents"]
    core = analyse(documents, False)
    override_config(Path(parliament.__file__).parent / "community_auditors" / "config_override.yaml")
    community = analyse(documents, True)
    results = []
    for doc in documents:
        key = doc["key"]
        errors = [r["error"] for r in (core[key], community[key]) if "error" in r]
        result = {"key": key, "core": core[key].get("findings", []), "community": community[key].get("findings", [])}
        if errors:
            result["error"] = "; ".join(sorted(set(errors)))
        results.append(result)
    json.dump({"version": parliament.__version__, "results": results}, sys.stdout)


if __name__ == "__main__":
    main()
