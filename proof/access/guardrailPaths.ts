/**
 * Guardrail paths for each account the Organizations stack attaches service control policies to:
 * even an administrator of a consumer account cannot change Rekognition projects (Rekognition
 * Custom Labels sharing) or create SageMaker compute without VPC subnets and security groups, while
 * compute in the VPC still can be created (SageMaker hosting).
 */
import type { OrganizationConfig, StackConfig } from "../../lib/config/stackConfig";
import { partitionOf } from "../../lib/naming";
import type { AccessPath, ParsedStack, Path } from "./accessPath";
import { otherRoleOf, pathsOf } from "./pathBuilder";

/** An account an SCP guards: the stack deploying into it (or the Organizations stack), its partition, its administrator. */
function guardedAccount(configs: readonly StackConfig[], org: OrganizationConfig, account: string) {
    const target = configs.find((c) => c.program !== "organization" && c.program !== "bootstrap" && c.accountId === account) ?? org;
    const partition = partitionOf(target.region);
    return { ...pathsOf("guardrails", target.stack), account, partition, region: target.region, admin: otherRoleOf(partition, account) };
}

/** The SCPs' account targets: account IDs, not organizational units. */
function accountTargets(targets: readonly string[]): string[] {
    return targets.filter((t) => /^\d{12}$/.test(t));
}

/** Even an administrator of a consumer account cannot create, train or delete Rekognition projects: the shared model stays research's. */
function rekognitionGuardrailPaths(configs: readonly StackConfig[], org: OrganizationConfig): Path[] {
    return accountTargets(org.guardrails.rekognitionConsumers).flatMap((account) => {
        const { denied, admin, partition, region } = guardedAccount(configs, org, account);
        const project = `arn:${partition}:rekognition:${region}:${account}:project/shadow-model/1700000000000`;
        return [
            ["rekognition:CreateProject", "*"],
            ["rekognition:StartProjectVersion", `${project.replace(/\/\d+$/, "")}/version/shadow-model.v1/1700000000000`],
            ["rekognition:DeleteProject", project],
        ].map(([action, resource]) =>
            denied("an administrator of a consumer account changes Rekognition projects (SCP)", admin, "administrator", action, resource, {
                resourceAccount: account,
                context: {},
            }),
        );
    });
}

/** Even an administrator creates SageMaker models only in a VPC (subnets and security groups), and still can there. */
function sagemakerGuardrailPaths(configs: readonly StackConfig[], org: OrganizationConfig): Path[] {
    return accountTargets(org.guardrails.sagemakerVpcOnly).flatMap((account) => {
        const { path, admin, partition, region } = guardedAccount(configs, org, account);
        const model = `arn:${partition}:sagemaker:${region}:${account}:model/guardrail-check`;
        const createModel = (expect: AccessPath["expect"], why: string, context: Path["context"]) =>
            path(expect, why, admin, "administrator", "sagemaker:CreateModel", model, { resourceAccount: account, context });
        const subnets = { "sagemaker:VpcSubnets": ["subnet-0123456789abcdef0"] };
        return [
            createModel("denied", "a SageMaker model without VPC subnets and security groups is created (SCP)", {}),
            createModel("denied", "a SageMaker model with subnets but no security groups is created (SCP)", subnets),
            createModel("allowed", "a SageMaker model in the VPC is created", {
                ...subnets,
                "sagemaker:VpcSecurityGroupIds": ["sg-0123456789abcdef0"],
            }),
        ];
    });
}

/** The guardrail paths of every account the Organizations stack guards, numbered across the environment. */
export function guardrailPaths(stacks: readonly ParsedStack[]): AccessPath[] {
    const configs = stacks.map((s) => s.config);
    const org = configs.find((c): c is OrganizationConfig => c.program === "organization");
    if (!org) return [];
    const paths = [...rekognitionGuardrailPaths(configs, org), ...sagemakerGuardrailPaths(configs, org)];
    return paths.map((p, i) => ({ ...p, id: `${p.stack}-scp-${String(i + 1).padStart(2, "0")}` }));
}
