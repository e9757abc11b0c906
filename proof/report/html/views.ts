/**
 * The page's views, one per architecture, from the same access graph as `plan.md` and
 * `access.svg`: the accounts that take part (research in the middle, the hosting accounts on either
 * side, the proof's outsiders under research), each hosting account's VPC with its subnets and
 * endpoints, and the links of the proof, split by the VPC endpoint a request goes through so that
 * an edge can be drawn through it. Pure data; `layout.ts` places and draws it.
 */
import { PathResult } from "../../access/prove";
import { Inventory } from "../../access/inventory";
import { AccessGraph, GraphNode, NodeKind, OUTSIDE } from "../graph";
import { Account, ReportInput } from "../model";
import { mergedActions } from "../names";

/** The architectures drawn as views, in the page's order; the others are in the tables and the SCP panel. */
export const VIEWS: readonly { readonly architecture: string; readonly title: string; readonly code: string }[] = [
    { architecture: "bedrock-cmi", title: "Bedrock Custom Model Import", code: "cmi" },
    { architecture: "rekognition-shared", title: "Rekognition Custom Labels sharing", code: "rek" },
    { architecture: "sagemaker", title: "SageMaker hosting", code: "sm" },
];

export type Side = "left" | "center" | "right";
/** Where a node sits in its account: services, roles and resources in the account's lane; endpoints in its VPC. */
export type Lane = "account" | "vpc";

export interface ViewNode {
    readonly id: string;
    readonly label: string;
    readonly detail: string;
    readonly kind: NodeKind;
    /** The stack of its account box, or {@link OUTSIDE}. */
    readonly box: string;
    readonly lane: Lane;
    readonly standIn: boolean;
    /** What it stands for in full (ARN, endpoint ID, service principal). */
    readonly ref: string;
    /** Drawn only with the forbidden paths: no required path touches it. */
    readonly forbiddenOnly: boolean;
}

export interface ViewLink {
    /** Unique on the page: the view's code and a number. */
    readonly id: string;
    readonly from: string;
    readonly to: string;
    /** The requester's own VPC endpoint the requests go through, drawn on the way. */
    readonly via?: string;
    readonly expect: "allowed" | "denied";
    readonly holds: boolean;
    readonly results: readonly PathResult[];
    /** The actions, merged by service, as the side panel lists them. */
    readonly actions: string;
    /** For a required link, its number in the view (1, 2, ...), as AWS's guides number their steps. */
    readonly step?: number;
}

export interface Vpc {
    readonly cidr: string;
    readonly subnets: readonly { readonly az: string; readonly cidr: string }[];
    /** Every endpoint of the VPC by service, those drawn and the others. */
    readonly endpoints: readonly string[];
    /** What runs in the VPC's subnets for this architecture (an import job, a SageMaker endpoint). */
    readonly workloads: readonly string[];
}

export interface AccountBox {
    readonly stack: string;
    readonly title: string;
    readonly subtitle: string;
    readonly side: Side;
    readonly vpc?: Vpc;
    readonly outside: boolean;
}

export interface View {
    readonly architecture: string;
    readonly title: string;
    readonly code: string;
    readonly boxes: readonly AccountBox[];
    readonly nodes: readonly ViewNode[];
    readonly links: readonly ViewLink[];
}

const PROGRAM_TITLES: Readonly<Record<string, string>> = {
    research: "research / ML account: artifacts, models, registry",
    hosting: "hosting account",
    organization: "Organizations management",
};

/** What runs inside a hosting VPC for an architecture: the resources of these types, by name. */
const WORKLOADS: Readonly<Record<string, readonly { type: string; what: string }[]>> = {
    "bedrock-cmi": [{ type: "pulumi-nodejs:dynamic/bedrock:ModelImportJob", what: "Bedrock import job" }],
    sagemaker: [{ type: "aws:sagemaker/endpoint:Endpoint", what: "SageMaker endpoint" }],
    "rekognition-shared": [],
};

/** The hosting accounts' VPCs, read from what their stacks declare. */
function vpcOf(input: ReportInput, stack: string, architecture: string): Vpc | undefined {
    const resources = input.env.runs.get(stack)?.resources ?? [];
    const vpc = resources.find((r) => r.type === "aws:ec2/vpc:Vpc");
    if (!vpc) return undefined;
    const subnets = resources
        .filter((r) => r.type === "aws:ec2/subnet:Subnet" && r.inputs.vpcId === vpc.state.id)
        .map((r) => ({ az: String(r.inputs.availabilityZone ?? ""), cidr: String(r.inputs.cidrBlock ?? "") }));
    const endpoints = resources
        .filter((r) => r.type === "aws:ec2/vpcEndpoint:VpcEndpoint")
        .map((r) =>
            String(r.inputs.serviceName ?? r.name)
                .split(".")
                .slice(3)
                .join("."),
        );
    const workloads = (WORKLOADS[architecture] ?? []).flatMap(({ type, what }) =>
        resources.filter((r) => r.type === type).map((r) => `${what} ${String(r.inputs.name ?? r.state.name ?? r.name)}`),
    );
    return { cidr: String(vpc.inputs.cidrBlock ?? ""), subnets, endpoints, workloads };
}

/** Research accounts in the middle, hosting accounts alternately left and right, anything else in the middle too. */
function sideOf(accounts: readonly Account[]): Map<string, Side> {
    const sides = new Map<string, Side>();
    let hosting = 0;
    for (const a of accounts) sides.set(a.stack, a.program === "hosting" ? (hosting++ % 2 === 0 ? "left" : "right") : "center");
    return sides;
}

/** One view's nodes and links, from the access graph's links of its architecture. */
export function viewOf(
    input: ReportInput,
    graph: AccessGraph,
    inventory: Inventory,
    spec: { architecture: string; title: string; code: string },
): View {
    const sides = sideOf(graph.accounts);
    const endpointTypes = new Map(
        [...input.env.runs.values()].flatMap((run) =>
            run.resources
                .filter((r) => r.type === "aws:ec2/vpcEndpoint:VpcEndpoint")
                .map((r) => [String(r.state.id), String(r.inputs.vpcEndpointType ?? "Gateway").toLowerCase()] as const),
        ),
    );
    const byId = new Map(graph.nodes.map((n) => [n.id, n]));
    const nodes = new Map<string, ViewNode & { required: boolean }>();
    const put = (node: Omit<ViewNode, "forbiddenOnly">, required: boolean) => {
        const existing = nodes.get(node.id);
        nodes.set(node.id, { ...node, forbiddenOnly: false, required: required || (existing?.required ?? false) });
        return node.id;
    };
    const endpointNode = (id: string, required: boolean) => {
        const declared = inventory.endpoints.get(id);
        if (!declared) return undefined;
        return put(
            {
                id: `vpce_${id.replace(/[^A-Za-z0-9]/g, "_")}`,
                label: `${declared.service} endpoint`,
                detail: `${endpointTypes.get(id) ?? "VPC"} endpoint`,
                kind: "endpoint",
                box: declared.stack,
                lane: "vpc",
                standIn: false,
                ref: `${id}: the ${declared.service} endpoint of ${declared.stack}'s VPC`,
            },
            required,
        );
    };
    /** A graph node as a view node: AWS services drawn in the account of the role they act for. */
    const nodeOf = (node: GraphNode, other: GraphNode | undefined, required: boolean): string => {
        if (node.kind === "endpoint" && !node.standIn) return endpointNode(node.detail, required) ?? node.id;
        const box = node.cluster ?? other?.cluster ?? OUTSIDE;
        const id = node.cluster === undefined ? `${node.id}__${box}` : node.id;
        return put(
            {
                id,
                label: node.label,
                detail: node.detail,
                kind: node.kind,
                box,
                lane: "account",
                standIn: node.standIn,
                ref: node.ref,
            },
            required,
        );
    };

    const links: Omit<ViewLink, "id" | "step">[] = [];
    for (const link of graph.links.filter((l) => l.architecture === spec.architecture)) {
        const from = byId.get(link.from)!;
        const to = byId.get(link.to)!;
        // One drawn link per VPC endpoint the requests go through (none for a service acting on the caller's behalf).
        const byEndpoint = new Map<string, PathResult[]>();
        for (const r of link.results) {
            const key = r.path.endpointId ?? "";
            byEndpoint.set(key, [...(byEndpoint.get(key) ?? []), r]);
        }
        for (const [endpoint, results] of byEndpoint) {
            const required = link.expect === "allowed";
            links.push({
                from: nodeOf(from, to, required),
                to: nodeOf(to, from, required),
                via: endpoint ? endpointNode(endpoint, required) : undefined,
                expect: link.expect,
                holds: results.every((r) => r.holds),
                results,
                actions: mergedActions(results.map((r) => r.path.action)),
            });
        }
    }
    // Required links first, numbered in the order the proof lists them; then the forbidden ones.
    const ordered = [...links.filter((l) => l.expect === "allowed"), ...links.filter((l) => l.expect === "denied")];
    const numbered: ViewLink[] = ordered.map((l, i) => ({
        ...l,
        id: `${spec.code}-${i + 1}`,
        ...(l.expect === "allowed" ? { step: i + 1 } : {}),
    }));

    const used = new Set([...nodes.values()].map((n) => n.box));
    const boxes: AccountBox[] = graph.accounts
        .filter((a) => used.has(a.stack))
        .map((a) => ({
            stack: a.stack,
            title: `${a.stack} · ${a.accountId}`,
            subtitle: PROGRAM_TITLES[a.program] ?? a.program,
            side: sides.get(a.stack) ?? "center",
            vpc: a.program === "hosting" ? vpcOf(input, a.stack, spec.architecture) : undefined,
            outside: false,
        }));
    if (used.has(OUTSIDE))
        boxes.push({
            stack: OUTSIDE,
            title: "outside",
            subtitle: "the proof's stand-ins for everyone else",
            side: "center",
            outside: true,
        });
    // A node no box holds (an account the graph does not know) goes to the outsiders.
    const known = new Set(boxes.map((b) => b.stack));
    return {
        ...spec,
        boxes,
        nodes: [...nodes.values()].map(({ required, ...n }) => ({
            ...n,
            box: known.has(n.box) ? n.box : OUTSIDE,
            forbiddenOnly: !required,
        })),
        links: numbered,
    };
}
