/** Configuration of the optional Organizations stack: which guardrails attach to which accounts or OUs. */
import { ConfigReader } from "./reader";
import { ProjectStacks, stacksOf } from "./projectStacks";
import { stackFileName } from "./errors";
import { PROJECT } from "../naming";

export interface Guardrails {
    /** Accounts or OUs whose principals may not create, delete, start or stop Rekognition projects. */
    readonly rekognitionConsumers: readonly string[];
    /** Accounts or OUs where SageMaker compute must have VPC subnets and security groups. */
    readonly sagemakerVpcOnly: readonly string[];
}

const TARGET = /^(\d{12}|ou-[0-9a-z]{4,32}-[a-z0-9]{8,32}|r-[0-9a-z]{4,32})$/;

function targets(reader: ConfigReader, at: string, value: unknown): string[] {
    if (value === undefined) return [];
    const list = reader.list(at, value, "a list of account IDs or OU IDs") ?? [];
    const found = list.map((t, i) =>
        reader.stringValue(`${at}[${i}]`, t, "an account or OU ID", (v) =>
            TARGET.test(v)
                ? undefined
                : `"${v}" is not an attachment target; expected a quoted 12-digit account ID, an OU ID (ou-xxxx-xxxxxxxx) or the root (r-xxxx)`,
        ),
    );
    reader.distinct(at, found, "target");
    return found.filter((t): t is string => !!t);
}

/**
 * The Rekognition guardrail denies creating, starting and stopping projects in every account it
 * is attached to: attached to the ML (research) account, it would block the project that account
 * trains and shares. OUs are not resolved here (that needs the Organizations API).
 */
function refuseMlAccounts(reader: ConfigReader, at: string, attached: readonly string[], stacks: ProjectStacks | undefined): void {
    if (!stacks) return;
    const research = [...stacks].filter(([, s]) => s.program === "research" && s.accountId);
    const consumers = [
        ...new Set(
            stacksOf(stacks, "hosting")
                .map((s) => stacks.get(s)!.accountId)
                .filter((a) => !!a),
        ),
    ];
    attached.forEach((target, i) => {
        const ml = research.find(([, s]) => s.accountId === target);
        if (ml) {
            reader.issues.add(
                `${at}[${i}]`,
                `"${target}" is the ML account of the research stack ${ml[0]} (aws:allowedAccountIds of ${stackFileName(ml[0])}); the SCP would deny its own Rekognition project there; expected consumer accounts only, e.g. ${consumers.map((a) => `"${a}"`).join(", ") || "the hosting stacks' accounts"}`,
            );
        }
    });
}

export function parseGuardrails(reader: ConfigReader, stacks: ProjectStacks | undefined): Guardrails {
    const at = `${PROJECT}:guardrails`;
    const expected = "a map {rekognitionConsumers?: [account or OU IDs], sagemakerVpcOnly?: [account or OU IDs]}";
    const fields =
        reader.map(at, reader.json(at, { required: true, expected }) ?? {}, ["rekognitionConsumers", "sagemakerVpcOnly"], expected) ?? {};
    const rekognitionConsumers = targets(reader, `${at}.rekognitionConsumers`, fields.rekognitionConsumers);
    refuseMlAccounts(reader, `${at}.rekognitionConsumers`, rekognitionConsumers, stacks);
    return {
        rekognitionConsumers,
        sagemakerVpcOnly: targets(reader, `${at}.sagemakerVpcOnly`, fields.sagemakerVpcOnly),
    };
}
