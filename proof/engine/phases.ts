/**
 * The engine tier's phases, in order; each runs commands as users run them and checks the result.
 * A phase returns false when the phases after it cannot mean anything (nothing deployed).
 */
import * as fs from "fs";
import { fromExport, protectedClosure } from "../../ops/stacks/protection";
import { BedrockStub } from "./bedrockStub";
import { doctorPhase } from "./doctorPhase";
import { Judge } from "./judge";
import { RELEASE_PHASES } from "./releasePhases";
import { Sandbox } from "./sandbox";
import { StateResource, historyOf, outputsOf, said, stateOf } from "./engineState";

/** What the offline world predicts each stack declares: `type::name` of every resource, by stack. */
export type Prediction = ReadonlyMap<string, ReadonlySet<string>>;

export interface PhaseContext {
    readonly cli: string;
    readonly sandbox: Sandbox;
    readonly judge: Judge;
    readonly bedrock: BedrockStub;
    readonly prediction: Prediction;
}

type Phase = (ctx: PhaseContext) => Promise<boolean>;

const BOOTSTRAP = ["bootstrap-research", "bootstrap-dev", "bootstrap-prod", "bootstrap-org"];
const STACKS = ["research", "dev", "prod", "org"];
const PACK = [
    "--policy-pack",
    "policypacks/cross-account-guard",
    "--policy-pack-config",
    "policypacks/cross-account-guard/policy-config.example.json",
];
/** The external ID the consumer's access role requires, kept as a `secure:` value. */
const EXTERNAL_ID = "engine-tier-external-id-7f3a";

const nameOf = (urn: string) => urn.split("::").pop()!;

/** The resources as the engine holds them, in the offline form `type::name` (default providers aside: mocks register none). */
const declared = (resources: readonly StateResource[]) =>
    new Set(
        resources
            .filter((r) => !r.urn.includes("::pulumi:providers:") || !/::default(_\d+)*$/.test(r.urn))
            .map((r) => `${r.type}::${nameOf(r.urn)}`),
    );

function sameSet(a: ReadonlySet<string>, b: ReadonlySet<string>): string | undefined {
    const missing = [...b].filter((x) => !a.has(x));
    const extra = [...a].filter((x) => !b.has(x));
    return missing.length + extra.length === 0
        ? undefined
        : `missing: ${missing.join(", ") || "none"}; unexpected: ${extra.join(", ") || "none"}`;
}

async function latestChanges(sandbox: Sandbox, stack: string): Promise<Record<string, number>> {
    return (await historyOf(sandbox, stack))[0]?.resourceChanges ?? {};
}

const bootstrap: Phase = async ({ cli, sandbox, judge }) => {
    const ran = await sandbox.envCommand("bootstrap", "--yes");
    const ok = judge.check(
        cli,
        "bootstrap",
        ran.code === 0,
        "npm run env -- bootstrap --yes deploys every account's deployment role",
        undefined,
        said(ran),
    );
    for (const stack of BOOTSTRAP) {
        const state = await stateOf(sandbox, stack);
        judge.check(
            cli,
            "bootstrap",
            state.some((r) => r.type === "aws:iam/role:Role" && r.protect),
            `${stack} holds its protected deployment role`,
        );
    }
    return ok;
};

/** Secrets are set before the first update: `pulumi config set --secret` encrypts with the passphrase. */
async function setSecrets(sandbox: Sandbox): Promise<void> {
    for (const [stack, key] of [
        ["research", "cross-account-models:rekognition.consumers[0].externalId"],
        ["dev", "cross-account-models:rekognition.externalId"],
    ]) {
        for (const args of [
            // The first locked operation already created research (its lock record lives there).
            ["stack", "select", "--create", "--secrets-provider", "passphrase", stack],
            ["config", "set", "--path", "--secret", "-s", stack, key, EXTERNAL_ID],
        ]) {
            const ran = await sandbox.pulumi(...args);
            if (ran.code !== 0) throw new Error(`pulumi ${args.join(" ")}: ${said(ran)}`);
        }
    }
}

const up: Phase = async (ctx) => {
    const { cli, sandbox, judge, prediction, bedrock } = ctx;
    await setSecrets(sandbox);
    const ran = await sandbox.envCommand("up", "--yes");
    if (!judge.check(cli, "up", ran.code === 0, "npm run env -- up --yes deploys research, dev, prod and org", undefined, said(ran)))
        return false;
    const states = new Map(await Promise.all(STACKS.map(async (s) => [s, await stateOf(sandbox, s)] as const)));
    for (const stack of STACKS) {
        const difference = sameSet(declared(states.get(stack)!), prediction.get(stack)!);
        judge.check(
            cli,
            "up",
            !difference,
            `${stack}: the engine holds exactly the resources the offline run registers`,
            undefined,
            difference,
        );
    }
    // A StackReference's outputs are the referenced stack's outputs, read by the engine's builtin provider.
    const research = await outputsOf(sandbox, "research");
    for (const stack of ["dev", "prod"]) {
        const reference = states.get(stack)!.find((r) => r.type === "pulumi:pulumi:StackReference");
        judge.check(
            cli,
            "up",
            research.artifactBucketName !== undefined && reference?.outputs?.outputs?.artifactBucketName === research.artifactBucketName,
            `${stack} reads research's exports through a real StackReference`,
            "pkg/resource/deploy/builtins.go (readStackReference)",
        );
    }
    const job = states.get("dev")!.find((r) => r.type.endsWith("ModelImportJob"));
    const created = bedrock.callsOf("CreateModelImportJob");
    judge.check(
        cli,
        "up",
        !!job &&
            created.some((c) => c.jobName?.startsWith("cmi-job-777788889999")) &&
            bedrock.model(job.outputs?.importedModelArn) !== undefined,
        "the import job ran through the real engine's dynamic provider and recorded the model Bedrock imported",
        "sdk/nodejs/cmd/dynamic-provider",
    );
    judge.check(
        cli,
        "up",
        fs.readFileSync(sandbox.stackFile("research"), "utf8").includes("secure:"),
        "the external ID is a secure: value in Pulumi.research.yaml",
    );
    const seen = [
        said(ran),
        ...(await Promise.all(["research", "dev"].map(async (s) => said(await sandbox.pulumi("stack", "output", "--json", "-s", s))))),
    ];
    seen.push(...(await Promise.all(["research", "dev"].map(async (s) => JSON.stringify(await stateOf(sandbox, s))))));
    judge.check(
        cli,
        "up",
        !seen.some((text) => text.includes(EXTERNAL_ID)),
        "the external ID appears in no output, log line or state export in plain text",
    );
    return true;
};

const secondUp: Phase = async ({ cli, sandbox, judge }) => {
    const ran = await sandbox.envCommand("up", "--yes");
    judge.check(cli, "second up", ran.code === 0, "a second up succeeds", undefined, said(ran));
    for (const stack of STACKS) {
        const changes = await latestChanges(sandbox, stack);
        const changed = Object.entries(changes).filter(([op, n]) => op !== "same" && n > 0);
        judge.check(
            cli,
            "second up",
            changed.length === 0,
            `${stack}: a second up changes nothing`,
            "sdk/go/common/apitype/history.go UpdateInfo.ResourceChanges",
            JSON.stringify(changes),
        );
    }
    return true;
};

const policy: Phase = async ({ cli, sandbox, judge }) => {
    for (const stack of [...BOOTSTRAP, ...STACKS]) {
        const ran = await sandbox.pulumi("preview", "--non-interactive", ...PACK, "-s", stack);
        judge.check(
            cli,
            "policy",
            ran.code === 0,
            `pulumi preview --policy-pack: ${stack} passes, the CLI loading the pack itself`,
            undefined,
            said(ran),
        );
    }
    const file = sandbox.stackFile("dev");
    const shipped = fs.readFileSync(file, "utf8");
    // Valid for the program (AWS allows 7 to 30 days), below the pack's mandatory minimum of 30.
    const set = await sandbox.pulumi("config", "set", "-s", "dev", "cross-account-models:keyDeletionWindowDays", "7");
    if (set.code !== 0) throw new Error(`pulumi config set: ${said(set)}`);
    try {
        const ran = await sandbox.pulumi("preview", "--non-interactive", ...PACK, "-s", "dev");
        judge.check(
            cli,
            "policy",
            ran.code !== 0 && said(ran).includes("kms-deletion-window"),
            "a mandatory violation brought into dev's config (keyDeletionWindowDays: 7) stops its preview",
            "pkg/resource/deploy/step_generator.go: a mandatory violation fails the step generator",
            said(ran),
        );
        const before = (await sandbox.pulumi("stack", "history", "--json", "-s", "dev")).stdout;
        const refused = await sandbox.envCommand("up", "dev", "--yes");
        const after = (await sandbox.pulumi("stack", "history", "--json", "-s", "dev")).stdout;
        judge.check(
            cli,
            "policy",
            refused.code === 1 && /mandatory policy violation/.test(said(refused)) && before === after,
            "npm run env -- up dev refuses the stack before any update (its history unchanged)",
            undefined,
            said(refused),
        );
    } finally {
        fs.writeFileSync(file, shipped);
    }
    return true;
};

const refresh: Phase = async ({ cli, sandbox, judge }) => {
    const ran = await sandbox.envCommand("refresh");
    judge.check(cli, "refresh", ran.code === 0, "npm run env -- refresh succeeds on every stack", undefined, said(ran));
    return true;
};

const destroy: Phase = async ({ cli, sandbox, judge }) => {
    const before = new Map(await Promise.all(STACKS.map(async (s) => [s, await stateOf(sandbox, s)] as const)));
    const ran = await sandbox.envCommand("destroy", "--yes");
    judge.check(
        cli,
        "destroy",
        ran.code === 0,
        "npm run env -- destroy --yes succeeds, leaving the protected resources",
        undefined,
        said(ran),
    );
    for (const stack of STACKS) {
        const resources = before.get(stack)!;
        // The offline model of what `destroy --exclude-protected` keeps, over the engine's own state.
        const kept = protectedClosure(fromExport(resources));
        const left = new Set((await stateOf(sandbox, stack)).map((r) => r.urn));
        const difference = sameSet(left, kept);
        judge.check(
            cli,
            "destroy",
            !difference,
            `${stack}: what is left is exactly the protected resources and what they depend on`,
            "pkg/cmd/pulumi/operations/destroy.go getProtectedExcludes",
            difference,
        );
        const statement = new RegExp(
            `^${stack} keeps \\d+ protected resource\\(s\\): ([^;.]*)(?:; and \\d+ they depend on: (.*))?\\.$`,
            "m",
        ).exec(said(ran));
        const listed = [statement?.[1], statement?.[2]].filter(Boolean).flatMap((names) => names!.split(", "));
        const state = [...left].filter((urn) => !/::pulumi:(pulumi:Stack|providers:[^:]+)::/.test(urn)).map(nameOf);
        const mismatch = sameSet(new Set(listed), new Set(state));
        judge.check(
            cli,
            "destroy",
            !mismatch,
            `${stack}: what the orchestrator said it kept is what the state the CLI exports holds`,
            undefined,
            mismatch,
        );
    }
    return true;
};

export const PHASES: readonly (readonly [string, Phase])[] = [
    ["bootstrap", bootstrap],
    ["up", up],
    ["second up", secondUp],
    ["policy", policy],
    ...RELEASE_PHASES,
    ["doctor", doctorPhase],
    ["refresh", refresh],
    ["destroy", destroy],
];
