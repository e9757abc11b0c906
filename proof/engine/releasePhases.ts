/**
 * The engine tier's release phases: the lock and the operation records as the real diy backend
 * keeps them (stack tags), and the releases (a Rekognition promotion, a SageMaker rollout and
 * rollback, a package rejected in the registry) through the real engine, with moto as the
 * research account's model registry. They run after "policy", on what "up" deployed.
 */
import * as fs from "fs";
import * as path from "path";
import * as yaml from "js-yaml";
import { DescribeModelPackageCommand } from "@aws-sdk/client-sagemaker";
import { LOCK_TAG, LockHolder } from "../../ops/stacks/lock";
import { KEEPER_TAG } from "../../ops/stacks/stackTags";
import { decodeRecord } from "../../ops/stacks/stateStore";
import { PROMOTION_KEY } from "../../ops/release/promotion";
import { HISTORY_KEY, PackageHistory, ROLLOUT_KEY } from "../../ops/release/rollout";
import { APPROVALS_KEY, ApprovalDecision } from "../../ops/release/registryGate";
import { rekognitionAccessRoleName } from "../../lib/naming";
import type { PhaseContext } from "./phases";
import { motoCaller, sagemakerAs, seedModelRegistry } from "./moto";
import { Ran, Sandbox } from "./sandbox";
import { StateResource, historyOf as updatesHistoryOf, said, stateOf, tagsOf } from "./engineState";

type Phase = (ctx: PhaseContext) => Promise<boolean>;

const REKOGNITION = "cross-account-models:rekognition";
const SAGEMAKER = "cross-account-models:sagemaker";
/** The version the promotion moves dev to: a version of the same project, in the form research's grants take. */
const PROMOTED_VERSION = "2025-06-01T08.00.00/1748764800000";
/** What the seeded approvals say, so that the rollout's printed approval shows it read moto's registry. */
const SEEDED_APPROVAL = "Approved by engine-tier-seed (moto)";

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const sameList = (a: readonly string[], b: readonly string[]) => JSON.stringify(a) === JSON.stringify(b);

const updatesOf = async (sandbox: Sandbox, stack: string): Promise<number> => (await updatesHistoryOf(sandbox, stack)).length;
/** The tags this project writes: its records (`cam.*`) and the keeper tag. */
const projectTags = (tags: Record<string, string>) => Object.keys(tags).filter((n) => n.startsWith("cam.") || n === KEEPER_TAG);
/** A record's header and chunk tags (`cam.<key>`, `cam.<key>.<generation>.<i>`). */
const recordTags = (tags: Record<string, string>, key: string) =>
    Object.keys(tags).filter((n) => n === `cam.${key}` || n.startsWith(`cam.${key}.`));

/** A stack file of the sandbox as the user sees it (the CLI's `config set --path` edits it). */
function stackConfig(sandbox: Sandbox, stack: string): Record<string, any> {
    return (yaml.load(fs.readFileSync(sandbox.stackFile(stack), "utf8")) as { config: Record<string, any> }).config;
}

/**
 * The state after each update of a stack, oldest first: the diy backend copies the checkpoint
 * beside each update's history entry (`<stack>-<unix nanoseconds>.checkpoint.json`).
 */
function checkpoints(sandbox: Sandbox, stack: string): { at: bigint; resources: StateResource[] }[] {
    const history = path.join(sandbox.root, "state", ".pulumi", "history");
    const own = new RegExp(`(^|/)${stack}/${stack}-(\\d+)\\.checkpoint\\.json$`);
    return fs
        .readdirSync(history, { recursive: true, encoding: "utf8" })
        .map((file) => ({ file, match: own.exec(file) }))
        .filter(({ match }) => match !== null)
        .map(({ file, match }) => ({
            at: BigInt(match![2]),
            resources: JSON.parse(fs.readFileSync(path.join(history, file), "utf8")).checkpoint.latest?.resources ?? [],
        }))
        .sort((a, b) => (a.at < b.at ? -1 : 1));
}

/** The versions the access role of `consumerAccountId` may call (the Allow statements of its inline policy). */
function allowedVersions(resources: readonly StateResource[], consumerAccountId: string): string[] | undefined {
    const policy = resources.find(
        (r) => r.type === "aws:iam/rolePolicy:RolePolicy" && r.outputs?.role === rekognitionAccessRoleName(consumerAccountId),
    );
    if (!policy) return undefined;
    const statements = JSON.parse(policy.outputs!.policy).Statement as { Effect: string; Resource: string | string[] }[];
    return statements.filter((s) => s.Effect === "Allow").flatMap((s) => [s.Resource].flat());
}

/** The value of the hosting stack's version parameter(s) (Parameter Store; a plain String parameter keeps it in insecureValue). */
const parameterValues = (resources: readonly StateResource[]) =>
    resources.filter((r) => r.type === "aws:ssm/parameter:Parameter").map((r) => (r.outputs?.insecureValue ?? r.outputs?.value) as string);

/** The package the stack's SageMaker model serves, and whether its endpoint config serves that model. */
function servedPackage(resources: readonly StateResource[]): { modelPackage?: string; configServesModel: boolean } {
    const model = resources.find((r) => r.type === "aws:sagemaker/model:Model");
    const config = resources.find((r) => r.type === "aws:sagemaker/endpointConfiguration:EndpointConfiguration");
    return {
        modelPackage: model?.outputs?.primaryContainer?.modelPackageName,
        configServesModel: !!model && config?.outputs?.productionVariants?.[0]?.modelName === model.outputs?.name,
    };
}

/** The version dev moves to: the same project's, in the form of the one it calls now. */
function promotionTarget(sandbox: Sandbox): { from: string; to: string } {
    const from = stackConfig(sandbox, "dev")[REKOGNITION].activeVersionArn as string;
    const form = /^(arn:[^:]+:rekognition:[^:]+:\d{12}:project\/([^/]+)\/version\/)[^/]+\/\d{13}$/.exec(from);
    if (!form) throw new Error(`dev's activeVersionArn is not a version ARN: ${from}`);
    return { from, to: `${form[1]}${form[2]}.${PROMOTED_VERSION}` };
}

/** The caller the sandbox gives the orchestrator, for the test's own calls to moto. */

/** The research account's deployment role, through which the orchestrator reads and sets the registry. */
const researchRole = (sandbox: Sandbox) => stackConfig(sandbox, "research")["aws:assumeRoles"][0].roleArn as string;

const recordsAndLocks: Phase = async ({ cli, sandbox, judge }) => {
    const phase = "records and locks";
    let firstEnded = false;
    const first = sandbox.envCommand("up", "--yes").finally(() => (firstEnded = true));
    let record: string | undefined;
    while (!firstEnded && record === undefined) {
        record = (await tagsOf(sandbox, "research"))[LOCK_TAG];
        if (record === undefined) await sleep(300);
    }
    const holder = record === undefined ? undefined : (JSON.parse(record) as LockHolder);
    judge.check(
        cli,
        phase,
        !!holder && /^up( |$)/.test(holder.operation) && holder.pid > 0,
        "while npm run env -- up --yes runs, pulumi stack tag ls -s research shows its lock record (cam.lock), naming the operation",
        "pkg/cmd/pulumi/stack/stack_tag.go (ls --json), pkg/backend/diy/stack_tags.go (the stack's .pulumi-tags file); ops/stacks/lock.ts",
        record ?? "no cam.lock tag was seen before the up ended",
    );
    if (holder) {
        // Another checkout on this machine shares the local lock file (in the temporary folder); a
        // process with a temporary folder of its own stands for another machine, which sees only
        // the record in the backend.
        const elsewhere = path.join(sandbox.root, "another-machine-tmp");
        fs.mkdirSync(elsewhere, { recursive: true });
        const { to } = promotionTarget(sandbox);
        // Whether the holder still ran when each was refused.
        const whileHeld = (ran: Promise<Ran>) => ran.then((r) => ({ r, holderRunning: !firstEnded }));
        // --debug prints the refusal's stack trace: which of the two locks refused.
        const [here, there] = await Promise.all([
            whileHeld(sandbox.envCommand("promote", "dev", "--to", to, "--skip-smoke-test", "--debug")),
            whileHeld(sandbox.script("env.ts", ["up", "--yes", "--debug", "--backend", sandbox.backendUrl], { TMPDIR: elsewhere })),
        ]);
        const names = `(pid ${holder.pid}), running \`${holder.operation}\``;
        for (const [what, byRecord, { r, holderRunning }] of [
            ["npm run env -- promote dev from the same machine is refused by the local lock", false, here],
            [
                "npm run env -- up --yes with a temporary folder of its own (another machine) is refused by the backend's record",
                true,
                there,
            ],
        ] as const) {
            judge.check(
                cli,
                phase,
                r.code === 1 && said(r).includes(names) && said(r).includes("at acquireRecord") === byRecord && holderRunning,
                `${what} at once (exit 1, ${r.seconds.toFixed(0)} s, the up still running), naming the holder`,
                "ops/stacks/lock.ts withEnvironmentLock, acquireRecord",
                `exit ${r.code}, the holder ${holderRunning ? "still running" : "had ended"}: ${said(r)}`,
            );
        }
    }
    const ran = await first;
    judge.check(cli, phase, ran.code === 0, "the up holding the lock succeeds", undefined, said(ran));
    const left = projectTags(await tagsOf(sandbox, "research"));
    judge.check(
        cli,
        phase,
        sameList(left, [KEEPER_TAG]),
        `after it, of the project's tags on research only the keeper tag ${KEEPER_TAG} remains (the lock record removed; before CLI 3.249.0 only because the keeper tag is never the last, pulumi#23702)`,
        "pkg/backend/diy/stack_tags.go saveStackTags (an empty tag set is not written); ops/stacks/stackTags.ts keepingLastTag",
        left.join(", "),
    );
    return true;
};

type Consumer = { stack: string; accountId: string; grantedVersions: string[] };
type Checkpoint = ReturnType<typeof checkpoints>[number];

/** Research's Rekognition consumers, as the sandbox's Pulumi.research.yaml says. */
const consumersOf = (sandbox: Sandbox) => stackConfig(sandbox, "research")[REKOGNITION].consumers as Consumer[];

/** The states each of the promotion's updates left: the grant (research), then the flip (dev). */
function checkPromotionSteps(
    { cli, judge }: PhaseContext,
    grant: Checkpoint | undefined,
    flip: Checkpoint | undefined,
    devAccount: string,
    from: string,
    to: string,
): void {
    const phase = "promote";
    const granted = grant && allowedVersions(grant.resources, devAccount);
    judge.check(
        cli,
        phase,
        !!granted && granted.includes(from) && granted.includes(to),
        "after the grant, dev's access role allows the old and the new version (research's state)",
        undefined,
        JSON.stringify(granted),
    );
    const flipped = flip && parameterValues(flip.resources);
    judge.check(
        cli,
        phase,
        !!flipped && sameList(flipped, [to]),
        "the flip's state names the new version in dev's version parameter",
        undefined,
        JSON.stringify(flipped),
    );
}

/** After the promotion: the states, the stack files and the tags. */
async function checkPromotedState({ cli, sandbox, judge }: PhaseContext, before: Consumer[], from: string, to: string): Promise<void> {
    const phase = "promote";
    const dev = before.find((c) => c.stack === "dev")!;
    const devNow = parameterValues(await stateOf(sandbox, "dev"));
    judge.check(
        cli,
        phase,
        sameList(devNow, [to]),
        "dev's SSM parameter (pulumi stack export -s dev) names the new version",
        undefined,
        JSON.stringify(devNow),
    );
    const researchNow = await stateOf(sandbox, "research");
    const allowed = allowedVersions(researchNow, dev.accountId);
    judge.check(
        cli,
        phase,
        !!allowed && allowed.includes(to) && !allowed.includes(from),
        "research's state: dev's access role allows the new version and no longer the old one",
        undefined,
        JSON.stringify(allowed),
    );
    const others = before.filter((c) => c.stack !== "dev");
    judge.check(
        cli,
        phase,
        others.every((c) => sameList(allowedVersions(researchNow, c.accountId) ?? [], c.grantedVersions)),
        "the other consumers' access roles are unchanged",
        undefined,
        JSON.stringify(others.map((c) => [c.stack, allowedVersions(researchNow, c.accountId)])),
    );
    const after = consumersOf(sandbox);
    const active = stackConfig(sandbox, "dev")[REKOGNITION].activeVersionArn;
    judge.check(
        cli,
        phase,
        active === to &&
            sameList(after.find((c) => c.stack === "dev")!.grantedVersions, [to]) &&
            others.every((c) => sameList(after.find((a) => a.stack === c.stack)!.grantedVersions, c.grantedVersions)),
        "the sandbox's Pulumi.dev.yaml names the new version and Pulumi.research.yaml grants dev only it",
        "pkg/cmd/pulumi/config/config.go (config set/rm --path edit the stack file)",
        `dev: ${active}; research: ${JSON.stringify(after.map((c) => [c.stack, c.grantedVersions]))}`,
    );
    const tags = await tagsOf(sandbox, "dev");
    judge.check(
        cli,
        phase,
        recordTags(tags, PROMOTION_KEY).length === 0 && KEEPER_TAG in tags,
        "no promotion record remains in dev's tags (the keeper tag does)",
        "pkg/backend/diy/stack_tags.go; ops/release/promotion.ts",
        projectTags(tags).join(", "),
    );
}

const promotePhase: Phase = async (ctx) => {
    const { cli, sandbox, judge } = ctx;
    const phase = "promote";
    const { from, to } = promotionTarget(sandbox);
    const before = consumersOf(sandbox);
    const dev = before.find((c) => c.stack === "dev")!;
    const researchBefore = checkpoints(sandbox, "research").length;
    const devBefore = checkpoints(sandbox, "dev").length;
    const ran = await sandbox.envCommand("promote", "dev", "--to", to, "--skip-smoke-test");
    if (
        !judge.check(
            cli,
            phase,
            ran.code === 0 && said(ran).includes(`promoted dev from ${from} to ${to}: grant, smoke-test, flip, revoke, stop-old`),
            `npm run env -- promote dev --to <${PROMOTED_VERSION}> --skip-smoke-test runs grant, flip and revoke through the engine`,
            "ops/release/promotion.ts",
            said(ran),
        )
    )
        return true;
    const research = checkpoints(sandbox, "research").slice(researchBefore);
    const flip = checkpoints(sandbox, "dev").slice(devBefore);
    judge.check(
        cli,
        phase,
        research.length === 2 && flip.length === 1 && research[0].at < flip[0].at && flip[0].at < research[1].at,
        "the backend recorded three updates in AWS's order: research (grant), dev (flip), research (revoke)",
        "pkg/backend/diy/state.go addToHistory (a checkpoint copy per update)",
        `research: ${research.map((c) => c.at).join(", ")}; dev: ${flip.map((c) => c.at).join(", ")}`,
    );
    checkPromotionSteps(ctx, research[0], flip[0], dev.accountId, from, to);
    await checkPromotedState(ctx, before, from, to);
    return true;
};

/** The rollout's package: one research grants that neither target serves, else one production does not serve. */
function rolloutTarget(sandbox: Sandbox): { granted: string[]; pkg?: string; staging: string; production: string } {
    const granted = stackConfig(sandbox, "research")[SAGEMAKER].approvedModelPackages as string[];
    const staging = stackConfig(sandbox, "dev")[SAGEMAKER].modelPackageArn as string;
    const production = stackConfig(sandbox, "prod")[SAGEMAKER].modelPackageArn as string;
    const pkg = granted.find((p) => p !== staging && p !== production) ?? granted.find((p) => p !== production);
    return { granted, pkg, staging, production };
}

async function historyOf(sandbox: Sandbox, stack: string): Promise<PackageHistory | undefined> {
    return decodeRecord<PackageHistory>(stack, HISTORY_KEY, await tagsOf(sandbox, stack));
}

/** `rollback prod`: one update back to the package production served before. */
async function checkRollback({ cli, sandbox, judge }: PhaseContext, production: string): Promise<void> {
    const phase = "rollout";
    const prodUpdates = await updatesOf(sandbox, "prod");
    const back = await sandbox.envCommand("rollback", "prod");
    const restored = servedPackage(await stateOf(sandbox, "prod"));
    const history = await historyOf(sandbox, "prod");
    judge.check(
        cli,
        phase,
        back.code === 0 &&
            said(back).includes(`rolled prod back to ${production}`) &&
            restored.modelPackage === production &&
            restored.configServesModel &&
            (await updatesOf(sandbox, "prod")) === prodUpdates + 1 &&
            sameList(history?.served ?? [], [production]),
        "npm run env -- rollback prod deploys the previous package in one update (prod's state and history name it)",
        "ops/release/rollout.ts rollback",
        `${said(back)}\nprod serves ${JSON.stringify(restored)}; history ${JSON.stringify(history)}`,
    );
}

const rolloutPhase: Phase = async (ctx) => {
    const { cli, sandbox, judge } = ctx;
    const phase = "rollout";
    const { granted, pkg, staging, production } = rolloutTarget(sandbox);
    const group = stackConfig(sandbox, "research")[SAGEMAKER].modelPackageGroupName as string;
    const count = Math.max(...granted.map((p) => Number(/\/(\d+)$/.exec(p)?.[1] ?? 0)));
    const sagemaker = await sagemakerAs(motoCaller(sandbox), researchRole(sandbox));
    const arns = await seedModelRegistry(sagemaker, { group, count, approved: granted, approvalDescription: SEEDED_APPROVAL });
    if (
        !judge.check(
            cli,
            phase,
            granted.every((p) => arns.includes(p)) && !!pkg,
            `moto's registry, seeded as research's deployment role, holds the packages research grants (${group} 1 to ${count})`,
            "moto/sts/models.py assume_role (the role's account), moto/sagemaker/models.py create_model_package",
            `moto answered ${arns.join(", ")}; research grants ${granted.join(", ")}`,
        )
    )
        return true;
    const ran = await sandbox.envCommand("rollout", "--to", pkg!, "--skip-smoke-test", "--approve");
    if (
        !judge.check(
            cli,
            phase,
            ran.code === 0 &&
                said(ran).includes(`rolled out ${pkg}: deploy-staging, smoke-test-staging, approval, deploy-production`) &&
                said(ran).includes(`registry approval: ${SEEDED_APPROVAL}`),
            `npm run env -- rollout --to <${pkg!.split(":").pop()}> --skip-smoke-test --approve deploys dev then prod, the approval read from moto's registry`,
            "ops/release/rollout.ts; ops/release/rolloutDriver.ts (DescribeModelPackage as research's deployment role)",
            said(ran),
        )
    )
        return true;
    for (const stack of ["dev", "prod"]) {
        const served = servedPackage(await stateOf(sandbox, stack));
        judge.check(
            cli,
            phase,
            served.modelPackage === pkg && served.configServesModel && stackConfig(sandbox, stack)[SAGEMAKER].modelPackageArn === pkg,
            `${stack}'s SageMaker model (pulumi stack export) names the package, its endpoint config serves that model, and Pulumi.${stack}.yaml names it`,
            undefined,
            JSON.stringify(served),
        );
    }
    const research = await tagsOf(sandbox, "research");
    judge.check(
        cli,
        phase,
        recordTags(research, ROLLOUT_KEY).length === 0,
        "no rollout record remains in research's tags",
        "pkg/backend/diy/stack_tags.go",
        projectTags(research).join(", "),
    );
    const histories = { dev: await historyOf(sandbox, "dev"), prod: await historyOf(sandbox, "prod") };
    judge.check(
        cli,
        phase,
        sameList(histories.dev?.served ?? [], [...new Set([staging, pkg!])]) &&
            sameList(histories.prod?.served ?? [], [production, pkg!]) &&
            histories.dev?.attempted === undefined &&
            histories.prod?.attempted === undefined,
        "each target's package history record (cam.rollout-history) lists what it served before and the package",
        "ops/release/rollout.ts; ops/stacks/stateStore.ts",
        JSON.stringify(histories),
    );
    await checkRollback(ctx, production);
    return true;
};

const rejectedPackage: Phase = async ({ cli, sandbox, judge }) => {
    const phase = "rejected package";
    const pkg = stackConfig(sandbox, "dev")[SAGEMAKER].modelPackageArn as string;
    const ran = await sandbox.envCommand("approve-package", "--package", pkg, "--approver", "engine-tier", "--reject");
    const sagemaker = await sagemakerAs(motoCaller(sandbox), researchRole(sandbox));
    const described = await sagemaker.send(new DescribeModelPackageCommand({ ModelPackageName: pkg }));
    const decisions = decodeRecord<{ decisions: ApprovalDecision[] }>("research", APPROVALS_KEY, await tagsOf(sandbox, "research"));
    const last = decisions?.decisions.at(-1);
    judge.check(
        cli,
        phase,
        ran.code === 0 &&
            described.ModelApprovalStatus === "Rejected" &&
            !!described.ApprovalDescription?.startsWith("Rejected by engine-tier at") &&
            last?.modelPackageArn === pkg &&
            last.status === "Rejected",
        `npm run env -- approve-package --package <${pkg.split(":").pop()}> --approver engine-tier --reject: moto's registry says Rejected, research's approvals record keeps the decision`,
        "ops/release/registryGate.ts decidePackage (UpdateModelPackage as research's deployment role)",
        `${said(ran)}\nmoto: ${described.ModelApprovalStatus} "${described.ApprovalDescription}"; record: ${JSON.stringify(last)}`,
    );
    const stacks = ["dev", "prod"];
    const before = await Promise.all(stacks.map(async (s) => [await updatesOf(sandbox, s), JSON.stringify(await tagsOf(sandbox, s))]));
    const refused = await sandbox.envCommand("rollout", "--to", pkg, "--skip-smoke-test", "--approve");
    const after = await Promise.all(stacks.map(async (s) => [await updatesOf(sandbox, s), JSON.stringify(await tagsOf(sandbox, s))]));
    const research = await tagsOf(sandbox, "research");
    judge.check(
        cli,
        phase,
        refused.code === 1 &&
            said(refused).includes(`${pkg} is Rejected`) &&
            sameList(before.flat().map(String), after.flat().map(String)) &&
            recordTags(research, ROLLOUT_KEY).length === 0,
        "a rollout to the rejected package is refused (exit 1) before any update: dev's and prod's histories and tags unchanged, no rollout record",
        "ops/release/registryGate.ts requireApproved",
        said(refused),
    );
    return true;
};

export const RELEASE_PHASES: readonly (readonly [string, Phase])[] = [
    ["records and locks", recordsAndLocks],
    ["promote", promotePhase],
    ["rollout", rolloutPhase],
    ["rejected package", rejectedPackage],
];
