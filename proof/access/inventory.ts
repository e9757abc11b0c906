/**
 * Every policy the stacks declare, indexed by the ARN it governs: roles with their trust and
 * identity policies, buckets and keys with their resource policies, VPC endpoints with theirs.
 * Built from what the stacks registered (under mocks, or from a deployment's state).
 */
import { NamedPolicy } from "./simulator";
import { PolicyDocument } from "../../lib/policies/document";

/** The part of a registered resource the inventory reads. */
export interface DeclaredResource {
    readonly type: string;
    readonly name: string;
    readonly inputs: Record<string, any>;
    readonly state: Record<string, any>;
}

/** A stack's registered resources and the account they are in. */
export interface DeclaredStack {
    readonly stack: string;
    readonly accountId: string;
    readonly resources: readonly DeclaredResource[];
}

export interface DeclaredRole {
    readonly stack: string;
    readonly arn: string;
    readonly accountId: string;
    readonly trust: NamedPolicy;
    readonly identity: NamedPolicy[];
    /** The managed policy ARN of the role's permissions boundary, if it has one. */
    readonly boundaryArn?: string;
}

export interface DeclaredResourcePolicy {
    readonly stack: string;
    readonly arn: string;
    readonly accountId: string;
    readonly policy?: NamedPolicy;
}

export interface DeclaredEndpoint {
    readonly stack: string;
    readonly id: string;
    readonly service: string;
    readonly policy?: NamedPolicy;
}

/** The SCP every account of an organization has unless it is detached. */
const FULL_AWS_ACCESS: NamedPolicy = {
    name: "FullAWSAccess (AWS default SCP)",
    document: { Version: "2012-10-17", Statement: [{ Sid: "FullAWSAccess", Effect: "Allow", Action: "*", Resource: "*" }] },
};

const parse = (json: unknown): PolicyDocument => (typeof json === "string" ? JSON.parse(json) : json) as PolicyDocument;
const label = (stack: string, r: DeclaredResource) => `${stack}: ${r.type.split(":").pop()} ${r.name}`;

export class Inventory {
    readonly roles = new Map<string, DeclaredRole>();
    readonly buckets = new Map<string, DeclaredResourcePolicy>();
    readonly keys = new Map<string, DeclaredResourcePolicy>();
    readonly endpoints = new Map<string, DeclaredEndpoint>();
    /** Model package group resource policies by group ARN. */
    readonly modelPackageGroups = new Map<string, NamedPolicy>();
    /** ECR repository policies by `<account>/<repository name>` (the policy resource names the repository, not its Region). */
    readonly repositories = new Map<string, NamedPolicy>();
    /** Managed policies by ARN (permissions boundaries). */
    readonly managedPolicies = new Map<string, NamedPolicy>();
    /** Service control policies by the account they are attached to (attachments to OUs are not resolved). */
    readonly scps = new Map<string, NamedPolicy[]>();

    static of(stacks: readonly DeclaredStack[]): Inventory {
        const inventory = new Inventory();
        for (const stack of stacks) inventory.add(stack);
        return inventory;
    }

    private add({ stack, accountId, resources }: DeclaredStack): void {
        const ofType = (type: string) => resources.filter((r) => r.type === type);
        const rolePolicies = ofType("aws:iam/rolePolicy:RolePolicy");
        for (const role of ofType("aws:iam/role:Role")) {
            const name = role.state.name;
            this.roles.set(role.state.arn, {
                stack,
                accountId,
                arn: role.state.arn,
                trust: { name: `${label(stack, role)} (trust policy)`, document: parse(role.inputs.assumeRolePolicy) },
                identity: rolePolicies
                    .filter((p) => p.inputs.role === name || p.inputs.role === role.state.id)
                    .map((p) => ({ name: label(stack, p), document: parse(p.inputs.policy) })),
                ...(role.inputs.permissionsBoundary ? { boundaryArn: role.inputs.permissionsBoundary } : {}),
            });
        }
        for (const managed of ofType("aws:iam/policy:Policy")) {
            this.managedPolicies.set(managed.state.arn, { name: label(stack, managed), document: parse(managed.inputs.policy) });
        }
        const bucketPolicies = ofType("aws:s3/bucketPolicy:BucketPolicy");
        for (const bucket of ofType("aws:s3/bucket:Bucket")) {
            const policy = bucketPolicies.find((p) => p.inputs.bucket === bucket.state.id);
            this.buckets.set(bucket.state.arn, {
                stack,
                accountId,
                arn: bucket.state.arn,
                policy: policy && { name: label(stack, policy), document: parse(policy.inputs.policy) },
            });
        }
        for (const key of ofType("aws:kms/key:Key")) {
            this.keys.set(key.state.arn, {
                stack,
                accountId,
                arn: key.state.arn,
                policy: key.inputs.policy && { name: label(stack, key), document: parse(key.inputs.policy) },
            });
        }
        const groups = ofType("aws:sagemaker/modelPackageGroup:ModelPackageGroup");
        for (const groupPolicy of ofType("aws:sagemaker/modelPackageGroupPolicy:ModelPackageGroupPolicy")) {
            const group = groups.find((g) => g.inputs.modelPackageGroupName === groupPolicy.inputs.modelPackageGroupName);
            if (group)
                this.modelPackageGroups.set(group.state.arn, {
                    name: label(stack, groupPolicy),
                    document: parse(groupPolicy.inputs.resourcePolicy),
                });
        }
        for (const repositoryPolicy of ofType("aws:ecr/repositoryPolicy:RepositoryPolicy")) {
            this.repositories.set(`${accountId}/${repositoryPolicy.inputs.repository}`, {
                name: label(stack, repositoryPolicy),
                document: parse(repositoryPolicy.inputs.policy),
            });
        }
        const scps = ofType("aws:organizations/policy:Policy").filter(
            (p) => (p.inputs.type ?? "SERVICE_CONTROL_POLICY") === "SERVICE_CONTROL_POLICY",
        );
        for (const attachment of ofType("aws:organizations/policyAttachment:PolicyAttachment")) {
            const scp = scps.find((p) => p.state.id === attachment.inputs.policyId);
            if (scp && /^\d{12}$/.test(attachment.inputs.targetId)) {
                this.scps.set(attachment.inputs.targetId, [
                    ...(this.scps.get(attachment.inputs.targetId) ?? []),
                    { name: label(stack, scp), document: parse(scp.inputs.content) },
                ]);
            }
        }
        for (const endpoint of ofType("aws:ec2/vpcEndpoint:VpcEndpoint")) {
            this.endpoints.set(endpoint.state.id, {
                stack,
                id: endpoint.state.id,
                service: String(endpoint.inputs.serviceName).split(".").slice(3).join("."),
                policy: endpoint.inputs.policy && { name: label(stack, endpoint), document: parse(endpoint.inputs.policy) },
            });
        }
    }

    /**
     * The service control policies that bound a principal's account, with the FullAWSAccess policy
     * AWS attaches by default; none for a principal outside any declared organization.
     */
    scpsFor(principal: string): NamedPolicy[] | undefined {
        const account = /^arn:[^:]+:(iam|sts)::(\d{12}):/.exec(principal)?.[2];
        const declared = account ? this.scps.get(account) : undefined;
        return declared && [FULL_AWS_ACCESS, ...declared];
    }

    /**
     * A role's permissions boundary as the proof applies it. One that no stack of the proof declares
     * allows nothing (fail closed): the proof cannot tell what it would allow.
     */
    boundaryOf(role: DeclaredRole): NamedPolicy[] {
        if (!role.boundaryArn) return [];
        return [
            this.managedPolicies.get(role.boundaryArn) ?? {
                name: `permissions boundary ${role.boundaryArn}, which no stack of this proof declares`,
                document: { Version: "2012-10-17", Statement: [{ Sid: "UnknownBoundary", Effect: "Deny", Action: "*", Resource: "*" }] },
            },
        ];
    }

    /** The resource policy governing an ARN: a bucket's (also for its objects), a key's, a role's trust, a model package group's (also for its packages) or an ECR repository's. */
    resourcePolicyFor(arn: string): NamedPolicy | undefined {
        const bucketArn = /^arn:[^:]+:s3:::/.test(arn) ? arn.split("/")[0] : arn;
        const groupArn = arn.replace(/:model-package\/([^/]+)\/\d+$/, ":model-package-group/$1");
        const repository = /^arn:[^:]+:ecr:[^:]+:(\d{12}):repository\/(.+)$/.exec(arn);
        return (
            this.buckets.get(bucketArn)?.policy ??
            this.keys.get(arn)?.policy ??
            this.roles.get(arn)?.trust ??
            this.modelPackageGroups.get(groupArn) ??
            (repository ? this.repositories.get(`${repository[1]}/${repository[2]}`) : undefined)
        );
    }
}
