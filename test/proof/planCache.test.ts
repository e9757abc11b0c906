/**
 * The plan's cache (proof/cache/): a stack run, a pack analysis and an access decision are reused
 * while everything that decides them is unchanged, and made afresh when any one of those inputs
 * changes (each changed in turn), never served stale: what the cache gives equals a fresh result.
 */
import { strict as assert } from "assert";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { EnvironmentRun, runEnvironment } from "../../proof/runtime/runEnvironment";
import { PlanCache, SOURCES } from "../../proof/cache/planCache";
import { PackAnalyses } from "../../proof/plan/analyses";
import { AnalyzedResource, Diagnostic, PolicyPackProcess, readPolicyConfig } from "../../proof/pack/policyEngine";
import { decideAll } from "../../proof/access/decisions";
import { AccessQuery, forgetDecisions, simulateOnce } from "../../proof/access/simulator";
import { PROJECT_DIR, readStackConfig } from "../../ops/project";
import { RawConfig } from "../../lib/config/reader";
import { withConfig } from "../helpers";

const P = "cross-account-models";
const tmp = (prefix: string) => fs.mkdtempSync(path.join(os.tmpdir(), prefix));

/** The stack without its deployment role, so that the environment is these stacks alone (no bootstrap stacks). */
const direct = (stack: string): RawConfig => {
    const { ["aws:assumeRoles"]: _, ...config } = readStackConfig(stack);
    return config;
};

/** A copy of the project's files that a kind of entry depends on, to change one of them. */
function sourcesCopy(kind: keyof typeof SOURCES): string {
    const dir = tmp("plan-sources-");
    for (const entry of SOURCES[kind]) {
        const from = path.join(PROJECT_DIR, entry);
        if (fs.existsSync(from)) fs.cpSync(from, path.join(dir, entry), { recursive: true, filter: (f) => !f.includes("node_modules") });
    }
    return dir;
}

const what = (env: EnvironmentRun) => ({ runs: [...env.runs], sequence: env.sequence, failures: [...env.failures.keys()] });

describe("plan cache", function () {
    this.timeout(120_000);

    describe("stack runs", () => {
        const stacks = ["research", "dev"];
        const base = { research: direct("research"), dev: direct("dev") };
        const dir = tmp("plan-cache-");
        const runs = (cache: PlanCache, configs: Record<string, RawConfig> = base, projectDir?: string) =>
            runEnvironment(stacks, configs, { cache, projectDir }).then((env) => ({ env, ...cache.stats.runs }));
        let fresh: EnvironmentRun;

        before(async () => {
            fresh = await runEnvironment(stacks, base);
        });

        it("are made once, then reused while nothing that decides them changes, equal to fresh runs", async () => {
            const first = await runs(new PlanCache({ dir }));
            assert.deepEqual([first.hits, first.misses], [0, 2]);
            assert.deepEqual(what(first.env), what(fresh));
            const again = await runs(new PlanCache({ dir }));
            assert.deepEqual([again.hits, again.misses], [2, 0]);
            assert.deepEqual(what(again.env), what(fresh));
        });

        it("a stack's configuration changed: that stack runs again, the stack it reads is reused", async () => {
            const configs = {
                ...base,
                dev: withConfig(base.dev, { [`${P}:network`]: { cidr: "10.20.0.0/16", zoneCount: 2, flowLogRetentionDays: 545 } }),
            };
            const changed = await runs(new PlanCache({ dir }), configs);
            assert.deepEqual([changed.hits, changed.misses], [1, 1]);
            assert.deepEqual(what(changed.env), what(await runEnvironment(stacks, configs)));
            assert.notDeepEqual(changed.env.runs.get("dev"), fresh.runs.get("dev"));
        });

        it("an upstream stack's exports changed: the stack reading them runs again, though its own configuration is the same", async () => {
            const consumers = JSON.parse(base.research[`${P}:consumers`]);
            consumers[0].prefixes = [...consumers[0].prefixes, "more-weights/"];
            const configs = { ...base, research: withConfig(base.research, { [`${P}:consumers`]: consumers }) };
            const changed = await runs(new PlanCache({ dir }), configs);
            assert.deepEqual([changed.hits, changed.misses], [0, 2]);
            const expected = await runEnvironment(stacks, configs);
            assert.notDeepEqual(expected.runs.get("research")!.outputs, fresh.runs.get("research")!.outputs);
            assert.deepEqual(what(changed.env), what(expected));
        });

        it("the program's sources changed: every stack runs again", async () => {
            const sourceDir = sourcesCopy("runs");
            const unchanged = await runs(new PlanCache({ dir, sourceDir }));
            assert.deepEqual([unchanged.hits, unchanged.misses], [2, 0], "a copy of the same sources is the same");
            fs.appendFileSync(path.join(sourceDir, "components", "secureVpc.ts"), "\n// changed\n");
            const changed = await runs(new PlanCache({ dir, sourceDir }));
            assert.deepEqual([changed.hits, changed.misses], [0, 2]);
        });

        it("another stack file changed: a bootstrap stack (which reads them all) runs again; the others only when a stack's summary changed", async () => {
            const projectDir = tmp("plan-stacks-");
            for (const f of fs.readdirSync(PROJECT_DIR).filter((f) => /^Pulumi\..*yaml$/.test(f)))
                fs.copyFileSync(path.join(PROJECT_DIR, f), path.join(projectDir, f));
            const withBootstrap = (cache: PlanCache) =>
                runEnvironment([...stacks, "bootstrap-dev"], base, { cache, projectDir }).then((env) => ({ env, ...cache.stats.runs }));
            const copied = await withBootstrap(new PlanCache({ dir }));
            assert.deepEqual([copied.hits, copied.misses], [0, 3], "the folder is an input: its path is in messages");
            const same = await withBootstrap(new PlanCache({ dir }));
            assert.deepEqual([same.hits, same.misses], [3, 0]);
            fs.appendFileSync(path.join(projectDir, "Pulumi.org.yaml"), "# a comment\n");
            const commented = await withBootstrap(new PlanCache({ dir }));
            assert.deepEqual([commented.hits, commented.misses], [2, 1], "only the bootstrap stack reads the file whole");
            assert.deepEqual(what(commented.env), what(await runEnvironment([...stacks, "bootstrap-dev"], base, { projectDir })));
            const org = fs.readFileSync(path.join(projectDir, "Pulumi.org.yaml"), "utf8");
            fs.writeFileSync(path.join(projectDir, "Pulumi.org.yaml"), org.replace("program: organization", "program: research"));
            const reprogrammed = await withBootstrap(new PlanCache({ dir }));
            assert.deepEqual(
                [reprogrammed.hits, reprogrammed.misses],
                [0, 3],
                "a stack's program is in every stack's summary of the others",
            );
        });
    });

    describe("pack analyses", () => {
        /** A stand-in for the pack: counts what it is asked, answers with what it was sent. */
        const pack = () => {
            const asked: number[] = [];
            const stub = {
                configure: async () => undefined,
                analyzeAll: async (resources: readonly AnalyzedResource[]): Promise<Diagnostic[]> => {
                    asked.push(resources.length);
                    return [
                        {
                            policyName: "counted",
                            message: `${resources.length} resources`,
                            enforcementLevel: "advisory",
                            urn: "",
                            severity: 0,
                        },
                    ];
                },
            };
            return { asked, stub: stub as unknown as PolicyPackProcess };
        };
        const config = readPolicyConfig();
        let run: EnvironmentRun;
        before(async () => {
            run = await runEnvironment(["research", "dev"], { research: direct("research"), dev: direct("dev") });
        });

        it("are asked of the pack once per content, then reused from the cache; each input changed in turn asks again", async () => {
            const dir = tmp("plan-cache-");
            const dev = run.runs.get("dev")!;
            const ask = async (cache: PlanCache, packConfig = config, stackRun = dev) => {
                const { asked, stub } = pack();
                const diagnostics = await new PackAnalyses(packConfig, stub, cache).diagnostics(stackRun);
                return { asked: asked.length, diagnostics };
            };
            const first = await ask(new PlanCache({ dir }));
            assert.equal(first.asked, 1);
            const again = await ask(new PlanCache({ dir }));
            assert.deepEqual(again, { asked: 0, diagnostics: first.diagnostics }, "the same run, pack and config: from the cache");
            const once = pack();
            const analyses = new PackAnalyses(config, once.stub);
            await Promise.all([analyses.diagnostics(dev), analyses.diagnostics(dev)]);
            assert.deepEqual(
                once.asked,
                [dev.resources.length + 1],
                "twice in one plan (the engine's provider besides the resources): asked once",
            );

            const [rule] = Object.keys(config);
            const level = { ...config, [rule]: { ...config[rule], enforcementLevel: "disabled" as const } };
            assert.equal((await ask(new PlanCache({ dir }), level)).asked, 1, "the pack's configuration changed");
            const changedRun = {
                ...dev,
                resources: dev.resources.map((r, i) => (i === 1 ? { ...r, inputs: { ...r.inputs, changed: true } } : r)),
            };
            assert.equal((await ask(new PlanCache({ dir }), config, changedRun)).asked, 1, "a resource changed");
            const sourceDir = sourcesCopy("analyses");
            assert.equal((await ask(new PlanCache({ dir, sourceDir }))).asked, 0, "a copy of the same pack is the same");
            fs.appendFileSync(path.join(sourceDir, "policypacks", "cross-account-guard", "index.ts"), "\n// changed\n");
            assert.equal((await ask(new PlanCache({ dir, sourceDir }))).asked, 1, "the pack's sources changed");
        });
    });

    describe("access decisions", () => {
        const role = "arn:aws:iam::777788889999:role/reader";
        const bucket = "arn:aws:s3:::model-artifacts-111122223333";
        const readPolicy = (resource: string) => ({
            name: "dev: RolePolicy reader",
            document: {
                Version: "2012-10-17" as const,
                Statement: [{ Sid: "Read", Effect: "Allow" as const, Action: "s3:GetObject", Resource: resource }],
            },
        });
        const bucketPolicy = {
            name: "research: BucketPolicy artifacts",
            document: {
                Version: "2012-10-17" as const,
                Statement: [
                    { Sid: "Reader", Effect: "Allow" as const, Principal: { AWS: role }, Action: "s3:GetObject", Resource: `${bucket}/*` },
                ],
            },
        };
        const query = (object: string, identity = readPolicy(`${bucket}/*`)): AccessQuery => ({
            principal: role,
            action: "s3:GetObject",
            resource: `${bucket}/${object}`,
            resourceAccount: "111122223333",
            identityPolicies: [identity],
            resourcePolicy: bucketPolicy,
        });

        it("are simulated once, then reused from the cache, equal to fresh simulations; a changed policy or simulator is simulated again", async () => {
            const dir = tmp("plan-cache-");
            const queries = [query("a"), query("b"), query("a")];
            const fresh = await Promise.all(queries.map(simulateOnce));
            forgetDecisions();
            const first = new PlanCache({ dir });
            assert.deepEqual(await decideAll(queries, { cache: first }), fresh);
            assert.deepEqual(first.stats.decisions, { hits: 0, misses: 2 }, "the same query twice is one decision");
            forgetDecisions();
            const again = new PlanCache({ dir });
            assert.deepEqual(await decideAll(queries, { cache: again }), fresh);
            assert.deepEqual(again.stats.decisions, { hits: 2, misses: 0 });

            forgetDecisions();
            const narrowed = new PlanCache({ dir });
            const changed = [query("a", readPolicy(`${bucket}/b`)), query("b")];
            const decisions = await decideAll(changed, { cache: narrowed });
            assert.deepEqual(narrowed.stats.decisions, { hits: 1, misses: 1 }, "an identity policy changed");
            assert.deepEqual(decisions, [await simulateOnce(changed[0]), fresh[1]]);
            assert.equal(decisions[0].allowed, false);

            forgetDecisions();
            const sourceDir = sourcesCopy("decisions");
            fs.appendFileSync(path.join(sourceDir, "proof", "access", "simulator.ts"), "\n// changed\n");
            const newSimulator = new PlanCache({ dir, sourceDir });
            await decideAll(queries, { cache: newSimulator });
            assert.deepEqual(newSimulator.stats.decisions, { hits: 0, misses: 2 }, "the simulator's sources changed");
        });
    });
});
