/** Configuration of the optional Organizations stack: which guardrails attach to which accounts or OUs. */
import { ConfigReader } from "./reader";
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
    return list.map((t, i) => reader.stringValue(`${at}[${i}]`, t, "an account or OU ID", (v) =>
        TARGET.test(v) ? undefined : `"${v}" is not an attachment target; expected a quoted 12-digit account ID, an OU ID (ou-xxxx-xxxxxxxx) or the root (r-xxxx)`))
        .filter((t): t is string => !!t);
}

export function parseGuardrails(reader: ConfigReader): Guardrails {
    const at = `${PROJECT}:guardrails`;
    const expected = "a map {rekognitionConsumers?: [account or OU IDs], sagemakerVpcOnly?: [account or OU IDs]}";
    const fields = reader.map(at, reader.json(at, { required: true, expected }) ?? {}, ["rekognitionConsumers", "sagemakerVpcOnly"], expected) ?? {};
    return {
        rekognitionConsumers: targets(reader, `${at}.rekognitionConsumers`, fields.rekognitionConsumers),
        sagemakerVpcOnly: targets(reader, `${at}.sagemakerVpcOnly`, fields.sagemakerVpcOnly),
    };
}
