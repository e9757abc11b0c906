/**
 * A small hand-made plan result for the page's tests (test/proof/planPage.test.ts): an
 * organization with an SCP on dev, research sharing a bucket, a key, a Rekognition project and a
 * model registry, dev and prod each with a VPC, subnets and endpoints; a few paths of every drawn
 * architecture, required and forbidden, one of them broken, a guardrail, and a policy pack finding.
 * No plan run: the page's tests need none.
 */
import { PathResult } from "../../proof/access/prove";
import { AccessPath } from "../../proof/access/accessPath";
import { AccessDecision } from "../../proof/access/simulator";
import { ReportInput } from "../../proof/report";
import { RecordedResource, StackRun } from "../../proof/runtime/runStack";

export const ORG = "112233445566";
export const RESEARCH = "111122223333";
export const DEV = "777788889999";
export const PROD = "444455556666";

const resource = (type: string, name: string, inputs: Record<string, any>, state: Record<string, any>): RecordedResource => ({
    type,
    name,
    urn: `urn:pulumi:x::p::${type}::${name}`,
    custom: true,
    inputs,
    state: { ...inputs, ...state },
    secretInputs: [],
    protect: false,
    parent: "",
    dependencies: [],
    propertyDependencies: {},
});
const doc = (...statements: object[]) => JSON.stringify({ Version: "2012-10-17", Statement: statements });
const run = (stack: string, accountId: string, program: string, resources: RecordedResource[]): [string, StackRun] => [
    stack,
    { stack, accountId, region: "us-east-1", config: { "cross-account-models:program": program }, resources, outputs: {} },
];

const role = (account: string, name: string) => `arn:aws:iam::${account}:role/${name}`;
const BUCKET = `arn:aws:s3:::model-artifacts-${RESEARCH}`;
const OBJECT = `${BUCKET}/weights/config.json`;
const PROJECT = `arn:aws:rekognition:us-east-1:${RESEARCH}:project/tool-detector/1700000000000`;
const VERSION = `arn:aws:rekognition:us-east-1:${RESEARCH}:project/tool-detector/version/v1/1700000000001`;
const GROUP = `arn:aws:sagemaker:us-east-1:${RESEARCH}:model-package-group/abalone-models`;
const PACKAGE = `arn:aws:sagemaker:us-east-1:${RESEARCH}:model-package/abalone-models/3`;

/** A hosting account: its VPC with two subnets and s3 and rekognition endpoints, its roles. */
function hosting(stack: string, account: string, cidr: string): RecordedResource[] {
    const vpc = `vpc-${stack}`;
    return [
        resource("aws:ec2/vpc:Vpc", "network-vpc", { cidrBlock: `${cidr}.0.0/16` }, { id: vpc }),
        ...["a", "b"].map((zone, i) =>
            resource(
                "aws:ec2/subnet:Subnet",
                `private-${zone}`,
                { vpcId: vpc, cidrBlock: `${cidr}.${i * 16}.0/20`, availabilityZone: `us-east-1${zone}` },
                { id: `subnet-${stack}-${zone}` },
            ),
        ),
        ...["s3", "rekognition", "sts"].map((service) =>
            resource(
                "aws:ec2/vpcEndpoint:VpcEndpoint",
                `network-${service}`,
                {
                    vpcId: vpc,
                    serviceName: `com.amazonaws.us-east-1.${service}`,
                    vpcEndpointType: service === "s3" ? "Gateway" : "Interface",
                    policy: doc({ Sid: "OwnAccount", Effect: "Allow", Principal: "*", Action: "*", Resource: "*" }),
                },
                { id: `vpce-${stack}-${service}` },
            ),
        ),
        resource(
            "aws:iam/role:Role",
            "cmi-role",
            {
                assumeRolePolicy: doc({
                    Sid: "Bedrock",
                    Effect: "Allow",
                    Principal: { Service: "bedrock.amazonaws.com" },
                    Action: "sts:AssumeRole",
                }),
            },
            { id: "cmi", name: `BedrockCMIExecutionRole-${account}`, arn: role(account, `BedrockCMIExecutionRole-${account}`) },
        ),
        resource(
            "aws:iam/rolePolicy:RolePolicy",
            "cmi-read",
            {
                role: `BedrockCMIExecutionRole-${account}`,
                policy: doc({
                    Sid: "ReadArtifacts",
                    Effect: "Allow",
                    Action: ["s3:GetObject", "s3:ListBucket"],
                    Resource: [BUCKET, `${BUCKET}/*`],
                }),
            },
            { id: "cmi-read" },
        ),
        resource(
            "aws:iam/role:Role",
            "consumer",
            {
                assumeRolePolicy: doc({
                    Sid: "Account",
                    Effect: "Allow",
                    Principal: { AWS: `arn:aws:iam::${account}:root` },
                    Action: "sts:AssumeRole",
                }),
            },
            { id: "consumer", name: `RekognitionModelConsumer-${account}`, arn: role(account, `RekognitionModelConsumer-${account}`) },
        ),
        resource(
            "aws:iam/role:Role",
            "execution",
            {
                assumeRolePolicy: doc({
                    Sid: "SageMaker",
                    Effect: "Allow",
                    Principal: { Service: "sagemaker.amazonaws.com" },
                    Action: "sts:AssumeRole",
                }),
            },
            {
                id: "execution",
                name: `SageMakerModelExecutionRole-${account}`,
                arn: role(account, `SageMakerModelExecutionRole-${account}`),
            },
        ),
        resource(
            "aws:sagemaker/endpoint:Endpoint",
            "sagemaker-endpoint",
            { name: `cross-account-models-${stack}` },
            { id: `cross-account-models-${stack}` },
        ),
    ];
}

function path(
    id: string,
    architecture: string,
    expect: AccessPath["expect"],
    principal: string,
    action: string,
    resourceArn: string,
    more: Partial<AccessPath> = {},
): AccessPath {
    return {
        id,
        architecture,
        expect,
        why: `why ${id}`,
        stack: id.split("-")[0],
        principal,
        identity: "declared",
        action,
        resource: resourceArn,
        resourceAccount: RESEARCH,
        context: {},
        ...more,
    };
}

const allowed: AccessDecision = { allowed: true, result: "Allowed", denials: [] };
const deniedBy = (policy: string, statementId?: string, policyType = "resource"): AccessDecision => ({
    allowed: false,
    result: statementId ? "ExplicitlyDenied" : "ImplicitlyDenied",
    denials: [{ policyType, explicit: !!statementId, policy, statementId }],
});
const result = (p: AccessPath, decision: AccessDecision): PathResult => {
    const holds = decision.allowed === (p.expect === "allowed");
    return { path: p, decision, holds, ...(holds ? {} : { problem: `REQUIRED path refused (${p.why}): ${p.id}` }) };
};

/** The fixture; `broken` makes one required SageMaker path fail, with the plan's problem and a mandatory finding. */
export function planPageFixture(options: { broken?: boolean } = {}): ReportInput {
    const runs = new Map([
        run("org", ORG, "organization", [
            resource(
                "aws:organizations/policy:Policy",
                "deny-rekognition-changes",
                {
                    name: "deny-rekognition-changes",
                    type: "SERVICE_CONTROL_POLICY",
                    description: "No Rekognition project changes in the hosting accounts",
                    content: doc({ Sid: "DenyProjectChanges", Effect: "Deny", Action: ["rekognition:CreateProject"], Resource: "*" }),
                },
                { id: "p-1" },
            ),
            resource(
                "aws:organizations/policyAttachment:PolicyAttachment",
                "attach-dev",
                { policyId: "p-1", targetId: DEV },
                { id: "a-1" },
            ),
        ]),
        run("research", RESEARCH, "research", [
            resource("aws:s3/bucket:Bucket", "artifacts", {}, { id: `model-artifacts-${RESEARCH}`, arn: BUCKET }),
            resource(
                "aws:s3/bucketPolicy:BucketPolicy",
                "artifacts-policy",
                {
                    bucket: `model-artifacts-${RESEARCH}`,
                    policy: doc(
                        {
                            Sid: "HostingReads",
                            Effect: "Allow",
                            Principal: { AWS: [`arn:aws:iam::${DEV}:root`, `arn:aws:iam::${PROD}:root`] },
                            Action: ["s3:GetObject", "s3:ListBucket"],
                            Resource: [BUCKET, `${BUCKET}/*`],
                        },
                        { Sid: "DenyOutsideEndpoints", Effect: "Deny", Principal: "*", Action: "s3:*", Resource: `${BUCKET}/*` },
                    ),
                },
                { id: "bp" },
            ),
            resource("aws:rekognition/project:Project", "project", { name: "tool-detector" }, { id: "tool-detector", arn: PROJECT }),
            ...[DEV, PROD].map((account) =>
                resource(
                    "aws:iam/role:Role",
                    `access-${account}`,
                    {
                        assumeRolePolicy: doc({
                            Sid: "Consumer",
                            Effect: "Allow",
                            Principal: { AWS: role(account, `RekognitionModelConsumer-${account}`) },
                            Action: "sts:AssumeRole",
                        }),
                    },
                    {
                        id: `access-${account}`,
                        name: `RekognitionModelAccess-${account}`,
                        arn: role(RESEARCH, `RekognitionModelAccess-${account}`),
                    },
                ),
            ),
            resource(
                "aws:sagemaker/modelPackageGroup:ModelPackageGroup",
                "group",
                { modelPackageGroupName: "abalone-models" },
                { id: "g", arn: GROUP },
            ),
        ]),
        run("dev", DEV, "hosting", hosting("dev", DEV, "10.20")),
        run("prod", PROD, "hosting", hosting("prod", PROD, "10.30")),
    ]);
    const cmi = (account: string) => role(account, `BedrockCMIExecutionRole-${account}`);
    const access: PathResult[] = [
        result(
            path("dev-cmi-01", "bedrock-cmi", "allowed", "bedrock.amazonaws.com", "sts:AssumeRole", cmi(DEV), {
                identity: "none",
                resourceAccount: DEV,
            }),
            allowed,
        ),
        result(path("dev-cmi-02", "bedrock-cmi", "allowed", cmi(DEV), "s3:GetObject", OBJECT, { endpointId: "vpce-dev-s3" }), allowed),
        result(path("prod-cmi-01", "bedrock-cmi", "allowed", cmi(PROD), "s3:GetObject", OBJECT, { endpointId: "vpce-prod-s3" }), allowed),
        result(
            path("dev-cmi-03", "bedrock-cmi", "denied", cmi(DEV), "s3:GetObject", OBJECT, {
                context: { "aws:SourceVpce": "vpce-0999999999999999a" },
            }),
            deniedBy("research: BucketPolicy artifacts-policy", "DenyOutsideEndpoints"),
        ),
        result(
            path("dev-cmi-04", "bedrock-cmi", "denied", role(DEV, "platform-administrator"), "s3:GetObject", OBJECT, {
                identity: "administrator",
            }),
            deniedBy("research: BucketPolicy artifacts-policy"),
        ),
        ...[DEV, PROD].flatMap((account) => {
            const stack = account === DEV ? "dev" : "prod";
            return [
                result(
                    path(
                        `${stack}-rek-01`,
                        "rekognition-shared",
                        "allowed",
                        role(account, `RekognitionModelConsumer-${account}`),
                        "sts:AssumeRole",
                        role(RESEARCH, `RekognitionModelAccess-${account}`),
                    ),
                    allowed,
                ),
                result(
                    path(
                        `${stack}-rek-02`,
                        "rekognition-shared",
                        "allowed",
                        role(RESEARCH, `RekognitionModelAccess-${account}`),
                        "rekognition:DetectCustomLabels",
                        VERSION,
                        {
                            endpointId: `vpce-${stack}-rekognition`,
                        },
                    ),
                    allowed,
                ),
            ];
        }),
        result(
            path(
                "dev-sm-01",
                "sagemaker",
                "allowed",
                "sagemaker.amazonaws.com",
                "sts:AssumeRole",
                role(DEV, `SageMakerModelExecutionRole-${DEV}`),
                {
                    identity: "none",
                    resourceAccount: DEV,
                },
            ),
            allowed,
        ),
        result(
            path(
                "prod-sm-01",
                "sagemaker",
                "allowed",
                role(PROD, `SageMakerModelExecutionRole-${PROD}`),
                "sagemaker:DescribeModelPackage",
                PACKAGE,
            ),
            options.broken ? deniedBy("research: ModelPackageGroupPolicy group-policy") : allowed,
        ),
        result(
            path("dev-scp-01", "guardrails", "denied", role(DEV, "platform-administrator"), "rekognition:CreateProject", "*", {
                identity: "administrator",
                resourceAccount: DEV,
            }),
            deniedBy("org: Policy deny-rekognition-changes", "DenyProjectChanges", "scp"),
        ),
    ];
    const stack = (name: string, accountId: string, diagnostics: ReportInput["stacks"][number]["diagnostics"] = []) => ({
        stack: name,
        accountId,
        region: "us-east-1",
        status: "planned" as const,
        resourceCounts: { "aws:iam/role:Role": 1 },
        diagnostics,
    });
    const finding = {
        policyName: "sagemaker-vpc-only",
        message: "SageMaker model x has no VPC configuration",
        enforcementLevel: options.broken ? ("mandatory" as const) : ("advisory" as const),
        urn: "urn:pulumi:prod::p::cross-account-models:sagemaker:SageMakerEndpoint$aws:sagemaker/model:Model::x",
        severity: 0,
    };
    const problems = access.filter((r) => !r.holds).map((r) => r.problem!);
    return {
        stacks: [stack("org", ORG), stack("research", RESEARCH), stack("dev", DEV), stack("prod", PROD, [finding as never])],
        access,
        keyAliases: new Map(),
        problems: options.broken ? [...problems, `stack prod: mandatory policy sagemaker-vpc-only violated by x`] : problems,
        timingsMs: { stacks: 1, policies: 1, access: 1, total: 3 },
        env: {
            runs,
            graph: {
                levels: [
                    ["org", "research"],
                    ["dev", "prod"],
                ],
                upstream: new Map(),
            },
            sequence: ["org", "research", "dev", "prod"],
            convergencePasses: 0,
        },
    } as unknown as ReportInput;
}
