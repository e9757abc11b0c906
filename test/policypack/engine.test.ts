/**
 * The pack as the engine runs it: started with run-policy-pack and driven over gRPC with the
 * engine's protobuf messages, against the project's own stacks and mutations of them.
 */
import { strict as assert } from "assert";
import { AnalyzedResource, Diagnostic, PolicyPackProcess, UNKNOWN, readPolicyConfig } from "../../proof/pack/policyEngine";
import { analyzedResources } from "../../proof/pack/analyzedResources";
import { MUTATIONS } from "../support/mutations";
import { sharedPack, shippedStacks } from "../helpers";
import { allPolicies } from "../../policypacks/cross-account-guard/policies";
import { CASES } from "../../proof/pack/cases";
import { caseConfig, judge, urnOf } from "../../proof/pack/cases/judge";
import { CaseResource } from "../../proof/pack/cases/types";

/** A case's resources as the engine sends them: URNs, property dependencies by URN, the provider as a resource. */
function asAnalyzed(resources: readonly CaseResource[], stack: string): AnalyzedResource[] {
    const urnNamed = (name: string) => urnOf(stack, resources.find((r) => r.name === name)!);
    return resources.map((r) => ({
        type: r.type,
        name: r.name,
        urn: urnOf(stack, r),
        props: r.props,
        dependencies: Object.values(r.deps ?? {})
            .flat()
            .map(urnNamed),
        propertyDependencies: Object.fromEntries(Object.entries(r.deps ?? {}).map(([k, names]) => [k, names.map(urnNamed)])),
        provider: r.provider && {
            type: "pulumi:providers:aws",
            name: "default",
            urn: `urn:pulumi:${stack}::cross-account-models::pulumi:providers:aws::default`,
            props: r.provider.props,
        },
    }));
}

const EXAMPLE_CONFIG = readPolicyConfig();
const mandatory = (diagnostics: Diagnostic[]) => diagnostics.filter((d) => d.enforcementLevel === "mandatory");

describe("policy pack over the engine's analyzer protocol", function () {
    this.timeout(120_000);
    let pack: PolicyPackProcess;
    let stacks: Map<string, AnalyzedResource[]>;
    /** Analyze results by request, so mutations re-send only what they changed. */
    const analyzed = new Map<string, Diagnostic[]>();

    async function analyzeStack(resources: AnalyzedResource[]): Promise<Diagnostic[]> {
        const diagnostics: Diagnostic[] = [];
        for (const resource of resources) {
            const key = JSON.stringify(resource);
            if (!analyzed.has(key)) analyzed.set(key, await pack.analyze(resource));
            diagnostics.push(...analyzed.get(key)!);
        }
        return [...diagnostics, ...(await pack.analyzeStack(resources))];
    }

    before(async () => {
        pack = await sharedPack();
        await pack.configure(EXAMPLE_CONFIG);
        const runs = await shippedStacks();
        stacks = new Map([...runs].map(([stack, run]) => [stack, analyzedResources(run)]));
    });

    it("describes every rule, with its default level, severity, remediation and config schema", async () => {
        const info = await pack.info();
        assert.equal(info.name, "cross-account-guard");
        assert.equal(info.policies.length, allPolicies.length);
        const level = (name: string) => info.policies.find((p) => p.name === name)?.enforcementLevel;
        for (const name of [
            "s3-bucket-encryption-cmk",
            "s3-public-access-block",
            "iam-service-trust-confused-deputy",
            "vpc-no-nat-gateway",
            "bedrock-import-cmk",
            "data-vpc-endpoint-only",
        ]) {
            assert.equal(level(name), "mandatory", name);
        }
        for (const name of ["iam-no-wildcard-action", "s3-versioning", "kms-deletion-window", "aws-provider-allowed-accounts"]) {
            assert.equal(level(name), "advisory", name);
        }
        assert.ok(info.policies.every((p) => p.remediationSteps.length > 20 && p.description.length > 20));
        assert.deepEqual(Object.keys(info.policies.find((p) => p.name === "vpc-no-nat-gateway")!.configSchema ?? {}), ["allowNatGateway"]);
    });

    it("applies configured levels and parameters", async () => {
        const key: AnalyzedResource = {
            type: "aws:kms/key:Key",
            name: "k",
            urn: "urn:pulumi:t::p::aws:kms/key:Key::k",
            props: { enableKeyRotation: true, policy: "{}", deletionWindowInDays: 14 },
        };
        await pack.configure({ "kms-deletion-window": { minimumDays: 7 } });
        assert.deepEqual(await pack.analyze(key), []);
        await pack.configure({ "kms-deletion-window": { enforcementLevel: "mandatory", minimumDays: 30 } });
        assert.deepEqual(
            (await pack.analyze(key)).map((d) => [d.policyName, d.enforcementLevel]),
            [["kms-deletion-window", "mandatory"]],
        );
        await pack.configure({ "kms-deletion-window": { enforcementLevel: "disabled" } });
        assert.deepEqual(await pack.analyze(key), []);
        await pack.configure(EXAMPLE_CONFIG);
    });

    it("never crashes or silently passes on values unknown during preview", async () => {
        const key: AnalyzedResource = {
            type: "aws:kms/key:Key",
            name: "k",
            urn: "urn:pulumi:t::p::aws:kms/key:Key::k",
            props: { enableKeyRotation: UNKNOWN, policy: UNKNOWN },
        };
        const diagnostics = await pack.analyze(key);
        const rotation = diagnostics.find((d) => d.policyName === "kms-key-rotation");
        assert.ok(
            rotation && rotation.enforcementLevel === "advisory" && /during preview/.test(rotation.message),
            JSON.stringify(diagnostics),
        );
        // A decided property still decides: an unknown key policy does not hide a missing rotation.
        const decided = await pack.analyze({ ...key, props: { enableKeyRotation: false, policy: UNKNOWN } });
        assert.ok(mandatory(decided).some((d) => d.policyName === "kms-key-rotation"));

        const dev = stacks.get("dev")!;
        const preview = dev.map((r) => (r.type === "aws:ec2/flowLog:FlowLog" ? { ...r, props: { ...r.props, trafficType: UNKNOWN } } : r));
        const stackDiagnostics = await pack.analyzeStack(preview);
        const flow = stackDiagnostics.find((d) => d.policyName === "vpc-flow-logs");
        assert.ok(flow && flow.enforcementLevel === "advisory" && /during preview/.test(flow.message), JSON.stringify(stackDiagnostics));
    });

    it("finds no mandatory violation in the project's own stacks", async () => {
        for (const [stack, resources] of stacks) {
            const diagnostics = await analyzeStack(resources);
            assert.deepEqual(
                mandatory(diagnostics).map((d) => `${d.policyName}: ${d.message}`),
                [],
                stack,
            );
        }
    });

    it("reports a mandatory violation for every mutated security property", async () => {
        const missed: string[] = [];
        for (const mutation of MUTATIONS) {
            const diagnostics = await analyzeStack(mutation.mutate(stacks.get(mutation.stack)!));
            if (!mandatory(diagnostics).some((d) => d.policyName === mutation.policy)) missed.push(`${mutation.name} (${mutation.policy})`);
        }
        const caught = MUTATIONS.length - missed.length;
        console.log(`      mutation score: ${caught} of ${MUTATIONS.length} mutations caught`);
        assert.deepEqual(missed, []);
    });

    it("judges every threat-model case as the in-process judge does (proof/pack/cases/judge.ts emulates this protocol)", async () => {
        const differences: string[] = [];
        let configured = "";
        for (const c of CASES) {
            const config = caseConfig(c);
            // Configure sends every policy's level and properties: only when the case's config differs from the last.
            if (JSON.stringify(config) !== configured) await pack.configure(config);
            configured = JSON.stringify(config);
            const overGrpc = await pack.analyzeAll(asAnalyzed(c.resources, c.stack ?? "dev"));
            const policies = (list: { policyName?: string; policy?: string }[]) =>
                [...new Set(list.map((d) => d.policyName ?? d.policy))].sort().join(",");
            const engine = policies(overGrpc);
            const inProcess = policies(judge(c.resources, config, c.stack ?? "dev"));
            if (engine !== inProcess) differences.push(`${c.id}: engine [${engine}] judge [${inProcess}]`);
        }
        await pack.configure(EXAMPLE_CONFIG);
        assert.deepEqual(differences, []);
        console.log(`      ${CASES.length} cases judged alike over gRPC and in process`);
    });
});
