/**
 * What the online commands need before they touch a stack: the Pulumi CLI, recent enough, and the
 * passphrase of the stacks' secrets provider. Checked up front so a missing one is one clear
 * message, not a CommandError dump inside the summary table or a stack trace mid-promotion.
 */
import { PulumiCommand } from "@pulumi/pulumi/automation";
import { UserError } from "../cli/errors";

/**
 * The oldest CLI supported. The environment lock and the promotions' and rollouts' records are
 * stack tags (stackTags.ts), and the file and S3 ("diy") backends keep stack tags only since CLI
 * 3.211.0 (pkg/backend/diy/stack_tags.go; before it, diy UpdateStackTags returned "stack tags not
 * supported in diy mode"). 3.212.0 rather than 3.211.0: it is the oldest the engine tier can build
 * and verify (3.211.0 is not served by the Go module proxy it builds from). Removing a stack's last
 * tag does nothing before 3.249.0; stackTags.ts keepingLastTag works around that. (@pulumi/policy
 * 1.21, which the policy pack runs on, needs the engine of 3.204 or later: below this minimum.)
 */
export const MIN_PULUMI_CLI = "3.212.0";

/** Why MIN_PULUMI_CLI, in the messages that name it. */
export const WHY_MIN_PULUMI_CLI =
    "the environment lock and the promotion and rollout records are stack tags, which file and S3 backends keep only from 3.211";

export const INSTALL_PULUMI = [
    "Install or upgrade the Pulumi CLI:",
    "  curl -fsSL https://get.pulumi.com | sh      (Linux, macOS; then open a new shell)",
    "  brew install pulumi/tap/pulumi             (macOS)",
    "  winget install pulumi                      (Windows)",
    "See https://www.pulumi.com/docs/iac/download-install/",
].join("\n");

/** The version of the `pulumi` on PATH, through the Automation API (it runs `pulumi version`). */
export async function pulumiCliVersion(): Promise<{ compare(other: string): number; toString(): string }> {
    const cli = await PulumiCommand.get();
    if (!cli.version) throw new Error("pulumi version printed no version");
    return cli.version;
}

export interface PrerequisiteChecks {
    readonly cliVersion: () => Promise<{ compare(other: string): number; toString(): string }>;
    readonly env: NodeJS.ProcessEnv;
}

/** Resolves with the CLI's version, or throws one UserError saying what is missing and how to fix it. */
export async function checkPrerequisites(checks: PrerequisiteChecks = { cliVersion: pulumiCliVersion, env: process.env }): Promise<string> {
    let version;
    try {
        version = await checkCli(checks);
    } catch (err) {
        if (err instanceof UserError) throw err;
        throw new UserError(`The Pulumi CLI could not be run (${firstLine(err)}).\n${INSTALL_PULUMI}`);
    }
    if (!checks.env.PULUMI_CONFIG_PASSPHRASE && !checks.env.PULUMI_CONFIG_PASSPHRASE_FILE) {
        throw new UserError(
            "PULUMI_CONFIG_PASSPHRASE is not set: the stacks keep their secrets with the passphrase provider. " +
                "Export it (or PULUMI_CONFIG_PASSPHRASE_FILE) with the passphrase the stacks were created with.",
        );
    }
    return version;
}

async function checkCli(checks: PrerequisiteChecks): Promise<string> {
    let version;
    try {
        version = await checks.cliVersion();
    } catch (err) {
        // The Automation API reports a missing binary as a CommandError whose text names ENOENT.
        if (/ENOENT/.test(String((err as Error).message))) {
            throw new UserError(
                `The Pulumi CLI is not on PATH; these commands drive it through the Automation API and need version ${MIN_PULUMI_CLI} or later (${WHY_MIN_PULUMI_CLI}).\n${INSTALL_PULUMI}`,
            );
        }
        throw err;
    }
    if (version.compare(MIN_PULUMI_CLI) < 0) {
        throw new UserError(
            `The Pulumi CLI on PATH is ${version}; these commands need ${MIN_PULUMI_CLI} or later (pulumi version shows it): ${WHY_MIN_PULUMI_CLI}.\n${INSTALL_PULUMI}`,
        );
    }
    return version.toString();
}

function firstLine(err: unknown): string {
    return String((err as Error)?.message ?? err)
        .trim()
        .split("\n")[0];
}
