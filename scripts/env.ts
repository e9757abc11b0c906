/**
 * `npm run env -- <command> [stack ...]`: runs preview, up, destroy, refresh or outputs over an
 * environment with the Pulumi Automation API, in the order of the stacks' references.
 */
import * as fs from "fs";
import * as path from "path";
import { automationPromotionDriver } from "../ops/release/promotionDriver";
import { abandonPromotion, promote } from "../ops/release/promotion";
import { parseStackConfig } from "../lib/config/stackConfig";
import { plaintextOf } from "../lib/config/secret";
import { RolloutStopped, rollback, rollout } from "../ops/release/rollout";
import { automationRegistryDriver, automationRolloutDriver } from "../ops/release/rolloutDriver";
import { decidePackage } from "../ops/release/registryGate";
import { askOnTerminal } from "../ops/cli/terminal";
import { protectedLeft } from "../ops/stacks/preview";
import { smokeTestChoice } from "../ops/release/smoke";
import { UsageError } from "../ops/cli/errors";
import { ParsedArgs, cli, requireKnownStacks } from "../ops/cli/args";
import { MIN_PULUMI_CLI, checkPrerequisites } from "../ops/stacks/prerequisites";
import { PROJECT } from "../lib/naming";
import { AutomationWorkspace } from "../ops/stacks/automation";
import { commandBackend } from "../ops/stacks/backend";
import { EnvironmentLockOptions, unlockEnvironment, withEnvironmentLock } from "../ops/stacks/lock";
import { automationStackTags, lazyWorkspace } from "../ops/stacks/stackTags";
import { buildGraph, declaredReads } from "../ops/stacks/graph";
import { referencedStack } from "../lib/naming";
import { ProgressBoard } from "../ops/stacks/progress";
import { orchestrate } from "../ops/stacks/runner";
import { deploymentRoleProblems, stacksFor } from "../ops/stacks/deploymentRoles";
import { bootstrapStackOf, readProjectStacks } from "../lib/config/projectStacks";
import { Command } from "../ops/stacks/workspace";
import { DEFAULT_PACK_DIR, EXAMPLE_CONFIG_PATH, PROJECT_DIR, listStacks, readStackConfig } from "../ops/project";

const HELP = `Usage: npm run env -- <command> [stack ...] [options]

Commands:
  bootstrap [stack ...]
            deploy the bootstrap stacks (all, or those named): each account's deployment role,
            which every other stack deploys through (aws:assumeRoles). The one step that needs
            each account's administrator credentials (aws:profile of Pulumi.bootstrap-<x>.yaml,
            or AWS_PROFILE), once per account and again when a program starts managing new kinds
            of resources; previewed, gated and confirmed like up
  preview   preview every stack, with the policy pack
  up        deploy in dependency order (independent stacks in parallel), a level of stacks at a
            time: preview each with the policy pack, show the changes (replacements and
            deletions of protected or data-holding resources called out), refuse a stack with a
            mandatory violation, ask, then update; then re-apply stacks with feedback references
            until nothing changes (only with endpoint pinning: by default research runs once)
  destroy   destroy in reverse dependency order, previewed and confirmed the same way; protected
            resources (model buckets, keys) and what they depend on are left and listed, unless
            --include-protected
  refresh   refresh every stack in dependency order
  outputs   print every stack's outputs
  promote <stack> --to <version ARN> (--smoke-image <file> | --skip-smoke-test) [--stop-old] [--abandon]
            move a consumer stack to another Rekognition model version in AWS's order:
            grant (research up), smoke test through the access role (with --smoke-image, run
            with the application role's credentials; --skip-smoke-test goes on untested, and
            the skip is recorded), flip the version parameter (<stack> up),
            revoke the old version (research up), optionally stop it; resumes where an
            interrupted promotion stopped, from any checkout using the same backend (its state
            is a stack tag of <stack>); --abandon forgets it.
            See it offline first: npm run plan -- --promote <stack> --to <version ARN>
  rollout --to <model package ARN> (--smoke-payload <file> [--content-type <type>] | --skip-smoke-test)
          [--staging dev] [--production prod] [--approve]
            staged SageMaker rollout: deploy the approved package to staging, invoke
            its endpoint (from inside the VPC, with --smoke-payload; --skip-smoke-test goes on
            untested, recorded in the rollout's state and the approval question), wait for
            approval (--approve, or a prompt on a terminal), then deploy to production; a failed
            stage stops the rollout, rerunning resumes it (from any checkout using the same
            backend). Without a smoke payload or the skip, the rollout is refused (exit 2) before
            anything changes, --approve or not. The package must be in research's
            approvedModelPackages and Approved in the model registry (read as research's
            deployment role when the rollout starts or resumes, again before production, and
            before a rollback): PendingManualApproval (exit 3) or Rejected (exit 1) is refused
  approve-package [research stack] --package <model package ARN> --approver <name>
          [--description <text>] [--reject]
            set the package's ModelApprovalStatus in research's model registry to Approved
            (Rejected with --reject), as research's deployment role; its ApprovalDescription
            records the approver and the time, and the decision is kept in the backend
  rollback <stack>
            deploy the package the stack served before its current one (after a failed update,
            the one it served before that update), if still approved in the registry; the last
            10 packages are remembered per stack
  unlock    release a stale environment lock (its holder's process is gone): the lock record
            in the backend and this machine's lock file

State and locks: promotions, rollouts and each stack's package history are kept in the backend
as stack tags, so an interrupted operation resumes from another checkout or machine. A resumed
operation first brings this checkout's Pulumi.<stack>.yaml files up to date with the steps
already done (commit them). promote, rollout, rollback, approve-package, up and destroy hold the
environment's lock; a second one is refused at once, naming the holder.

Stacks default to every Pulumi.<stack>.yaml but the bootstrap stacks (bootstrap runs those). The
order comes from the stacks each stack file says its program reads (a hosting stack's
researchStack; research's pinned consumer stacks), parsed, not run. A stack whose upstream stack
failed is not run.

Options:
  --backend <url>         Pulumi backend (default: $PULUMI_BACKEND_URL, else the one \`pulumi login\`
                          chose, else, said when used, the project's file backend .pulumi/,
                          which only this checkout sees: stacks, state and locks not shared)
  --policy-config <file>  policy pack config (default: ${path.relative(PROJECT_DIR, EXAMPLE_CONFIG_PATH)})
  --yes                   up, destroy: go ahead without asking (required without a terminal, as in CI)
  --include-protected     destroy: also delete protected resources, after removing their protection
  --debug                 show stack traces
  --help                  this text (also after a command)

Options take --name value or --name=value. Exit codes: 0 done, 1 a stack or step failed (or an
error, or the environment locked by another operation), 2 a usage error (unknown command, flag
or stack, a flag the command does not take, a missing smoke-test choice), 3 a rollout waiting
for approval (its production gate, or the package's approval in the registry).

Needs the Pulumi CLI on PATH (${MIN_PULUMI_CLI} or later; checked first), PULUMI_CONFIG_PASSPHRASE for the
passphrase secrets provider (checked first), and one identity: the CI role the bootstrap stacks
trust (a stack with aws:assumeRoles deploys through its account's deployment role; up, preview,
refresh and destroy first check each such role was bootstrapped). A stack without aws:assumeRoles
uses its own credentials (AWS_PROFILE or aws:profile).`;

const SPEC = {
    usage: "npm run env --",
    help: HELP,
    options: {
        backend: { type: "string" },
        "policy-config": { type: "string" },
        to: { type: "string" },
        "stop-old": { type: "boolean" },
        "smoke-image": { type: "string" },
        abandon: { type: "boolean" },
        staging: { type: "string" },
        production: { type: "string" },
        approve: { type: "boolean" },
        "smoke-payload": { type: "string" },
        "content-type": { type: "string" },
        "skip-smoke-test": { type: "boolean" },
        package: { type: "string" },
        approver: { type: "string" },
        description: { type: "string" },
        reject: { type: "boolean" },
        yes: { type: "boolean" },
        "include-protected": { type: "boolean" },
    },
} as const;

type EnvArgs = ParsedArgs<typeof SPEC.options>;
type EnvOption = keyof typeof SPEC.options;

const STACK_OPTIONS: readonly EnvOption[] = ["backend", "policy-config"];
/** The options each command takes; any other is refused rather than silently ignored. */
export const COMMAND_OPTIONS: Record<
    Command | "bootstrap" | "promote" | "rollout" | "rollback" | "approve-package" | "unlock",
    readonly EnvOption[]
> = {
    bootstrap: [...STACK_OPTIONS, "yes"],
    preview: STACK_OPTIONS,
    up: [...STACK_OPTIONS, "yes"],
    destroy: [...STACK_OPTIONS, "yes", "include-protected"],
    refresh: STACK_OPTIONS,
    outputs: ["backend"],
    promote: [...STACK_OPTIONS, "to", "stop-old", "smoke-image", "skip-smoke-test", "abandon"],
    rollout: [...STACK_OPTIONS, "to", "staging", "production", "approve", "smoke-payload", "content-type", "skip-smoke-test"],
    rollback: STACK_OPTIONS,
    "approve-package": ["backend", "package", "approver", "description", "reject"],
    unlock: ["backend"],
};

/** The command, its stacks and options, checked against what the command takes and the stacks that exist. */
export function envCommand(
    args: Pick<EnvArgs, "values" | "positionals">,
    known: readonly string[],
    terminal = process.stdin.isTTY === true,
): { command: keyof typeof COMMAND_OPTIONS; stacks: string[] } {
    const [command, ...stacks] = args.positionals;
    if (command === undefined)
        throw new UsageError(`a command is needed (${Object.keys(COMMAND_OPTIONS).join(", ")}); see ${SPEC.usage} --help`);
    if (!(command in COMMAND_OPTIONS))
        throw new UsageError(
            `unknown command "${command}" (commands: ${Object.keys(COMMAND_OPTIONS).join(", ")}); see ${SPEC.usage} --help`,
        );
    const allowed = COMMAND_OPTIONS[command as keyof typeof COMMAND_OPTIONS];
    const refused = Object.keys(args.values).filter((o) => !allowed.includes(o as EnvOption));
    if (refused.length > 0)
        throw new UsageError(`${command} does not take ${refused.map((o) => `--${o}`).join(", ")}; see ${SPEC.usage} --help`);
    const values = args.values as Record<string, unknown>;
    requireKnownStacks([...stacks, ...[values.staging, values.production].filter((s): s is string => typeof s === "string")], known);
    if ((command === "promote" || command === "rollback") && stacks.length !== 1)
        throw new UsageError(`${command} takes one stack; see ${SPEC.usage} --help`);
    if (command === "unlock" && stacks.length > 0)
        throw new UsageError(`unlock takes no stack names: it releases the environment's lock; see ${SPEC.usage} --help`);
    if (command === "rollout" && stacks.length > 0)
        throw new UsageError(`rollout takes --staging and --production, not stack names; see ${SPEC.usage} --help`);
    if ((command === "promote" || command === "rollout") && values.to === undefined && !values.abandon)
        throw new UsageError(`${command} needs --to; see ${SPEC.usage} --help`);
    if (command === "approve-package" && stacks.length > 1)
        throw new UsageError(`approve-package takes at most one stack, the research stack holding the registry; see ${SPEC.usage} --help`);
    if (command === "approve-package" && (values.package === undefined || values.approver === undefined))
        throw new UsageError(`approve-package needs --package <model package ARN> and --approver <name>; see ${SPEC.usage} --help`);
    if ((command === "up" || command === "destroy" || command === "bootstrap") && !values.yes && !terminal) {
        throw new UsageError(
            `${command} changes stacks in several accounts: on a terminal it shows the previews and asks; without one (CI) pass --yes`,
        );
    }
    return { command: command as keyof typeof COMMAND_OPTIONS, stacks };
}

/**
 * The environment's lock (ops/stacks/lock.ts), recorded on its research stack: the stack
 * the named stacks read, or the research stack among them.
 */
function environmentLock(backendUrl: string, stacks: readonly string[]): EnvironmentLockOptions {
    let researchStack = "research";
    for (const stack of stacks) {
        const raw = readStackConfig(stack);
        const program = raw[`${PROJECT}:program`];
        if (program === "research") researchStack = stack;
        else if (program === "hosting") researchStack = referencedStack(raw[`${PROJECT}:researchStack`] ?? "research");
        else continue;
        break;
    }
    return {
        backendUrl,
        stack: researchStack,
        tags: automationStackTags(lazyWorkspace({ projectDir: PROJECT_DIR, backendUrl })),
        log: (m) => console.log(`lock: ${m}`),
    };
}

/** Runs `up`, `bootstrap` and `destroy` under the environment's lock; the read-only commands need none. */
function underLock<T>(command: Command | "bootstrap", stacks: readonly string[], backendUrl: string, run: () => Promise<T>): Promise<T> {
    return command === "up" || command === "destroy" || command === "bootstrap"
        ? withEnvironmentLock(environmentLock(backendUrl, stacks), `${command} ${stacks.join(" ")}`, run)
        : run();
}

async function promoteCommand(stack: string, values: EnvArgs["values"], backendUrl: string): Promise<number> {
    const config = parseStackConfig(stack, readStackConfig(stack));
    if (config.program !== "hosting")
        throw new UsageError(`${stack} is a ${config.program} stack; promote moves a consumer (hosting) stack`);
    const image = values["smoke-image"];
    const smokeTest = smokeTestChoice(image, values["skip-smoke-test"] === true, "--smoke-image");
    const board = new ProgressBoard((line) => console.log(line));
    const driver = automationPromotionDriver({
        ...stacksOptions(values, board, backendUrl),
        region: config.region,
        smokeImage: image ? fs.readFileSync(image) : undefined,
        // Only the smoke test (with an image) calls STS with it; a secret must be decrypted for that.
        externalId: image ? plaintextOf(config.rekognition?.externalId) : undefined,
        log: (message) => console.log(`promote ${stack}: ${message}`),
    });
    return withEnvironmentLock(environmentLock(backendUrl, [stack]), `promote ${stack}${values.abandon ? " --abandon" : ""}`, async () => {
        if (values.abandon) {
            await abandonPromotion(stack, driver);
            console.log(`forgot the promotion of ${stack} in progress; stack configurations are as the last completed step left them`);
            return 0;
        }
        const state = await promote(
            {
                stack,
                researchStack: referencedStack(config.researchStack),
                to: values.to!,
                stopOld: values["stop-old"] === true,
                smokeTest,
            },
            driver,
        );
        console.log(
            `promoted ${stack} from ${state.from} to ${state.to}: ${state.done.join(", ")}; smoke test ${state.smokeTest ?? "not recorded"}`,
        );
        return 0;
    });
}

function stacksOptions(values: EnvArgs["values"], board: ProgressBoard, backendUrl: string) {
    return {
        projectDir: PROJECT_DIR,
        backendUrl,
        policyPacks: [DEFAULT_PACK_DIR],
        policyPackConfigs: [values["policy-config"] ?? EXAMPLE_CONFIG_PATH],
        onProgress: board.onProgress,
    };
}

function rolloutDriverFor(values: EnvArgs["values"], stack: string, backendUrl: string) {
    const config = parseStackConfig(stack, readStackConfig(stack));
    if (config.program !== "hosting" || !config.sagemaker)
        throw new UsageError(`${stack} serves no SageMaker model (cross-account-models:sagemaker in Pulumi.${stack}.yaml)`);
    const payload = values["smoke-payload"];
    return {
        researchStack: referencedStack(config.researchStack),
        driver: automationRolloutDriver({
            ...stacksOptions(values, new ProgressBoard((line) => console.log(line)), backendUrl),
            region: config.region,
            endpointNameOf: (s) => `${PROJECT}-${s}`,
            payload: payload ? { body: fs.readFileSync(payload), contentType: values["content-type"] ?? "text/csv" } : undefined,
            approved: values.approve === true,
            log: (message) => console.log(`rollout: ${message}`),
        }),
    };
}

async function rolloutCommand(values: EnvArgs["values"], backendUrl: string): Promise<number> {
    const staging = values.staging ?? "dev";
    const production = values.production ?? "prod";
    const smokeTest = smokeTestChoice(values["smoke-payload"], values["skip-smoke-test"] === true, "--smoke-payload");
    const { researchStack, driver } = rolloutDriverFor(values, staging, backendUrl);
    try {
        const state = await withEnvironmentLock(
            environmentLock(backendUrl, [staging]),
            `rollout ${values.to} to ${staging}, ${production}`,
            () => rollout({ modelPackageArn: values.to!, researchStack, staging, production, smokeTest }, driver),
        );
        console.log(
            `rolled out ${state.modelPackageArn}: ${state.done.join(", ")}; smoke test ${state.smokeTest ?? "not recorded"}; registry approval: ${state.approval ?? "not recorded"}`,
        );
        return 0;
    } catch (err) {
        if (err instanceof RolloutStopped) {
            console.log(`rollout stopped: ${err.message}`);
            return 3;
        }
        throw err;
    }
}

async function rollbackCommand(stack: string, values: EnvArgs["values"], backendUrl: string): Promise<number> {
    const { researchStack, driver } = rolloutDriverFor(values, stack, backendUrl);
    const previous = await withEnvironmentLock(environmentLock(backendUrl, [stack]), `rollback ${stack}`, () =>
        rollback({ stack, researchStack }, driver),
    );
    console.log(`rolled ${stack} back to ${previous}`);
    return 0;
}

/** The research stack named, else the environment's only one: the one holding the registry. */
function registryStack(named: string | undefined): string {
    const research = listStacks().filter((s) => readStackConfig(s)[`${PROJECT}:program`] === "research");
    if (named !== undefined && !research.includes(named))
        throw new UsageError(`${named} is not a research stack (research stacks: ${research.join(", ") || "none"})`);
    if (named !== undefined) return named;
    if (research.length !== 1)
        throw new UsageError(`name the research stack holding the registry (research stacks: ${research.join(", ") || "none"})`);
    return research[0];
}

async function approvePackageCommand(named: string | undefined, values: EnvArgs["values"], backendUrl: string): Promise<number> {
    const researchStack = registryStack(named);
    const status = values.reject ? "Rejected" : "Approved";
    const driver = automationRegistryDriver({
        ...stacksOptions(values, new ProgressBoard((line) => console.log(line)), backendUrl),
        log: (message) => console.log(`approve-package: ${message}`),
    });
    const request = {
        researchStack,
        modelPackageArn: values.package!,
        status,
        approver: values.approver!,
        description: values.description,
    } as const;
    const decision = await withEnvironmentLock(
        environmentLock(backendUrl, [researchStack]),
        `approve-package ${values.package} (${status})`,
        () => decidePackage(request, driver),
    );
    console.log(
        `${decision.modelPackageArn} is ${decision.status} in the registry of ${researchStack}, by ${decision.approver} at ${decision.at}`,
    );
    return 0;
}

async function unlockCommand(backendUrl: string): Promise<number> {
    const released = await unlockEnvironment(environmentLock(backendUrl, listStacks()));
    console.log(released.length > 0 ? `released ${released.join("; ")}` : "no lock was held");
    return 0;
}

async function main(args: EnvArgs): Promise<number> {
    const { command, stacks: named } = envCommand(args, listStacks());
    const { values } = args;
    // Before any stack is touched: a missing CLI or passphrase is one message, not a dump per stack.
    await checkPrerequisites();
    const backendUrl = await commandBackend(values.backend, PROJECT_DIR, (line) => console.log(line));
    if (command === "promote") return promoteCommand(named[0], values, backendUrl);
    if (command === "rollout") return rolloutCommand(values, backendUrl);
    if (command === "rollback") return rollbackCommand(named[0], values, backendUrl);
    if (command === "approve-package") return approvePackageCommand(named[0], values, backendUrl);
    if (command === "unlock") return unlockCommand(backendUrl);
    const projectStacks = readProjectStacks();
    const stacks = stacksFor(command, named, projectStacks);
    const workspace = new AutomationWorkspace({
        projectDir: PROJECT_DIR,
        backendUrl,
        policyPacks: [DEFAULT_PACK_DIR],
        policyPackConfigs: [values["policy-config"] ?? EXAMPLE_CONFIG_PATH],
    });
    if (command === "bootstrap") {
        console.log(`bootstrap: ${stacks.join(", ")}, each with its account's administrator credentials (aws:profile, else AWS_PROFILE)`);
    } else if (command !== "outputs") {
        const problems = await deploymentRoleProblems(
            stacks.map((s) => parseStackConfig(s, readStackConfig(s), { stacks: projectStacks })),
            (account) => bootstrapStackOf(projectStacks, account),
            (stack) => workspace.deployedOutputs(stack),
        );
        if (problems.length > 0) {
            console.error(
                `${command} stopped before any stack ran: deployment roles missing\n${problems.map((p) => `  - ${p}`).join("\n")}`,
            );
            return 1;
        }
    }
    const operation: Command = command === "bootstrap" ? "up" : command;

    const references = declaredReads(stacks.map((s) => parseStackConfig(s, readStackConfig(s), { stacks: projectStacks })));
    const graph = buildGraph(stacks, new Map([...references].map(([s, r]) => [s, r.upstream])));
    console.log(`order: ${graph.levels.map((l) => l.join(" + ")).join(" -> ")}`);

    const board = new ProgressBoard((line) => console.log(line));
    const result = await underLock(command, stacks, backendUrl, () =>
        orchestrate({
            command: operation,
            graph,
            onPreview: (_stack, lines) => console.log(lines.join("\n")),
            confirm: values.yes ? undefined : askOnTerminal,
            includeProtected: values["include-protected"] === true,
            feedback: new Map([...references].map(([s, r]) => [s, r.feedback])),
            workspace,
            onProgress: board.onProgress,
        }),
    );
    if (command === "outputs") {
        for (const o of result.outcomes) console.log(`\n${o.stack}: ${JSON.stringify(o.result?.outputs ?? o.error, null, 2)}`);
    }
    if (command === "destroy") {
        for (const o of result.outcomes)
            if (o.status === "succeeded") protectedLeft(o.stack, o.preview?.keptProtected ?? []).forEach((l) => console.log(l));
    }
    console.log(`\n${board.summary(result)}`);
    return result.ok ? 0 : 1;
}

// Imported by tests for envCommand; runs only as a script.
if (require.main === module) cli(SPEC, main);
