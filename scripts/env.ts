/**
 * `npm run env -- <command> [stack ...]`: runs preview, up, destroy, refresh or outputs over an
 * environment with the Pulumi Automation API, in the order of the stacks' references.
 */
import * as fs from "fs";
import * as path from "path";
import { automationPromotionDriver } from "../lib/orchestrate/promotionDriver";
import { promote } from "../lib/orchestrate/promotion";
import { HostingConfig, parseStackConfig } from "../lib/config/stackConfig";
import { RolloutStopped, rollback, rollout } from "../lib/orchestrate/rollout";
import { automationRolloutDriver } from "../lib/orchestrate/rolloutDriver";
import { smokeTestChoice } from "../lib/orchestrate/smoke";
import { UsageError } from "../lib/cli/errors";
import { PROJECT } from "../lib/naming";
import { AutomationWorkspace, defaultBackendUrl } from "../lib/orchestrate/automation";
import { buildGraph, referencedStack } from "../lib/orchestrate/graph";
import { ProgressBoard } from "../lib/orchestrate/progress";
import { orchestrate } from "../lib/orchestrate/runner";
import { COMMANDS, Command } from "../lib/orchestrate/workspace";
import { discoverReferences } from "../sim/runEnvironment";
import { DEFAULT_PACK_DIR, EXAMPLE_CONFIG_PATH } from "../sim/policyEngine";
import { PROJECT_DIR, listStacks, readStackConfig } from "../sim/stackFiles";

const HELP = `Usage: npm run env -- <command> [stack ...] [options]

Commands:
  preview   preview every stack, with the policy pack
  up        deploy in dependency order (independent stacks in parallel), with the policy pack;
            then re-apply stacks with feedback references until nothing changes
  destroy   destroy in reverse dependency order
  refresh   refresh every stack in dependency order
  outputs   print every stack's outputs
  promote <stack> --to <version ARN> (--smoke-image <file> | --skip-smoke-test) [--stop-old] [--abandon]
            move a consumer stack to another Rekognition model version in the seed's order:
            grant (research up), smoke test through the access role (with --smoke-image, run
            with the application role's credentials; --skip-smoke-test goes on untested, and
            the skip is recorded), flip the version parameter (<stack> up),
            revoke the old version (research up), optionally stop it; resumes where an
            interrupted promotion stopped (state in .pulumi/promotions/); --abandon forgets it.
            See it offline first: npm run plan -- --promote <stack> --to <version ARN>
  rollout --to <model package ARN> (--smoke-payload <file> [--content-type <type>] | --skip-smoke-test)
          [--staging dev] [--production prod] [--approve]
            staged SageMaker rollout (seed 003): deploy the approved package to staging, invoke
            its endpoint (from inside the VPC, with --smoke-payload; --skip-smoke-test goes on
            untested, recorded in the rollout's state and the approval question), wait for
            approval (--approve, or a prompt on a terminal), then deploy to production; a failed
            stage stops the rollout, rerunning resumes it. Without a smoke payload or the skip,
            the rollout is refused (exit 2) before anything changes, --approve or not
  rollback <stack>
            deploy the package the stack served before its current one (after a failed update,
            the one it served before that update)

Stacks default to every Pulumi.<stack>.yaml; the order comes from the StackReferences the
programs declare (found offline, under Pulumi's mock runtime). A stack whose upstream stack
failed is not run.

Options:
  --backend <url>         Pulumi backend (default: $PULUMI_BACKEND_URL, else ${defaultBackendUrl(".")})
  --policy-config <file>  policy pack config (default: ${path.relative(PROJECT_DIR, EXAMPLE_CONFIG_PATH)})
  --help                  this text

Needs the Pulumi CLI on PATH, credentials for each stack's account (AWS_PROFILE or aws:profile),
and PULUMI_CONFIG_PASSPHRASE for the passphrase secrets provider.`;

function option(argv: string[], name: string): string | undefined {
    const i = argv.indexOf(name);
    return i >= 0 ? argv[i + 1] : undefined;
}

async function promoteCommand(argv: string[]): Promise<number> {
    const stack = argv[1];
    const to = option(argv, "--to");
    const config = stack ? parseStackConfig(stack, readStackConfig(stack)) : undefined;
    if (!config || config.program !== "hosting" || !to) {
        console.log(HELP);
        return 2;
    }
    const image = option(argv, "--smoke-image");
    const board = new ProgressBoard((line) => console.log(line));
    const driver = automationPromotionDriver({
        ...stacksOptions(argv, board),
        region: config.region,
        smokeImage: image ? fs.readFileSync(image) : undefined,
        externalId: config.rekognition?.externalId,
        log: (message) => console.log(`promote ${stack}: ${message}`),
    });
    if (argv.includes("--abandon")) {
        await driver.clearState(stack);
        console.log(`forgot the promotion of ${stack} in progress; stack configurations are as the last completed step left them`);
        return 0;
    }
    const smokeTest = smokeTestChoice(image, argv.includes("--skip-smoke-test"), "--smoke-image");
    const state = await promote({ stack, researchStack: referencedStack(config.researchStack), to, stopOld: argv.includes("--stop-old"), smokeTest }, driver);
    console.log(`promoted ${stack} from ${state.from} to ${state.to}: ${state.done.join(", ")}; smoke test ${state.smokeTest ?? "not recorded"}`);
    return 0;
}

function stacksOptions(argv: string[], board: ProgressBoard) {
    return {
        projectDir: PROJECT_DIR,
        backendUrl: option(argv, "--backend") ?? process.env.PULUMI_BACKEND_URL,
        policyPacks: [DEFAULT_PACK_DIR],
        policyPackConfigs: [option(argv, "--policy-config") ?? EXAMPLE_CONFIG_PATH],
        onProgress: board.onProgress,
    };
}

function rolloutDriverFor(argv: string[], stack: string) {
    const config = parseStackConfig(stack, readStackConfig(stack));
    if (config.program !== "hosting" || !config.sagemaker) throw new Error(`${stack} serves no SageMaker model (cross-account-models:sagemaker in Pulumi.${stack}.yaml)`);
    const payload = option(argv, "--smoke-payload");
    return {
        config,
        driver: automationRolloutDriver({
            ...stacksOptions(argv, new ProgressBoard((line) => console.log(line))),
            region: config.region,
            endpointNameOf: (s) => `${PROJECT}-${s}`,
            payload: payload ? { body: fs.readFileSync(payload), contentType: option(argv, "--content-type") ?? "text/csv" } : undefined,
            approved: argv.includes("--approve"),
            log: (message) => console.log(`rollout: ${message}`),
        }),
    };
}

async function rolloutCommand(argv: string[]): Promise<number> {
    const to = option(argv, "--to");
    const staging = option(argv, "--staging") ?? "dev";
    const production = option(argv, "--production") ?? "prod";
    if (!to) {
        console.log(HELP);
        return 2;
    }
    const smokeTest = smokeTestChoice(option(argv, "--smoke-payload"), argv.includes("--skip-smoke-test"), "--smoke-payload");
    const { config, driver } = rolloutDriverFor(argv, staging);
    try {
        const state = await rollout({ modelPackageArn: to, researchStack: referencedStack((config as HostingConfig).researchStack), staging, production, smokeTest }, driver);
        console.log(`rolled out ${state.modelPackageArn}: ${state.done.join(", ")}; smoke test ${state.smokeTest ?? "not recorded"}`);
        return 0;
    } catch (err) {
        if (err instanceof RolloutStopped) {
            console.log(`rollout stopped: ${err.message}`);
            return 3;
        }
        throw err;
    }
}

async function main(argv: string[]): Promise<number> {
    if (argv[0] === "promote" && !argv.includes("--help")) return promoteCommand(argv);
    if (argv[0] === "rollout" && !argv.includes("--help")) return rolloutCommand(argv);
    if (argv[0] === "rollback" && argv[1] && !argv.includes("--help")) {
        const { driver } = rolloutDriverFor(argv, argv[1]);
        console.log(`rolled ${argv[1]} back to ${await rollback(argv[1], driver)}`);
        return 0;
    }
    const command = argv[0] as Command;
    if (argv.includes("--help") || !COMMANDS.includes(command)) {
        console.log(HELP);
        return argv.includes("--help") ? 0 : 2;
    }
    const values = new Set(["--backend", "--policy-config", "--to", "--smoke-image", "--staging", "--production", "--smoke-payload", "--content-type"].map((o) => option(argv, o)));
    const named = argv.slice(1).filter((a) => !a.startsWith("--") && !values.has(a));
    const stacks = named.length > 0 ? named : listStacks();

    const references = new Map<string, { upstream: readonly string[]; feedback: readonly string[] }>();
    for (const stack of stacks) references.set(stack, await discoverReferences(stack, readStackConfig(stack)));
    const graph = buildGraph(stacks, new Map([...references].map(([s, r]) => [s, r.upstream])));
    console.log(`order: ${graph.levels.map((l) => l.join(" + ")).join(" -> ")}`);

    const board = new ProgressBoard((line) => console.log(line));
    const result = await orchestrate({
        command,
        graph,
        feedback: new Map([...references].map(([s, r]) => [s, r.feedback])),
        workspace: new AutomationWorkspace({
            projectDir: PROJECT_DIR,
            backendUrl: option(argv, "--backend") ?? process.env.PULUMI_BACKEND_URL,
            policyPacks: [DEFAULT_PACK_DIR],
            policyPackConfigs: [option(argv, "--policy-config") ?? EXAMPLE_CONFIG_PATH],
        }),
        onProgress: board.onProgress,
    });
    if (command === "outputs") {
        for (const o of result.outcomes) console.log(`\n${o.stack}: ${JSON.stringify(o.result?.outputs ?? o.error, null, 2)}`);
    }
    console.log(`\n${board.summary(result)}`);
    return result.ok ? 0 : 1;
}

main(process.argv.slice(2)).then((code) => process.exit(code), (err) => {
    if (err instanceof UsageError) {
        console.error(err.message);
        process.exit(2);
    }
    console.error(err);
    process.exit(2);
});
