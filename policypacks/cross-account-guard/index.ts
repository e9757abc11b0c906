/**
 * cross-account-guard: the CrossGuard policy pack that gates every change to the
 * cross-account-models stacks (and any stack a platform team points it at). Constructing the
 * PolicyPack starts the analyzer server, so this is the only module that does it.
 */
import { PolicyPack } from "@pulumi/policy";
import { allPolicies } from "./policies";

new PolicyPack("cross-account-guard", { policies: allPolicies });
