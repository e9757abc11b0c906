/**
 * The child process that runs @pulumi/awsguard's policies (proof/pack/peers/awsguard.ts starts
 * it): awsguard, its @pulumi/aws v4 and its aws-sdk v2 load from proof/pack/peers/awsguard's own
 * node_modules, in a process of their own, so none of them meets the project's @pulumi/aws v7.
 * Reads {cases: [{id, stack, resources}]} on stdin, writes {version, policies, results} on stdout.
 *
 * Three of awsguard's policies call AWS (ACM, IAM) through aws-sdk v2; here every SDK request is
 * refused before it leaves the process, and such a call shows as that policy's error on the case.
 */
import { createRequire } from "module";
import * as path from "path";
import { CaseResource } from "../cases/types";
import { PeerCaseResult, PeerPolicy, runPeerPolicies } from "./runPolicies";

export const AWSGUARD_DIR = path.join(__dirname, "awsguard");
/** awsguard's modules: its index requires each for its policies' registration; each exports its policies. */
const AREAS = ["apiGateway", "compute", "database", "elasticsearch", "network", "security", "storage"];
export const OFFLINE = "needs a live AWS account (an aws-sdk call, refused offline)";

export interface AwsguardInput {
    readonly cases: readonly { readonly id: string; readonly stack?: string; readonly resources: readonly CaseResource[] }[];
}

export interface AwsguardOutput {
    readonly version: string;
    /** Every policy with the type tokens its validators are keyed on. */
    readonly policies: readonly { readonly name: string; readonly types: readonly string[] }[];
    readonly results: Readonly<Record<string, PeerCaseResult>>;
}

function loadAwsguard(): { version: string; policies: PeerPolicy[] } {
    const requireThere = createRequire(path.join(AWSGUARD_DIR, "package.json"));
    const sdk = requireThere("aws-sdk") as { Request: { prototype: Record<string, unknown> } };
    const refuse = () => Promise.reject(new Error(OFFLINE));
    sdk.Request.prototype.promise = refuse;
    sdk.Request.prototype.send = () => {
        throw new Error(OFFLINE);
    };
    const version = (requireThere("@pulumi/awsguard/package.json") as { version: string }).version;
    const policies: PeerPolicy[] = [];
    for (const area of AREAS) {
        for (const value of Object.values(requireThere(`@pulumi/awsguard/${area}`) as Record<string, unknown>)) {
            const p = value as PeerPolicy | undefined;
            if (p && typeof p === "object" && typeof p.name === "string" && (p.validateResource || p.validateStack)) policies.push(p);
        }
    }
    return { version, policies };
}

const typesOf = (p: PeerPolicy) =>
    [...[p.validateResource ?? []].flat(), ...[p.validateStack ?? []].flat()].map((v) => v.__pulumiType ?? "(any)");

async function main(): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
    const input = JSON.parse(Buffer.concat(chunks).toString("utf8")) as AwsguardInput;
    const { version, policies } = loadAwsguard();
    const results: Record<string, PeerCaseResult> = {};
    for (const c of input.cases) results[c.id] = await runPeerPolicies(policies, c.resources, c.stack ?? "dev");
    const output: AwsguardOutput = { version, policies: policies.map((p) => ({ name: p.name, types: typesOf(p) })), results };
    process.stdout.write(JSON.stringify(output));
}

if (require.main === module) {
    main().catch((err) => {
        console.error(err instanceof Error ? err.stack : err);
        process.exit(1);
    });
}
