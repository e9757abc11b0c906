/**
 * The access proof as a graph: one node per principal, resource or endpoint a path touches, placed
 * in its account (or "outside" for the proof's outsiders, or among the AWS services), and one link
 * per architecture, tail, head and expectation, merging the paths that share them. Resources are
 * drawn as what a reader knows: objects as their bucket, model versions as their project, packages
 * as their group. Principals no stack declares or configures are marked as the proof's stand-ins.
 */
import { PathResult } from "../access/prove";
import { Inventory } from "../access/inventory";
import { Account, ReportInput, accountsOf, inventoryOf } from "./model";
import { COUNTED_ONLY, accountOfArn, shortName, versionLabel } from "./names";

export type NodeKind =
    | "role"
    | "service"
    | "bucket"
    | "key"
    | "project"
    | "registry"
    | "repository"
    | "parameter"
    | "model"
    | "endpoint"
    | "other";

/** The cluster of nodes in no account of the environment. */
export const OUTSIDE = "outside";

export interface GraphNode {
    /** A short DOT identifier: the cluster and a slug of the name. */
    readonly id: string;
    /** What it stands for in full: an ARN, an endpoint ID, a service principal. */
    readonly ref: string;
    readonly label: string;
    /** What it is, in a few words (shown under the label). */
    readonly detail: string;
    readonly kind: NodeKind;
    /** The stack of the account it is in, {@link OUTSIDE}, or undefined for an AWS service. */
    readonly cluster?: string;
    /** Invented by the proof to stand for "anyone else": no stack declares it. */
    readonly standIn: boolean;
}

export interface GraphLink {
    readonly architecture: string;
    readonly from: string;
    readonly to: string;
    readonly expect: "allowed" | "denied";
    readonly results: readonly PathResult[];
    /** Actions of the merged paths, each with what it is limited to (a prefix, a version). */
    readonly actions: readonly string[];
    /** The requester's own endpoints the requests go through, and services that make them on its behalf. */
    readonly via: readonly string[];
    /** For a link from another account's endpoint: the stacks whose role's credentials were used through it. */
    readonly on: readonly string[];
}

export interface AccessGraph {
    readonly accounts: readonly Account[];
    readonly nodes: readonly GraphNode[];
    readonly links: readonly GraphLink[];
}

/** A node before it has an ID, with the key that makes two paths' nodes the same. */
type NodeSpec = Omit<GraphNode, "id" | "ref"> & { readonly key: string; readonly ref?: string };

const slug = (text: string) =>
    text
        .replace(/\d{12}/g, "")
        .replace(/[^A-Za-z0-9]+/g, "_")
        .replace(/^_+|_+$/g, "")
        .slice(0, 16)
        .replace(/_+$/, "");

/** Resolves the principals, resources and endpoints of paths to nodes, giving each a short unique ID. */
class Nodes {
    private readonly byKey = new Map<string, GraphNode>();
    private readonly ids = new Set<string>();
    private readonly stackOf: ReadonlyMap<string, string>;
    private readonly configured: string;

    constructor(
        private readonly input: ReportInput,
        private readonly inventory: Inventory,
        accounts: readonly Account[],
    ) {
        this.stackOf = new Map(accounts.map((a) => [a.accountId, a.stack]));
        // A principal a stack file names (a troubleshooter, a deployer) is real though no stack declares it.
        this.configured = JSON.stringify([...input.env.runs.values()].map((r) => r.config));
    }

    get all(): GraphNode[] {
        return [...this.byKey.values()];
    }

    private add(spec: NodeSpec): string {
        const existing = this.byKey.get(spec.key);
        if (existing) return existing.id;
        const base = `${spec.cluster ?? "aws"}_${slug(spec.label) || spec.kind}`;
        let id = base;
        for (let n = 2; this.ids.has(id); n++) id = `${base}_${n}`;
        this.ids.add(id);
        const { key, ref, ...node } = spec;
        this.byKey.set(key, { id, ref: ref ?? key, ...node });
        return id;
    }

    private cluster(account: string | undefined): string | undefined {
        return account === undefined ? undefined : (this.stackOf.get(account) ?? OUTSIDE);
    }

    principal(path: PathResult["path"]): string {
        const p = path.principal;
        if (!p.startsWith("arn:")) {
            // A service acting for another account's job is the confused deputy the trust refuses.
            const source = path.context["aws:SourceAccount"];
            const foreign = typeof source === "string" && !this.stackOf.has(source);
            return this.add({
                key: `${p}${foreign ? "@outside" : ""}`,
                label: p,
                kind: "service",
                cluster: foreign ? OUTSIDE : undefined,
                standIn: foreign,
                detail: foreign ? `stand-in: for account ${source}'s job` : "AWS service",
            });
        }
        return this.role(p);
    }

    private role(arn: string): string {
        const account = accountOfArn(arn);
        const cluster = this.cluster(account);
        const name = arn.split("/").pop()!;
        const real = cluster !== OUTSIDE && (this.inventory.roles.has(arn) || this.configured.includes(arn));
        const detail = real ? "role" : cluster === OUTSIDE ? `stand-in: a same-named role of ${account}` : `stand-in (${name})`;
        return this.add({
            key: arn,
            label: real || cluster === OUTSIDE ? name : "any other role",
            detail,
            kind: "role",
            cluster,
            standIn: !real,
        });
    }

    resource(path: PathResult["path"]): string {
        const arn = path.resource;
        const [, , service, region, arnAccount, rest = ""] = arn.split(":");
        const account = arnAccount || path.resourceAccount;
        const cluster = this.cluster(account);
        const at = (key: string, label: string, kind: NodeKind, detail: string, ref = arn) =>
            this.add({ key: `${account}|${key}`, ref, label, kind, detail, cluster, standIn: false });
        if (arn === "*") {
            const svc = path.action.split(":")[0];
            return svc === "rekognition"
                ? at("rekognition-projects", "Rekognition projects", "project", "any project")
                : at(`${svc}-*`, `${svc} (account-wide)`, "other", "every resource");
        }
        switch (service) {
            case "s3": {
                const bucket = rest.split("/")[0];
                return at(bucket, bucket, "bucket", "S3 bucket", arn.split("/")[0]);
            }
            case "kms":
                return at(arn, shortName(arn, this.input.keyAliases), "key", "KMS key");
            case "iam":
                return this.role(arn);
            case "rekognition": {
                const project = rest.split("/")[1];
                const declared = [...this.input.env.runs.values()].some((r) =>
                    r.resources.some(
                        (x) =>
                            x.type === "aws:rekognition/project:Project" &&
                            String(x.state.arn ?? "").startsWith(
                                `arn:${arn.split(":")[1]}:rekognition:${region}:${account}:project/${project}/`,
                            ),
                    ),
                );
                return declared
                    ? at(`project/${project}`, project, "project", "Rekognition project")
                    : at("rekognition-projects", "Rekognition projects", "project", "any project");
            }
            case "sagemaker": {
                const group = /^model-package(?:-group)?\/([^/]+)/.exec(rest)?.[1];
                return group
                    ? at(`group/${group}`, group, "registry", "model package group")
                    : at("sagemaker-models", "SageMaker models", "model", "any model");
            }
            case "ecr": {
                const name = rest.replace(/^repository\//, "");
                return this.inventory.repositories.has(`${account}/${name}`)
                    ? at(name, name, "repository", "ECR repository")
                    : at("other-repositories", "other repositories", "repository", "any other ECR repository");
            }
            case "ssm":
                return at(
                    rest,
                    rest
                        .replace(/^parameter/, "")
                        .split("/")
                        .pop()!,
                    "parameter",
                    "SSM parameter",
                );
            default:
                return at(arn, shortName(arn, this.input.keyAliases), "other", service);
        }
    }

    endpoint(id: string): string {
        const declared = this.inventory.endpoints.get(id);
        if (declared)
            return this.add({
                key: id,
                label: `${declared.service} endpoint`,
                detail: id,
                kind: "endpoint",
                cluster: declared.stack,
                standIn: false,
            });
        return this.add({
            key: id,
            label: "VPC endpoint",
            detail: `stand-in: an outside account's (${id})`,
            kind: "endpoint",
            cluster: OUTSIDE,
            standIn: true,
        });
    }
}

/** What an action was limited to on a path: the object prefix, the model version, the package. */
function qualified(path: PathResult["path"]): string {
    const [, , service, , , rest = ""] = path.resource.split(":");
    const name = path.action.split(":").pop()!;
    if (service === "s3" && rest.includes("/")) return `${name} ${rest.split("/").slice(1, -1).join("/")}/`;
    if (service === "rekognition" && rest.includes("/version/")) return `${name} ${versionLabel(path.resource)}`;
    if (service === "sagemaker" && /^model-package\//.test(rest)) return `${name} #${rest.split("/").pop()}`;
    return name;
}

export function accessGraph(input: ReportInput): AccessGraph {
    const accounts = accountsOf(input);
    const inventory = inventoryOf(input);
    const nodes = new Nodes(input, inventory, accounts);
    const links = new Map<
        string,
        {
            architecture: string;
            from: string;
            to: string;
            expect: "allowed" | "denied";
            results: PathResult[];
            actions: Set<string>;
            via: Set<string>;
            on: Set<string>;
        }
    >();
    for (const result of input.access) {
        const { path } = result;
        // One link per declared resource would only be summed up (Deployment identity table).
        if (COUNTED_ONLY.has(path.architecture)) continue;
        const source = path.context["aws:SourceVpce"];
        // A request through another account's endpoint is drawn from that endpoint: it is what the perimeter refuses.
        const foreign = typeof source === "string" && path.endpointId === undefined ? source : undefined;
        const from = foreign ? nodes.endpoint(foreign) : nodes.principal(path);
        const to = nodes.resource(path);
        // A role acting on itself (a deployment role rewriting its own policy) has no edge to draw.
        if (from === to) continue;
        const key = [path.architecture, from, to, path.expect].join("|");
        const link = links.get(key) ?? {
            architecture: path.architecture,
            from,
            to,
            expect: path.expect,
            results: [],
            actions: new Set(),
            via: new Set(),
            on: new Set(),
        };
        link.results.push(result);
        link.actions.add(`${path.action.split(":")[0]}:${qualified(path)}`);
        if (path.endpointId) link.via.add(`${inventory.endpoints.get(path.endpointId)?.service ?? path.endpointId} endpoint`);
        // A service calling KMS on the caller's behalf (S3 decrypting an object, Bedrock encrypting a model).
        const service = path.context["kms:ViaService"];
        if (typeof service === "string") link.via.add(`${service.split(".")[0]} service`);
        if (foreign) link.on.add(path.stack);
        links.set(key, link);
    }
    return {
        accounts,
        nodes: nodes.all,
        links: [...links.values()].map((l) => ({ ...l, actions: [...l.actions], via: [...l.via], on: [...l.on] })),
    };
}
