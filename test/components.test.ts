/** Properties of what the components register, from the stacks run under mocks with their shipped config. */
import { strict as assert } from "assert";
import { runStack } from "../proof/runtime/runStack";
import { readStackConfig } from "../ops/project";
import { DEFAULT_INTERFACE_ENDPOINTS } from "../lib/config/stackConfig";
import { DEV, PROD, RESEARCH, hostingExports, policyIn, researchExports, resource, resourcesOf, shippedStack, withConfig } from "./helpers";
import { StackRun } from "../proof/runtime/runStack";

describe("ArtifactShare (research)", () => {
    let research: StackRun;
    before(async () => {
        research = await shippedStack("research");
    });

    const bucketSetting = (component: string, type: string, suffix: string) => resource(research, type, `${component}-${suffix}`).inputs;

    it("encrypts the artifact bucket with its customer managed key and a bucket key", () => {
        const [rule] = bucketSetting(
            "artifacts-artifacts",
            "aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration",
            "encryption",
        ).rules;
        assert.equal(rule.applyServerSideEncryptionByDefault.sseAlgorithm, "aws:kms");
        assert.equal(rule.applyServerSideEncryptionByDefault.kmsMasterKeyId, researchExports(research).artifactKeyArn);
        assert.equal(rule.bucketKeyEnabled, true);
    });

    it("makes both buckets private, ACL-free, versioned, and logs artifact access", () => {
        for (const component of ["artifacts-artifacts", "artifacts-logs"]) {
            const block = bucketSetting(component, "aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock", "public-access");
            assert.deepEqual(
                [block.blockPublicAcls, block.blockPublicPolicy, block.ignorePublicAcls, block.restrictPublicBuckets],
                [true, true, true, true],
            );
            assert.equal(
                bucketSetting(component, "aws:s3/bucketOwnershipControls:BucketOwnershipControls", "ownership").rule.objectOwnership,
                "BucketOwnerEnforced",
            );
            assert.equal(
                bucketSetting(component, "aws:s3/bucketVersioning:BucketVersioning", "versioning").versioningConfiguration.status,
                "Enabled",
            );
        }
        const logging = bucketSetting("artifacts-artifacts", "aws:s3/bucketLogging:BucketLogging", "logging");
        assert.deepEqual(
            [logging.targetBucket, logging.targetPrefix],
            [`model-artifacts-${RESEARCH}-logs`, `model-artifacts-${RESEARCH}/`],
        );
        // S3 delivers access logs only to SSE-S3 buckets.
        const [logRule] = bucketSetting(
            "artifacts-logs",
            "aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration",
            "encryption",
        ).rules;
        assert.equal(logRule.applyServerSideEncryptionByDefault.sseAlgorithm, "AES256");
    });

    it("grants each consumer role only list and get, through the account roots and an aws:PrincipalArn condition", () => {
        const policy = policyIn(resource(research, "aws:s3/bucketPolicy:BucketPolicy", "artifacts-artifacts-policy"));
        const grants = policy.Statement.filter((s) => s.Effect === "Allow");
        // The CMI roles and the SageMaker execution roles of dev and prod, one statement per kind of role and action.
        assert.deepEqual(
            grants.map((s) => [s.Sid, s.Action]),
            [
                ["ListBedrockCMIExecutionRole", "s3:ListBucket"],
                ["ReadBedrockCMIExecutionRole", "s3:GetObject"],
                ["ListSageMakerModelExecutionRole", "s3:ListBucket"],
                ["ReadSageMakerModelExecutionRole", "s3:GetObject"],
            ],
        );
        for (const grant of grants) {
            assert.deepEqual(grant.Principal, { AWS: [`arn:aws:iam::${PROD}:root`, `arn:aws:iam::${DEV}:root`] });
            // Each listed account's own role only: the role name carries the requester's account ID.
            assert.match(
                String(grant.Condition!.StringLike["aws:PrincipalArn"]),
                /^arn:aws:iam::\$\{aws:PrincipalAccount\}:role\/(BedrockCMIExecutionRole|SageMakerModelExecutionRole)-\$\{aws:PrincipalAccount\}$/,
            );
        }
    });

    it("denies other accounts anything not through a VPC endpoint of their own account, except AWS services (SageMaker hosting's perimeter)", () => {
        for (const [type, name] of [
            ["aws:s3/bucketPolicy:BucketPolicy", "artifacts-artifacts-policy"],
            ["aws:kms/key:Key", "artifacts-key-key"],
        ]) {
            const deny = policyIn(resource(research, type, name)).Statement.find(
                (s) => s.Sid === "DenyOtherAccountsOutsideDesignatedEndpoints",
            )!;
            assert.equal(deny.Effect, "Deny");
            assert.deepEqual(deny.Condition!.StringNotEquals, {
                "aws:PrincipalAccount": RESEARCH,
                "aws:VpceAccount": "${aws:PrincipalAccount}",
            });
            assert.deepEqual(deny.Condition!.BoolIfExists, { "aws:ViaAWSService": "false", "aws:PrincipalIsAWSService": "false" });
            // By endpoint owner, the policy names no endpoint: nothing to read back from the hosting stacks.
            assert.equal(deny.Condition!.StringNotEqualsIfExists, undefined);
        }
    });

    it("rotates the artifact key, with an explicit policy and a 30-day deletion window", () => {
        const key = resource(research, "aws:kms/key:Key", "artifacts-key-key").inputs;
        assert.equal(key.enableKeyRotation, true);
        assert.equal(key.deletionWindowInDays, 30);
        assert.ok(JSON.parse(key.policy).Statement.length >= 3);
    });

    it("protects the buckets and the key against accidental deletion", () => {
        const isProtected = (type: string, name: string) => resource(research, type, name).protect;
        assert.ok(isProtected("aws:s3/bucket:Bucket", "artifacts-artifacts-bucket"));
        assert.ok(isProtected("aws:s3/bucket:Bucket", "artifacts-logs-bucket"));
        assert.ok(isProtected("aws:kms/key:Key", "artifacts-key-key"));
        assert.equal(resource(research, "aws:s3/bucket:Bucket", "artifacts-artifacts-bucket").inputs.forceDestroy, false);
    });

    it("exports what hosting stacks read, with the role ARNs it grants", () => {
        assert.equal(researchExports(research).artifactBucketName, `model-artifacts-${RESEARCH}`);
        assert.deepEqual(
            researchExports(research).consumers.map((c) => c.roleArn),
            [
                `arn:aws:iam::${DEV}:role/BedrockCMIExecutionRole-${DEV}`,
                "arn:aws:iam::444455556666:role/BedrockCMIExecutionRole-444455556666",
            ],
        );
    });
});

describe("SecureVpc (dev, prod)", () => {
    let dev: StackRun;
    let prod: StackRun;
    before(async () => {
        dev = await shippedStack("dev");
        prod = await shippedStack("prod");
    });

    it("has no internet path: no internet, egress-only or NAT gateway, no public IPs, no routes", () => {
        for (const run of [dev, prod]) {
            const types = new Set(run.resources.map((r) => r.type));
            for (const forbidden of [
                "aws:ec2/internetGateway:InternetGateway",
                "aws:ec2/natGateway:NatGateway",
                "aws:ec2/egressOnlyInternetGateway:EgressOnlyInternetGateway",
                "aws:ec2/route:Route",
                "aws:ec2/eip:Eip",
            ]) {
                assert.ok(!types.has(forbidden), `${run.stack} declares ${forbidden}`);
            }
            for (const subnet of resourcesOf(run, "aws:ec2/subnet:Subnet")) {
                assert.equal(subnet.inputs.mapPublicIpOnLaunch, false);
            }
            assert.deepEqual(
                resourcesOf(run, "aws:ec2/routeTable:RouteTable").map((t) => t.inputs.routes ?? []),
                [[]],
            );
        }
    });

    it("spreads private subnets over distinct zones, as many as configured", () => {
        const zones = (run: StackRun) => resourcesOf(run, "aws:ec2/subnet:Subnet").map((s) => s.inputs.availabilityZone);
        assert.deepEqual(zones(dev), ["us-east-1a", "us-east-1b"]);
        assert.deepEqual(zones(prod), ["us-east-1a", "us-east-1b", "us-east-1c"]);
        assert.deepEqual(
            resourcesOf(prod, "aws:ec2/subnet:Subnet").map((s) => s.inputs.cidrBlock),
            ["10.30.0.0/20", "10.30.16.0/20", "10.30.32.0/20"],
        );
    });

    it("reaches S3 through a gateway endpoint on the private route table: research's shared prefixes, this account's buckets, no writes", () => {
        const s3 = resource(dev, "aws:ec2/vpcEndpoint:VpcEndpoint", "network-s3").inputs;
        assert.equal(s3.vpcEndpointType, "Gateway");
        assert.deepEqual(s3.routeTableIds, [resource(dev, "aws:ec2/routeTable:RouteTable", "network-private-rt").state.id]);
        const statements = JSON.parse(s3.policy).Statement;
        const read = statements.find((s: any) => s.Sid === "ReadSharedPrefixes1");
        assert.deepEqual(read.Resource, [
            `arn:aws:s3:::model-artifacts-${RESEARCH}/mistral-model-weights/*`,
            `arn:aws:s3:::model-artifacts-${RESEARCH}/sagemaker-models/*`,
        ]);
        assert.deepEqual(
            statements.find((s: any) => s.Sid === "ReadBucketsOfThisAccount").Condition.StringEquals["aws:ResourceAccount"],
            DEV,
        );
        assert.ok(!statements.some((s: any) => [s.Action].flat().includes("s3:PutObject")), "the hosting stacks name no writable bucket");
    });

    it("reaches AWS APIs through interface endpoints with private DNS and a policy each", () => {
        const endpoints = resourcesOf(dev, "aws:ec2/vpcEndpoint:VpcEndpoint").filter((e) => e.inputs.vpcEndpointType === "Interface");
        // The defaults, plus SSM for the Rekognition consumer's version parameter.
        assert.deepEqual(
            endpoints.map((e) => e.inputs.serviceName).sort(),
            [...DEFAULT_INTERFACE_ENDPOINTS, "ssm"].map((s) => `com.amazonaws.us-east-1.${s}`).sort(),
        );
        for (const endpoint of endpoints) {
            assert.equal(endpoint.inputs.privateDnsEnabled, true);
            assert.deepEqual(endpoint.inputs.securityGroupIds, [
                resource(dev, "aws:ec2/securityGroup:SecurityGroup", "network-endpoints-sg").state.id,
            ]);
            assert.ok(endpoint.inputs.policy, `${endpoint.name} has no endpoint policy`);
        }
    });

    it("admits only the group itself to workloads and only HTTPS from the VPC to endpoints", () => {
        const ingress = resourcesOf(dev, "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule");
        const workloadSg = resource(dev, "aws:ec2/securityGroup:SecurityGroup", "network-workload-sg").state.id;
        const endpointSg = resource(dev, "aws:ec2/securityGroup:SecurityGroup", "network-endpoints-sg").state.id;
        const rulesOf = (sg: string) => ingress.filter((r) => r.inputs.securityGroupId === sg).map((r) => r.inputs);
        assert.deepEqual(
            rulesOf(workloadSg).map((r) => r.referencedSecurityGroupId),
            [workloadSg],
        );
        assert.deepEqual(
            rulesOf(endpointSg).map((r) => [r.ipProtocol, r.fromPort, r.toPort, r.cidrIpv4]),
            [["tcp", 443, 443, "10.20.0.0/16"]],
        );
        const anywhere = [...ingress, ...resourcesOf(dev, "aws:vpc/securityGroupEgressRule:SecurityGroupEgressRule")].filter(
            (r) => r.inputs.cidrIpv4 === "0.0.0.0/0" || r.inputs.cidrIpv6 === "::/0",
        );
        assert.deepEqual(anywhere, []);
    });

    it("closes the default security group", () => {
        const defaultSg = resource(dev, "aws:ec2/defaultSecurityGroup:DefaultSecurityGroup", "network-default-sg").inputs;
        assert.deepEqual([defaultSg.ingress ?? [], defaultSg.egress ?? []], [[], []]);
    });

    it("logs all traffic to a KMS-encrypted log group", () => {
        const flowLog = resource(dev, "aws:ec2/flowLog:FlowLog", "network-flow-log").inputs;
        const logGroup = resource(dev, "aws:cloudwatch/logGroup:LogGroup", "network-flow-logs");
        assert.equal(flowLog.trafficType, "ALL");
        assert.equal(flowLog.logDestination, logGroup.state.arn);
        assert.equal(logGroup.inputs.kmsKeyId, resource(dev, "aws:kms/key:Key", "network-flow-logs-key-key").state.arn);
        assert.equal(logGroup.inputs.retentionInDays, 365);
    });
});

describe("CmiExecutionRole and ModelImportJob (dev)", () => {
    let dev: StackRun;
    before(async () => {
        dev = await shippedStack("dev");
    });

    it("imports from the research bucket with the hosting key, in the VPC, as the CMI role", () => {
        const job = resource(dev, "pulumi-nodejs:dynamic/bedrock:ModelImportJob", "model-import").inputs;
        assert.equal(job.s3Uri, `s3://model-artifacts-${RESEARCH}/mistral-model-weights/`);
        assert.equal(job.importedModelKmsKeyArn, hostingExports(dev).importedModelKeyArn);
        assert.equal(job.roleArn, hostingExports(dev).cmiRoleArn);
        assert.deepEqual(job.vpcConfig, {
            subnetIds: hostingExports(dev).subnetIds,
            securityGroupIds: [hostingExports(dev).workloadSecurityGroupId],
        });
        assert.match(hostingExports(dev).importedModelArn ?? "", /^arn:aws:bedrock:us-east-1:777788889999:imported-model\//);
    });

    it("names the role as the research stack expects and protects the imported-model key", () => {
        assert.equal(resource(dev, "aws:iam/role:Role", "cmi-role").inputs.name, `BedrockCMIExecutionRole-${DEV}`);
        const key = resource(dev, "aws:kms/key:Key", "imported-model-key");
        assert.ok(key.protect);
        assert.equal(key.inputs.enableKeyRotation, true);
    });

    it("scopes network-interface permissions to the job's subnets and group", () => {
        const policy = policyIn(resource(dev, "aws:iam/rolePolicy:RolePolicy", "cmi-permissions"));
        const create = policy.Statement.find((s) => s.Sid === "CreateNetworkInterfacesInJobSubnetsAndGroups")!;
        assert.deepEqual(create.Resource, [
            ...hostingExports(dev).subnetIds.map((id: string) => `arn:aws:ec2:us-east-1:${DEV}:subnet/${id}`),
            `arn:aws:ec2:us-east-1:${DEV}:security-group/${hostingExports(dev).workloadSecurityGroupId}`,
        ]);
    });

    it("without a VPC job, grants no network permissions; without modelImport, declares no job and reads what research shares", async () => {
        const research = await shippedStack("research");
        // A research stack that lets dev read from anywhere, so dev may run its import job outside the VPC.
        const anywhere = {
            ...researchExports(research),
            consumers: researchExports(research).consumers.map((c) => ({ ...c, requireVpcEndpoint: false })),
        };
        const upstream = new Map([["organization/cross-account-models/research", anywhere]]);
        const dev = readStackConfig("dev");
        const model = JSON.parse(dev["cross-account-models:modelImport"]);
        const outsideVpc = await runStack("dev", {
            config: withConfig(dev, { "cross-account-models:modelImport": { ...model, runInVpc: false } }),
            stackOutputs: upstream,
        });
        const statements = policyIn(resource(outsideVpc, "aws:iam/rolePolicy:RolePolicy", "cmi-permissions")).Statement;
        assert.ok(!statements.some((s) => [s.Action].flat().some((a) => a.startsWith("ec2:"))));
        assert.equal(resource(outsideVpc, "pulumi-nodejs:dynamic/bedrock:ModelImportJob", "model-import").inputs.vpcConfig, undefined);

        const noImport = await runStack("dev", {
            config: withConfig(dev, { "cross-account-models:modelImport": undefined }),
            stackOutputs: upstream,
        });
        assert.deepEqual(resourcesOf(noImport, "pulumi-nodejs:dynamic/bedrock:ModelImportJob"), []);
        const read = policyIn(resource(noImport, "aws:iam/rolePolicy:RolePolicy", "cmi-permissions")).Statement.find(
            (s) => s.Sid === "ReadArtifacts",
        )!;
        assert.deepEqual(read.Resource, [`arn:aws:s3:::model-artifacts-${RESEARCH}/mistral-model-weights/*`]);
    });
});

describe("CrossAccountModelRole and ModelConsumer (Rekognition Custom Labels sharing)", () => {
    let research: StackRun;
    let prod: StackRun;
    before(async () => {
        research = await shippedStack("research");
        prod = await shippedStack("prod");
    });

    it("gives each consumer its own access role, allowed DetectCustomLabels on its granted versions only", () => {
        const role = resource(research, "aws:iam/role:Role", "rekognition-prod-role");
        assert.equal(role.inputs.name, "RekognitionModelAccess-444455556666");
        const trust = policyIn(role, "assumeRolePolicy").Statement[0];
        assert.deepEqual(trust.Principal, { AWS: "arn:aws:iam::444455556666:root" });
        assert.equal(
            trust.Condition!.ArnEquals["aws:PrincipalArn"],
            "arn:aws:iam::444455556666:role/RekognitionModelConsumer-444455556666",
        );
        const [allow, deny] = policyIn(resource(research, "aws:iam/rolePolicy:RolePolicy", "rekognition-prod-detect")).Statement;
        assert.deepEqual(
            [allow.Effect, allow.Action, allow.Resource],
            ["Allow", "rekognition:DetectCustomLabels", [hostingExports(prod).activeModelVersionArn]],
        );
        // Through a rekognition endpoint of prod's own account (the session is the ML account's, so the account is named).
        assert.deepEqual(deny.Condition!.StringNotEquals, { "aws:VpceAccount": PROD });
        assert.ok(resource(research, "aws:rekognition/project:Project", "rekognition-project").protect);
    });

    it("gives the consumer an application role and the version parameter, with the endpoints to reach them privately", () => {
        const parameter = resource(prod, "aws:ssm/parameter:Parameter", "rekognition-version").inputs;
        assert.deepEqual(
            [parameter.name, parameter.type, parameter.insecureValue],
            ["/cross-account-models/rekognition/model-version-arn", "String", hostingExports(prod).activeModelVersionArn],
        );
        const permissions = policyIn(resource(prod, "aws:iam/rolePolicy:RolePolicy", "rekognition-app-permissions")).Statement;
        assert.deepEqual(
            permissions.map((s) => [s.Action, s.Resource]),
            [
                ["sts:AssumeRole", "arn:aws:iam::111122223333:role/RekognitionModelAccess-444455556666"],
                [
                    ["ssm:GetParameter", "ssm:GetParameters"],
                    "arn:aws:ssm:us-east-1:444455556666:parameter/cross-account-models/rekognition/model-version-arn",
                ],
            ],
        );
        const services = resourcesOf(prod, "aws:ec2/vpcEndpoint:VpcEndpoint").map((e) => e.inputs.serviceName);
        for (const s of ["rekognition", "sts", "ssm"]) assert.ok(services.includes(`com.amazonaws.us-east-1.${s}`), s);
    });
});

describe("SageMakerEndpoint and the registry (SageMaker hosting)", () => {
    let research: StackRun;
    let dev: StackRun;
    before(async () => {
        research = await shippedStack("research");
        dev = await shippedStack("dev");
    });

    it("serves the approved package from the SecureVpc with network isolation, an encrypted config and encrypted logs", () => {
        const model = resource(dev, "aws:sagemaker/model:Model", "sagemaker-model").inputs;
        assert.equal(model.primaryContainer.modelPackageName, "arn:aws:sagemaker:us-east-1:111122223333:model-package/abalone-models/4");
        assert.deepEqual(model.vpcConfig, {
            subnets: hostingExports(dev).subnetIds,
            securityGroupIds: [hostingExports(dev).workloadSecurityGroupId],
        });
        assert.equal(model.enableNetworkIsolation, true);
        const key = resource(dev, "aws:kms/key:Key", "sagemaker-key-key").state.arn;
        assert.equal(resource(dev, "aws:sagemaker/endpointConfiguration:EndpointConfiguration", "sagemaker-config").inputs.kmsKeyArn, key);
        const logs = resource(dev, "aws:cloudwatch/logGroup:LogGroup", "sagemaker-logs").inputs;
        assert.deepEqual([logs.name, logs.kmsKeyId], ["/aws/sagemaker/Endpoints/cross-account-models-dev", key]);
        assert.equal(resource(dev, "aws:sagemaker/endpoint:Endpoint", "sagemaker-endpoint").inputs.name, "cross-account-models-dev");
    });

    it("lets the deployment role pass only the execution role, and denies models without VPC settings", () => {
        const statements = policyIn(resource(dev, "aws:iam/rolePolicy:RolePolicy", "sagemaker-deployment-permissions")).Statement;
        const pass = statements.find((s) => s.Sid === "PassOnlyTheExecutionRole")!;
        assert.deepEqual(
            [pass.Resource, pass.Condition],
            [hostingExports(dev).sagemakerExecutionRoleArn, { StringEquals: { "iam:PassedToService": "sagemaker.amazonaws.com" } }],
        );
        assert.deepEqual(
            statements.filter((s) => s.Effect === "Deny").map((s) => s.Condition),
            [{ Null: { "sagemaker:VpcSubnets": "true" } }, { Null: { "sagemaker:VpcSecurityGroupIds": "true" } }],
        );
    });

    it("declares the registry, readable by each target's execution and deployment roles only", () => {
        assert.ok(resource(research, "aws:sagemaker/modelPackageGroup:ModelPackageGroup", "model-registry").protect);
        const statements = JSON.parse(
            resource(research, "aws:sagemaker/modelPackageGroupPolicy:ModelPackageGroupPolicy", "model-registry-policy").inputs
                .resourcePolicy,
        ).Statement;
        assert.deepEqual(
            statements.map((s: any) => s.Condition.ArnEquals["aws:PrincipalArn"]),
            [
                [
                    `arn:aws:iam::${DEV}:role/SageMakerModelExecutionRole-${DEV}`,
                    `arn:aws:iam::${DEV}:role/SageMakerModelDeploymentRole-${DEV}`,
                    // The account's deployment role creates the model from the package.
                    `arn:aws:iam::${DEV}:role/CrossAccountModelsDeployment-${DEV}`,
                ],
                [
                    "arn:aws:iam::444455556666:role/SageMakerModelExecutionRole-444455556666",
                    "arn:aws:iam::444455556666:role/SageMakerModelDeploymentRole-444455556666",
                    "arn:aws:iam::444455556666:role/CrossAccountModelsDeployment-444455556666",
                ],
            ],
        );
    });
});
