/**
 * The bootstrap program's exports: the account's deployment role, which the orchestrator checks
 * exists (and is the one the other stacks assume) before it deploys them through it.
 */
import { Fields, checkExports, listOf, text } from "./check";

export interface BootstrapExports {
    readonly accountId: string;
    readonly region: string;
    /** The role every other stack of the account assumes (`aws:assumeRoles`). */
    readonly deploymentRoleArn: string;
    /** The permissions boundary the stacks' roles carry. */
    readonly workloadBoundaryArn: string;
    /** The CI roles the role trusts. */
    readonly ciRoleArns: readonly string[];
    /** The stacks of the account whose resources the role may manage. */
    readonly deploys: readonly string[];
}

export const BOOTSTRAP_EXPORTS: Fields<BootstrapExports> = {
    accountId: text,
    region: text,
    deploymentRoleArn: text,
    workloadBoundaryArn: text,
    ciRoleArns: listOf(text),
    deploys: listOf(text),
};

export function parseBootstrapExports(stack: string, outputs: Readonly<Record<string, unknown>>): BootstrapExports {
    const name = stack.split("/").pop();
    return checkExports(
        BOOTSTRAP_EXPORTS,
        stack,
        outputs,
        `Deploy it once with the account's administrator credentials (npm run env -- bootstrap ${name}, or pulumi up -s ${name}).`,
    );
}
