/**
 * `npm run env -- approve-package --package <model package ARN> --approver <name>`: the
 * package's approval in research's model registry (ops/release/registryGate.ts).
 */
import { PROJECT } from "../../lib/naming";
import { UsageError } from "../cli/errors";
import { listStacks, readStackConfig } from "../project";
import { decidePackage } from "../release/registryGate";
import { automationRegistryDriver } from "../release/rolloutDriver";
import { withEnvironmentLock } from "../stacks/lock";
import { BACKEND_OPTION, CommandGroup, Values, consoleBoard, defineCommand, environmentLock, stacksOptions, usageError } from "./shared";

const OPTIONS = {
    ...BACKEND_OPTION,
    package: { type: "string" },
    approver: { type: "string" },
    description: { type: "string" },
    reject: { type: "boolean" },
} as const;

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

async function approvePackageCommand(named: string | undefined, values: Values<typeof OPTIONS>, backendUrl: string): Promise<number> {
    const researchStack = registryStack(named);
    const status = values.reject ? "Rejected" : "Approved";
    const driver = automationRegistryDriver({
        // approve-package takes no --policy-config: the default one.
        ...stacksOptions({}, consoleBoard(), backendUrl),
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

export const REGISTRY_COMMANDS: CommandGroup = {
    commands: [
        defineCommand({
            name: "approve-package",
            options: OPTIONS,
            help: `  approve-package [research stack] --package <model package ARN> --approver <name>
          [--description <text>] [--reject]
            set the package's ModelApprovalStatus in research's model registry to Approved
            (Rejected with --reject), as research's deployment role; its ApprovalDescription
            records the approver and the time, and the decision is kept in the backend`,
            check: (stacks, values) => {
                if (stacks.length > 1) throw usageError("approve-package takes at most one stack, the research stack holding the registry");
                if (values.package === undefined || values.approver === undefined)
                    throw usageError("approve-package needs --package <model package ARN> and --approver <name>");
            },
            run: (stacks, values, backendUrl) => approvePackageCommand(stacks[0], values, backendUrl),
        }),
    ],
};
