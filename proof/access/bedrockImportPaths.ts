/**
 * Bedrock Custom Model Import paths for each hosting stack that imports from the research stack:
 * Bedrock assumes the CMI role for this account's jobs only; the role lists and reads the model
 * prefix over TLS (through the hosting VPC's S3 endpoint when the job runs in the VPC) and decrypts
 * through S3; it uses the hosting key; nobody else reads the artifacts or uses the keys, and the
 * role writes nothing.
 */
import { HostingStack, ResearchStack, isResearch } from "../../lib/contracts";
import { partitionOf } from "../../lib/naming";
import type { AccessPath, ParsedStack, Path, Where } from "./accessPath";
import { endpointOf, foreignEndpoints } from "./hostingEndpoints";
import { OUTSIDER_ACCOUNT, throughEndpoint } from "./network";
import { TLS, hostingPaths, otherRoleOf, pathsOf } from "./pathBuilder";

/** One hosting stack's import from research: the ARNs its paths name and where their requests happen. */
function importOf(parsed: readonly ParsedStack[], research: ResearchStack, self: HostingStack) {
    const { exports: out, config } = self;
    const { region, accountId, stack } = config;
    const shared = research.exports;
    const partition = partitionOf(region);
    const consumer = shared.consumers.find((c) => c.accountId === accountId);
    const prefix = config.modelImport?.modelPrefix ?? consumer?.prefixes[0] ?? "";
    const job = (account: string) => `arn:${partition}:bedrock:${region}:${account}:model-import-job/a1b2c3d4e5f6`;
    const inHosting: Where = { resourceAccount: accountId, context: TLS };
    const inResearch: Where = { resourceAccount: shared.accountId, context: TLS };
    // S3 calls KMS on the role's behalf: the request carries kms:ViaService and aws:ViaAWSService.
    const throughS3: Where = {
        ...inResearch,
        context: { ...TLS, "kms:ViaService": `s3.${shared.region}.amazonaws.com`, "aws:ViaAWSService": "true" },
    };
    // The import job reads through the hosting VPC's S3 gateway endpoint when it runs in the VPC.
    const s3Endpoint = endpointOf(self, "s3", research.config);
    const fromJob: Where =
        config.modelImport?.runInVpc && s3Endpoint
            ? {
                  ...inResearch,
                  endpointId: s3Endpoint.id,
                  context: { ...TLS, ...throughEndpoint(s3Endpoint, "s3"), "aws:SourceVpc": out.vpcId },
              }
            : inResearch;
    // Bedrock calls KMS as the CMI role for the imported model: kms:ViaService names Bedrock.
    const throughBedrock: Where = {
        ...inHosting,
        context: { ...TLS, "kms:ViaService": `bedrock.${region}.amazonaws.com`, "aws:ViaAWSService": "true" },
    };
    const bedrockFor = (account: string): Where => ({
        resourceAccount: accountId,
        context: { "aws:SourceAccount": account, "aws:SourceArn": job(account) },
    });
    const assumeByRole: Where = { resourceAccount: accountId, context: {} };
    return {
        ...pathsOf("bedrock-cmi", stack),
        parsed,
        self,
        research,
        shared,
        accountId,
        prefix,
        requireVpcEndpoint: consumer?.requireVpcEndpoint,
        cmi: out.cmiRoleArn,
        hostingKey: out.importedModelKeyArn,
        object: `${shared.artifactBucketArn}/${prefix}config.json`,
        admin: otherRoleOf(partition, accountId),
        outsider: `arn:${partition}:iam::${OUTSIDER_ACCOUNT}:role/${out.cmiRoleArn.split("/").pop()}`,
        inHosting,
        inResearch,
        throughS3,
        fromJob,
        throughBedrock,
        bedrockFor,
        assumeByRole,
    };
}

type Import = ReturnType<typeof importOf>;

/** What the import job needs: Bedrock assumes the CMI role, which reads and decrypts the model and encrypts the imported copy. */
function importJobPaths(imp: Import): Path[] {
    const { allowed, cmi, hostingKey, shared, fromJob } = imp;
    return [
        allowed(
            "Bedrock assumes the CMI role for this account's import jobs",
            "bedrock.amazonaws.com",
            "none",
            "sts:AssumeRole",
            cmi,
            imp.bedrockFor(imp.accountId),
        ),
        allowed("the CMI role lists the model prefix", cmi, "declared", "s3:ListBucket", shared.artifactBucketArn, {
            ...fromJob,
            context: { ...fromJob.context, "s3:prefix": imp.prefix },
        }),
        allowed("the CMI role reads the model files", cmi, "declared", "s3:GetObject", imp.object, fromJob),
        allowed("the CMI role decrypts the artifacts through S3", cmi, "declared", "kms:Decrypt", shared.artifactKeyArn, imp.throughS3),
        ...["kms:GenerateDataKey", "kms:Encrypt", "kms:Decrypt", "kms:DescribeKey"].map((action) =>
            allowed(
                "the CMI role encrypts the imported model with the hosting key through Bedrock",
                cmi,
                "declared",
                action,
                hostingKey,
                imp.throughBedrock,
            ),
        ),
        allowed("Bedrock keeps the imported model under a grant for AWS resources", cmi, "declared", "kms:CreateGrant", hostingKey, {
            ...imp.inHosting,
            context: { ...TLS, "kms:GrantIsForAWSResource": "true" },
        }),
    ];
}

/** Who else may assume the CMI role: a configured troubleshooter may (doctor); another role of the account may not, nor Bedrock for another account. */
function cmiAssumerPaths(imp: Import): Path[] {
    const { allowed, denied, cmi, admin } = imp;
    const troubleshooters = imp.self.config.troubleshooterArns;
    return [
        ...troubleshooters.map((troubleshooter) =>
            allowed(
                "a configured troubleshooter assumes the CMI role (doctor)",
                troubleshooter,
                "administrator",
                "sts:AssumeRole",
                cmi,
                imp.assumeByRole,
            ),
        ),
        ...(troubleshooters.includes(admin)
            ? []
            : [
                  denied(
                      "another role of the hosting account assumes the CMI role",
                      admin,
                      "administrator",
                      "sts:AssumeRole",
                      cmi,
                      imp.assumeByRole,
                  ),
              ]),
        denied(
            "Bedrock acting for another account's job (confused deputy)",
            "bedrock.amazonaws.com",
            "none",
            "sts:AssumeRole",
            cmi,
            imp.bedrockFor(OUTSIDER_ACCOUNT),
        ),
    ];
}

/** The CMI role only reads the artifacts, over TLS, and, where research fences them, only through its own VPC endpoint. */
function artifactFencePaths(imp: Import): Path[] {
    const { denied, cmi, object, fromJob, research } = imp;
    const fenced = imp.requireVpcEndpoint || research.config.vpcEndpointOnly;
    return [
        ...["s3:PutObject", "s3:DeleteObject"].map((action) =>
            denied("the CMI role changes the artifacts", cmi, "administrator", action, object, fromJob),
        ),
        denied("the CMI role reads without TLS", cmi, "declared", "s3:GetObject", object, {
            ...fromJob,
            context: { ...fromJob.context, "aws:SecureTransport": "false" },
        }),
        ...(imp.requireVpcEndpoint
            ? [denied("the CMI role reads from outside its VPC endpoint", cmi, "declared", "s3:GetObject", object, imp.inResearch)]
            : []),
        ...(fenced
            ? foreignEndpoints(imp.parsed, imp.self, "s3", research.config).map(({ label, endpoint }) =>
                  denied(`the CMI role reads through ${label}`, cmi, "declared", "s3:GetObject", object, {
                      ...imp.inResearch,
                      context: { ...TLS, ...throughEndpoint(endpoint, "s3") },
                  }),
              )
            : []),
    ];
}

/** With research reachable only through VPC endpoints, the artifact key is used through the VPC's KMS endpoint and no other way. */
function artifactKeyEndpointPaths(imp: Import): Path[] {
    const { allowed, denied, cmi, research, inResearch } = imp;
    const key = imp.shared.artifactKeyArn;
    const kmsEndpoint = endpointOf(imp.self, "kms", research.config);
    if (!research.config.vpcEndpointOnly || !kmsEndpoint) return [];
    return [
        allowed("the CMI role describes the artifact key through its VPC's KMS endpoint", cmi, "declared", "kms:DescribeKey", key, {
            ...inResearch,
            endpointId: kmsEndpoint.id,
            context: { ...TLS, ...throughEndpoint(kmsEndpoint, "kms") },
        }),
        denied(
            "the CMI role describes the artifact key from outside any VPC endpoint",
            cmi,
            "declared",
            "kms:DescribeKey",
            key,
            inResearch,
        ),
        ...foreignEndpoints(imp.parsed, imp.self, "kms", research.config).map(({ label, endpoint }) =>
            denied(`the CMI role describes the artifact key through ${label}`, cmi, "declared", "kms:DescribeKey", key, {
                ...inResearch,
                context: { ...TLS, ...throughEndpoint(endpoint, "kms") },
            }),
        ),
    ];
}

/** Nobody else reads the artifacts or uses the keys, and the CMI role uses the hosting key only through Bedrock. */
function othersRefusedPaths(imp: Import): Path[] {
    const { denied, admin, object, hostingKey } = imp;
    return [
        denied("another role of the hosting account reads the artifacts", admin, "administrator", "s3:GetObject", object, imp.fromJob),
        denied(
            "another role of the hosting account decrypts with the artifact key",
            admin,
            "administrator",
            "kms:Decrypt",
            imp.shared.artifactKeyArn,
            imp.throughS3,
        ),
        denied(
            "another role of the hosting account uses the imported-model key",
            admin,
            "administrator",
            "kms:Decrypt",
            hostingKey,
            imp.inHosting,
        ),
        denied(
            "a same-named role of an outside account reads the artifacts",
            imp.outsider,
            "administrator",
            "s3:GetObject",
            object,
            imp.inResearch,
        ),
        denied(
            "whoever assumes the CMI role decrypts with the imported-model key directly, not through Bedrock",
            imp.cmi,
            "declared",
            "kms:Decrypt",
            hostingKey,
            imp.inHosting,
        ),
    ];
}

/** The Bedrock Custom Model Import paths of every hosting stack, when the environment has a research stack. */
export function bedrockImportPaths(parsed: readonly ParsedStack[]): AccessPath[] {
    const research = parsed.find(isResearch);
    if (!research) return [];
    return hostingPaths(parsed, "cmi", (self) => importOf(parsed, research, self), [
        importJobPaths,
        cmiAssumerPaths,
        artifactFencePaths,
        artifactKeyEndpointPaths,
        othersRefusedPaths,
    ]);
}
