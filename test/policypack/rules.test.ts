/** Every rule of the pack with a violating and a compliant example, through the policies' own functions. */
import { strict as assert } from "assert";
import * as fs from "fs";
import * as path from "path";
import { PolicyResource, ResourceValidationPolicy, StackValidationPolicy } from "@pulumi/policy";
import { allPolicies } from "../../policypacks/cross-account-guard/policies";

type Props = Record<string, any>;
interface Res {
    type: string;
    name: string;
    props: Props;
    deps?: Record<string, string[]>;
    provider?: { props: Props };
}

const NOT_APPLICABLE = new Error("not applicable");
const urn = (r: Res) => `urn:pulumi:t::p::${r.type}::${r.name}`;
const policyNamed = (name: string) => {
    const found = allPolicies.find((p) => p.name === name);
    if (!found) throw new Error(`no policy ${name}`);
    return found;
};

/** Violation messages a policy reports for a set of resources (each one alone for resource rules). */
function violations(name: string, resources: Res[], config: Props = {}): string[] {
    const policy = policyNamed(name);
    const messages: string[] = [];
    const report = (message: string) => messages.push(message);
    const getConfig = () => config as any;
    if ("validateResource" in policy) {
        // The arguments the framework passes; `notApplicable` throws, as it does there, for other types.
        const notApplicable = () => {
            throw NOT_APPLICABLE;
        };
        for (const r of resources) {
            const isType = (cls: { __pulumiType?: string }) => cls.__pulumiType === r.type;
            try {
                ((policy as ResourceValidationPolicy).validateResource as Function)(
                    { type: r.type, name: r.name, urn: urn(r), props: r.props, provider: r.provider, getConfig, isType, notApplicable },
                    report,
                );
            } catch (err) {
                if (err !== NOT_APPLICABLE) throw err;
            }
        }
    } else {
        const byName = new Map<string, PolicyResource>();
        const policyResources = resources.map((r) => {
            const pr = {
                type: r.type,
                name: r.name,
                urn: urn(r),
                props: r.props,
                provider: r.provider,
                dependencies: [],
                propertyDependencies: {},
            } as unknown as PolicyResource;
            byName.set(r.name, pr);
            return pr;
        });
        resources.forEach((r, i) => {
            for (const [prop, names] of Object.entries(r.deps ?? {})) {
                (policyResources[i].propertyDependencies as any)[prop] = names.map((n) => byName.get(n)!);
            }
        });
        ((policy as StackValidationPolicy).validateStack as Function)({ resources: policyResources, getConfig }, report);
    }
    return messages;
}

function check(name: string, violating: Res[], compliant: Res[], config: Props = {}): void {
    assert.notDeepEqual(violations(name, violating, config), [], `${name} accepted the violating example`);
    assert.deepEqual(violations(name, compliant, config), [], `${name} rejected the compliant example`);
}

const doc = (...Statement: object[]) => JSON.stringify({ Version: "2012-10-17", Statement });
const bucket: Res = { type: "aws:s3/bucket:Bucket", name: "b", props: { bucket: "models" } };
const logBucket: Res = { type: "aws:s3/bucket:Bucket", name: "logs", props: { bucket: "models-logs" } };
/** A settings resource pointing at the bucket by dependency, as the engine reports it. */
const setting = (type: string, props: Props, target = "b"): Res => ({
    type: `aws:s3/${type}`,
    name: `${target}-${type}`,
    props: { bucket: "unknown-during-preview", ...props },
    deps: { bucket: [target] },
});
const sse = (rule: Props, target = "b") =>
    setting("bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration", { rules: [rule] }, target);
const kms = {
    applyServerSideEncryptionByDefault: { sseAlgorithm: "aws:kms", kmsMasterKeyId: "arn:aws:kms:us-east-1:111122223333:key/k" },
    bucketKeyEnabled: true,
};
const pab = (off?: string) =>
    setting(
        "bucketPublicAccessBlock:BucketPublicAccessBlock",
        Object.fromEntries(
            ["blockPublicAcls", "blockPublicPolicy", "ignorePublicAcls", "restrictPublicBuckets"].map((f) => [f, f !== off]),
        ),
    );
const tlsDeny = {
    Sid: "DenyInsecureTransport",
    Effect: "Deny",
    Principal: "*",
    Action: "s3:*",
    Resource: ["arn:aws:s3:::models", "arn:aws:s3:::models/*"],
    Condition: { Bool: { "aws:SecureTransport": "false" } },
};
const grant = (principal: any, condition?: object) => ({
    Sid: "Grant",
    Effect: "Allow",
    Principal: principal,
    Action: "s3:GetObject",
    Resource: "arn:aws:s3:::models/*",
    ...(condition ? { Condition: condition } : {}),
});
const onlyRole = { ArnEquals: { "aws:PrincipalArn": "arn:aws:iam::777788889999:role/Reader" } };
const ALLOWED = { allowedAccountIds: ["111122223333", "777788889999"] };
const key = (props: Props): Res => ({ type: "aws:kms/key:Key", name: "k", props: { enableKeyRotation: true, policy: doc(), ...props } });
const role = (trust: object): Res => ({ type: "aws:iam/role:Role", name: "r", props: { assumeRolePolicy: doc(trust) } });
const rolePolicy = (statement: object): Res => ({ type: "aws:iam/rolePolicy:RolePolicy", name: "rp", props: { policy: doc(statement) } });
const serviceTrust = (condition?: object) => ({
    Sid: "T",
    Effect: "Allow",
    Principal: { Service: "bedrock.amazonaws.com" },
    Action: "sts:AssumeRole",
    ...(condition ? { Condition: condition } : {}),
});
const vpc: Res = { type: "aws:ec2/vpc:Vpc", name: "v", props: { cidrBlock: "10.0.0.0/16" } };
const onVpc = (type: string, props: Props): Res => ({
    type,
    name: `${type}-x`,
    props: { vpcId: "unknown", ...props },
    deps: { vpcId: ["v"] },
});

describe("policy pack rules", () => {
    it("lists every rule with a description, severity, remediation and level", () => {
        assert.ok(allPolicies.length >= 33, String(allPolicies.length));
        for (const p of allPolicies) {
            assert.ok(p.description && p.severity && p.remediationSteps && p.enforcementLevel, p.name);
        }
        assert.equal(new Set(allPolicies.map((p) => p.name)).size, allPolicies.length);
    });

    it("documents every rule in docs/policy-pack.md and maps it to the catalogs in docs/policy-pack-catalogs.md", () => {
        for (const page of ["docs/policy-pack.md", "docs/policy-pack-catalogs.md"]) {
            const text = fs.readFileSync(path.join(__dirname, "..", "..", page), "utf8");
            const missing = allPolicies.map((p) => p.name).filter((name) => !text.includes(`\`${name}\``));
            assert.deepEqual(missing, [], `${page} does not name these rules`);
        }
    });

    describe("S3", () => {
        it("s3-bucket-encryption-cmk", () => {
            check(
                "s3-bucket-encryption-cmk",
                [bucket, sse({ applyServerSideEncryptionByDefault: { sseAlgorithm: "AES256" } })],
                [bucket, sse(kms)],
            );
            assert.notDeepEqual(violations("s3-bucket-encryption-cmk", [bucket]), [], "bucket without encryption accepted");
            assert.notDeepEqual(
                violations("s3-bucket-encryption-cmk", [bucket, sse({ applyServerSideEncryptionByDefault: { sseAlgorithm: "aws:kms" } })]),
                [],
                "AWS managed key accepted",
            );
            // A bucket that receives access logs may use SSE-S3, where AWS allows no KMS key.
            const logging = setting("bucketLogging:BucketLogging", { targetBucket: "unknown", targetPrefix: "b/" });
            logging.deps = { bucket: ["b"], targetBucket: ["logs"] };
            assert.deepEqual(
                violations("s3-bucket-encryption-cmk", [
                    bucket,
                    sse(kms),
                    logBucket,
                    sse({ applyServerSideEncryptionByDefault: { sseAlgorithm: "AES256" } }, "logs"),
                    logging,
                ]),
                [],
            );
            assert.notDeepEqual(
                violations(
                    "s3-bucket-encryption-cmk",
                    [bucket, sse(kms), logBucket, sse({ applyServerSideEncryptionByDefault: { sseAlgorithm: "AES256" } }, "logs"), logging],
                    { allowSseS3ForAccessLogTargets: false },
                ),
                [],
            );
        });
        it("s3-public-access-block", () => {
            check("s3-public-access-block", [bucket, pab("restrictPublicBuckets")], [bucket, pab()]);
            assert.notDeepEqual(violations("s3-public-access-block", [bucket]), []);
        });
        it("s3-acls-disabled", () =>
            check(
                "s3-acls-disabled",
                [bucket, setting("bucketOwnershipControls:BucketOwnershipControls", { rule: { objectOwnership: "ObjectWriter" } })],
                [bucket, setting("bucketOwnershipControls:BucketOwnershipControls", { rule: { objectOwnership: "BucketOwnerEnforced" } })],
            ));
        it("s3-versioning", () =>
            check(
                "s3-versioning",
                [bucket, setting("bucketVersioning:BucketVersioning", { versioningConfiguration: { status: "Suspended" } })],
                [bucket, setting("bucketVersioning:BucketVersioning", { versioningConfiguration: { status: "Enabled" } })],
            ));
        it("s3-tls-only", () =>
            check(
                "s3-tls-only",
                [bucket, setting("bucketPolicy:BucketPolicy", { policy: doc(grant("*", onlyRole)) })],
                [bucket, setting("bucketPolicy:BucketPolicy", { policy: doc(tlsDeny) })],
            ));
        it("s3-policy-no-open-grants", () => {
            const bp = (s: object): Res => ({ type: "aws:s3/bucketPolicy:BucketPolicy", name: "bp", props: { policy: doc(s) } });
            check("s3-policy-no-open-grants", [bp(grant("*"))], [bp(grant({ AWS: "arn:aws:iam::777788889999:root" }, onlyRole))], ALLOWED);
            assert.notDeepEqual(
                violations("s3-policy-no-open-grants", [bp(grant({ AWS: "arn:aws:iam::999999999999:root" }))], ALLOWED),
                [],
            );
            assert.deepEqual(
                violations("s3-policy-no-open-grants", [bp(grant({ AWS: "arn:aws:iam::777788889999:role/Reader" }))], ALLOWED),
                [],
            );
            assert.notDeepEqual(
                violations("s3-policy-no-open-grants", [bp(grant({ AWS: "arn:aws:iam::777788889999:root" }))], ALLOWED),
                [],
                "a whole allowed account without a condition",
            );
            assert.deepEqual(
                violations("s3-policy-no-open-grants", [bp(grant({ AWS: "arn:aws:iam::777788889999:root" }, onlyRole))], ALLOWED),
                [],
            );
            assert.notDeepEqual(
                violations("s3-policy-no-open-grants", [bp(grant("*", { StringLike: { "aws:PrincipalArn": "*" } }))], ALLOWED),
                [],
                "a wildcard condition restricts nothing",
            );
        });
        it("s3-policy-no-open-grants reports accounts outside the list even under a principal-restricting condition", () => {
            const bp = (s: object): Res => ({ type: "aws:s3/bucketPolicy:BucketPolicy", name: "bp", props: { policy: doc(s) } });
            const foreignRole = { ArnEquals: { "aws:PrincipalArn": "arn:aws:iam::999999999999:role/Reader" } };
            check(
                "s3-policy-no-open-grants",
                [bp(grant({ AWS: "arn:aws:iam::999999999999:root" }, foreignRole))],
                [bp(grant({ AWS: "arn:aws:iam::777788889999:root" }, onlyRole))],
                ALLOWED,
            );
            // "*" limited by a condition to a foreign account is a grant to that account.
            assert.notDeepEqual(
                violations(
                    "s3-policy-no-open-grants",
                    [bp(grant("*", { StringEquals: { "aws:PrincipalAccount": "999999999999" } }))],
                    ALLOWED,
                ),
                [],
            );
            assert.deepEqual(
                violations(
                    "s3-policy-no-open-grants",
                    [bp(grant("*", { StringEquals: { "aws:PrincipalAccount": "777788889999" } }))],
                    ALLOWED,
                ),
                [],
            );
        });
        describe("settings of a bucket outside the stack, judged on their own", () => {
            // Named by a string (another stack's or an imported bucket): no bucket of this stack to join them to.
            const outside = (type: string, props: Props, name = "shared"): Res => ({
                type: `aws:s3/${type}`,
                name: `${name}-${type.split(":")[0]}`,
                props: { bucket: "shared-data", ...props },
            });
            const aes = (props: Props = {}) =>
                outside("bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration", {
                    rules: [{ applyServerSideEncryptionByDefault: { sseAlgorithm: "AES256" } }],
                    ...props,
                });
            it("s3-bucket-encryption-cmk: SSE-S3 unless this stack delivers access logs to that bucket", () => {
                check(
                    "s3-bucket-encryption-cmk",
                    [aes()],
                    [outside("bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration", { rules: [kms] })],
                );
                const logsThere: Res = {
                    type: "aws:s3/bucketLogging:BucketLogging",
                    name: "l",
                    props: { bucket: "models", targetBucket: "shared-data", targetPrefix: "m/" },
                };
                assert.deepEqual(violations("s3-bucket-encryption-cmk", [aes(), logsThere]), []);
                assert.notDeepEqual(
                    violations("s3-bucket-encryption-cmk", [
                        aes(),
                        { ...logsThere, props: { ...logsThere.props, targetBucket: "elsewhere" } },
                    ]),
                    [],
                );
                assert.notDeepEqual(
                    violations("s3-bucket-encryption-cmk", [aes(), logsThere], { allowSseS3ForAccessLogTargets: false }),
                    [],
                );
            });
            it("s3-public-access-block: any flag off", () => {
                const flags = (off?: string) =>
                    Object.fromEntries(
                        ["blockPublicAcls", "blockPublicPolicy", "ignorePublicAcls", "restrictPublicBuckets"].map((f) => [f, f !== off]),
                    );
                check(
                    "s3-public-access-block",
                    [outside("bucketPublicAccessBlock:BucketPublicAccessBlock", flags("ignorePublicAcls"))],
                    [outside("bucketPublicAccessBlock:BucketPublicAccessBlock", flags())],
                );
            });
            it("s3-tls-only: a bucket policy without the TLS deny", () =>
                check(
                    "s3-tls-only",
                    [outside("bucketPolicy:BucketPolicy", { policy: doc(grant({ AWS: "arn:aws:iam::777788889999:root" }, onlyRole)) })],
                    [outside("bucketPolicy:BucketPolicy", { policy: doc(tlsDeny) })],
                ));
        });
        it("s3-access-logging", () =>
            check(
                "s3-access-logging",
                [bucket],
                [bucket, setting("bucketLogging:BucketLogging", { targetBucket: "models-logs", targetPrefix: "b/" })],
            ));
    });

    describe("KMS", () => {
        it("kms-key-rotation", () =>
            check(
                "kms-key-rotation",
                [key({ enableKeyRotation: false })],
                [key({}), key({ enableKeyRotation: false, customerMasterKeySpec: "RSA_2048" })],
            ));
        it("kms-explicit-key-policy", () =>
            check("kms-explicit-key-policy", [{ ...key({}), props: { enableKeyRotation: true } }], [key({})]));
        it("kms-policy-no-open-grants", () =>
            check(
                "kms-policy-no-open-grants",
                [key({ policy: doc({ Sid: "Open", Effect: "Allow", Principal: { AWS: "*" }, Action: "kms:Decrypt", Resource: "*" }) })],
                [
                    key({
                        policy: doc({
                            Sid: "Via",
                            Effect: "Allow",
                            Principal: { AWS: "*" },
                            Action: "kms:Decrypt",
                            Resource: "*",
                            Condition: { StringEquals: { "kms:CallerAccount": "111122223333" } },
                        }),
                    }),
                ],
                ALLOWED,
            ));
        it("kms-policy-no-open-grants leaves key administration by the account root alone", () => {
            const admin = {
                Sid: "Admin",
                Effect: "Allow",
                Principal: { AWS: "arn:aws:iam::111122223333:root" },
                Action: ["kms:Describe*", "kms:PutKeyPolicy"],
                Resource: "*",
            };
            assert.deepEqual(violations("kms-policy-no-open-grants", [key({ policy: doc(admin) })], ALLOWED), []);
            // Key use by a whole root: with the key's account unknown, judged by the stack rule (kms-key-owner-delegation).
            const use = [key({ policy: doc({ ...admin, Action: "kms:Decrypt" }) })];
            assert.deepEqual(violations("kms-policy-no-open-grants", use, ALLOWED), []);
            assert.notDeepEqual(violations("kms-key-owner-delegation", use, ALLOWED), []);
        });
        it("kms-policy-no-open-grants reports a foreign account under a condition, and not the key's own root delegating to IAM", () => {
            const delegation = {
                Sid: "EnableIamPolicies",
                Effect: "Allow",
                Principal: { AWS: "arn:aws:iam::111122223333:root" },
                Action: "kms:*",
                Resource: "*",
            };
            const keyArn = "arn:aws:kms:us-east-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab";
            const provider = { props: { allowedAccountIds: '["111122223333"]' } };
            // Own account known from the key's ARN, or from the provider pinned to one account.
            check(
                "kms-policy-no-open-grants",
                [key({ arn: keyArn, policy: doc({ ...delegation, Principal: { AWS: "arn:aws:iam::777788889999:root" } }) })],
                [key({ arn: keyArn, policy: doc(delegation) })],
                ALLOWED,
            );
            assert.deepEqual(
                violations("kms-policy-no-open-grants", [{ ...key({ policy: doc(delegation) }), provider } as Res]),
                [],
                "own root through the provider's account, even with an empty list",
            );
            // Own account unknown from the key: not called an open grant by the resource rule; the stack rule says what it could not tell.
            assert.deepEqual(violations("kms-policy-no-open-grants", [key({ policy: doc(delegation) })], ALLOWED), []);
            const [unknownOwner] = violations("kms-key-owner-delegation", [key({ policy: doc(delegation) })], ALLOWED);
            assert.match(
                unknownOwner,
                /the key's account is unknown .* if that root is the key's own account, this is AWS's default key policy/,
            );
            // ... and none once another resource of the stack says which account the stack is in.
            const sameAccountRole = { type: "aws:iam/role:Role", name: "r", props: {}, provider } as Res;
            assert.deepEqual(violations("kms-key-owner-delegation", [key({ policy: doc(delegation) }), sameAccountRole], ALLOWED), []);
            const conditioned = {
                Sid: "Decrypt",
                Effect: "Allow",
                Principal: { AWS: "arn:aws:iam::999999999999:root" },
                Action: "kms:Decrypt",
                Resource: "*",
                Condition: { ArnEquals: { "aws:PrincipalArn": "arn:aws:iam::999999999999:role/R" } },
            };
            check(
                "kms-policy-no-open-grants",
                [key({ policy: doc(conditioned) })],
                [key({ policy: doc({ ...conditioned, Principal: { AWS: "arn:aws:iam::777788889999:root" }, Condition: onlyRole }) })],
                ALLOWED,
            );
        });
        it("kms-deletion-window", () => {
            check("kms-deletion-window", [key({ deletionWindowInDays: 7 })], [key({ deletionWindowInDays: 30 }), key({})]);
            assert.deepEqual(violations("kms-deletion-window", [key({ deletionWindowInDays: 7 })], { minimumDays: 7 }), []);
        });
    });

    describe("IAM", () => {
        it("iam-no-wildcard-action", () => {
            check(
                "iam-no-wildcard-action",
                [rolePolicy({ Effect: "Allow", Action: "*", Resource: "*" })],
                [rolePolicy({ Effect: "Allow", Action: "s3:GetObject", Resource: "*" })],
            );
            assert.notDeepEqual(
                violations("iam-no-wildcard-action", [rolePolicy({ Effect: "Allow", NotAction: "iam:*", Resource: "*" })]),
                [],
            );
            assert.notDeepEqual(
                violations("iam-no-wildcard-action", [
                    {
                        type: "aws:iam/role:Role",
                        name: "r",
                        props: { inlinePolicies: [{ name: "i", policy: doc({ Effect: "Allow", Action: "*:*", Resource: "*" }) }] },
                    },
                ]),
                [],
            );
        });
        it("iam-no-passrole-wildcard", () =>
            check(
                "iam-no-passrole-wildcard",
                [rolePolicy({ Effect: "Allow", Action: "iam:Pass*", Resource: "*" })],
                [
                    rolePolicy({
                        Effect: "Allow",
                        Action: "iam:PassRole",
                        Resource: "arn:aws:iam::777788889999:role/BedrockCMIExecutionRole-777788889999",
                    }),
                ],
            ));
        it("iam-passrole-to-service", () =>
            check(
                "iam-passrole-to-service",
                [
                    // A deployment role that may pass its roles, but to any service.
                    rolePolicy({
                        Effect: "Allow",
                        Action: "iam:PassRole",
                        Resource: "arn:aws:iam::777788889999:role/BedrockCMIExecutionRole-777788889999",
                    }),
                    rolePolicy({ Effect: "Allow", Action: "iam:*", Resource: "arn:aws:iam::777788889999:role/x" }),
                ],
                [
                    rolePolicy({
                        Effect: "Allow",
                        Action: "iam:PassRole",
                        Resource: "arn:aws:iam::777788889999:role/BedrockCMIExecutionRole-777788889999",
                        Condition: { StringEquals: { "iam:PassedToService": "bedrock.amazonaws.com" } },
                    }),
                    rolePolicy({ Effect: "Allow", Action: "iam:GetRole", Resource: "arn:aws:iam::777788889999:role/x" }),
                ],
            ));
        it("iam-no-wildcard-action flags a deployment role allowed every action of every service", () =>
            check(
                "iam-no-wildcard-action",
                [
                    {
                        type: "aws:iam/role:Role",
                        name: "deployment-role",
                        props: { inlinePolicies: [{ name: "deploy", policy: doc({ Effect: "Allow", Action: "*", Resource: "*" }) }] },
                    },
                ],
                [
                    rolePolicy({
                        Effect: "Allow",
                        Action: ["ec2:CreateVpc", "iam:CreateRole"],
                        Resource: "arn:aws:ec2:us-east-1:777788889999:*",
                    }),
                ],
            ));
        it("iam-trust-not-public", () =>
            check(
                "iam-trust-not-public",
                [role({ Effect: "Allow", Principal: { AWS: "*" }, Action: "sts:AssumeRole" })],
                [
                    role({
                        Effect: "Allow",
                        Principal: { AWS: "*" },
                        Action: "sts:AssumeRole",
                        Condition: { StringEquals: { "aws:PrincipalOrgID": "o-abc123" } },
                    }),
                ],
            ));
        it("iam-service-trust-confused-deputy", () => {
            check(
                "iam-service-trust-confused-deputy",
                [role(serviceTrust())],
                [role(serviceTrust({ StringEquals: { "aws:SourceAccount": "777788889999" } }))],
            );
            assert.deepEqual(
                violations("iam-service-trust-confused-deputy", [role({ ...serviceTrust(), Principal: { Service: "ec2.amazonaws.com" } })]),
                [],
                "ec2 sends no source context",
            );
        });
        it("iam-cross-account-trust-allowed", () => {
            check(
                "iam-cross-account-trust-allowed",
                [role({ Effect: "Allow", Principal: { AWS: "arn:aws:iam::999999999999:role/X" }, Action: "sts:AssumeRole" })],
                [role({ Effect: "Allow", Principal: { AWS: "arn:aws:iam::777788889999:role/X" }, Action: "sts:AssumeRole" })],
                ALLOWED,
            );
            const rootTrust = { Effect: "Allow", Principal: { AWS: "arn:aws:iam::777788889999:root" }, Action: "sts:AssumeRole" };
            assert.notDeepEqual(
                violations("iam-cross-account-trust-allowed", [role(rootTrust)], ALLOWED),
                [],
                "a whole account root without a condition",
            );
            assert.deepEqual(violations("iam-cross-account-trust-allowed", [role({ ...rootTrust, Condition: onlyRole })], ALLOWED), []);
            assert.deepEqual(
                violations("iam-cross-account-trust-allowed", [role(rootTrust)], { ...ALLOWED, requireConditionOnAccountRoot: false }),
                [],
            );
            // A condition naming the role narrows principals within an account; an unlisted account stays unlisted.
            const foreignRoot = {
                ...rootTrust,
                Principal: { AWS: "arn:aws:iam::999999999999:root" },
                Condition: { ArnEquals: { "aws:PrincipalArn": "arn:aws:iam::999999999999:role/X" } },
            };
            check("iam-cross-account-trust-allowed", [role(foreignRoot)], [role({ ...rootTrust, Condition: onlyRole })], ALLOWED);
            assert.notDeepEqual(
                violations(
                    "iam-cross-account-trust-allowed",
                    [
                        role({
                            Effect: "Allow",
                            Principal: { AWS: "*" },
                            Action: "sts:AssumeRole",
                            Condition: { StringEquals: { "aws:PrincipalAccount": "999999999999" } },
                        }),
                    ],
                    ALLOWED,
                ),
                [],
            );
        });
        it("iam-cross-account-trust-allowed: a development account's pipeline role (seed 003) only with aws:PrincipalArn naming it", () => {
            // A target account's SageMaker deployment role, deployed there (its provider pinned to the target account).
            const inTarget = (trust: object): Res => ({
                ...role(trust),
                provider: { props: { allowedAccountIds: JSON.stringify(["777788889999"]) } },
            });
            const pipeline = {
                Sid: "DeploymentPipelineRolesOf111122223333",
                Effect: "Allow",
                Principal: { AWS: "arn:aws:iam::111122223333:root" },
                Action: "sts:AssumeRole",
                Condition: { ArnEquals: { "aws:PrincipalArn": ["arn:aws:iam::111122223333:role/ml-platform-ci"] } },
            };
            const { Condition, ...withoutCondition } = pipeline;
            check("iam-cross-account-trust-allowed", [inTarget(withoutCondition)], [inTarget(pipeline)], ALLOWED);
            assert.deepEqual(violations("iam-cross-account-trust-allowed", [inTarget(withoutCondition)], ALLOWED), [
                "Trust statement DeploymentPipelineRolesOf111122223333 trusts every principal of arn:aws:iam::111122223333:root; expected an aws:PrincipalArn condition naming the roles.",
            ]);
            // A condition on the account, organization or network path leaves every principal of the account root trusted.
            for (const condition of [
                { StringEquals: { "aws:PrincipalAccount": "111122223333" } },
                { StringEquals: { "aws:PrincipalOrgID": "o-a1b2c3d4e5" } },
                { StringEquals: { "aws:SourceVpce": "vpce-0123456789abcdef0" } },
                { ArnLike: { "aws:PrincipalArn": "*" } },
            ]) {
                assert.deepEqual(
                    violations("iam-cross-account-trust-allowed", [inTarget({ ...pipeline, Condition: condition })], ALLOWED),
                    [
                        `Trust statement DeploymentPipelineRolesOf111122223333 trusts every principal of arn:aws:iam::111122223333:root${condition.ArnLike ? ' (ArnLike on aws:PrincipalArn value "*" matches any value)' : " (its condition names no principal)"}; expected an aws:PrincipalArn condition naming the roles.`,
                    ],
                    JSON.stringify(condition),
                );
            }
            // Named roles, also with a path wildcard or with an external ID beside them, are accepted.
            for (const condition of [
                { ArnLike: { "aws:PrincipalArn": "arn:aws:iam::111122223333:role/pipelines/*" } },
                { ...pipeline.Condition, StringEquals: { "sts:ExternalId": "a1b2c3" } },
            ])
                assert.deepEqual(
                    violations("iam-cross-account-trust-allowed", [inTarget({ ...pipeline, Condition: condition })], ALLOWED),
                    [],
                );
            // Without the development account among the allowed accounts, even the conditioned trust is reported.
            assert.notDeepEqual(
                violations("iam-cross-account-trust-allowed", [inTarget(pipeline)], { allowedAccountIds: ["777788889999"] }),
                [],
            );
        });
    });

    describe("network", () => {
        it("vpc-no-internet-gateway", () => {
            const igw: Res = { type: "aws:ec2/internetGateway:InternetGateway", name: "igw", props: {} };
            check("vpc-no-internet-gateway", [igw], [vpc]);
            assert.deepEqual(violations("vpc-no-internet-gateway", [igw], { allowInternetGateway: true }), []);
        });
        it("vpc-no-nat-gateway", () => {
            const nat: Res = { type: "aws:ec2/natGateway:NatGateway", name: "nat", props: {} };
            check("vpc-no-nat-gateway", [nat], [vpc]);
            assert.deepEqual(violations("vpc-no-nat-gateway", [nat], { allowNatGateway: true }), []);
        });
        it("vpc-no-public-ip-subnet", () =>
            check(
                "vpc-no-public-ip-subnet",
                [{ type: "aws:ec2/subnet:Subnet", name: "s", props: { mapPublicIpOnLaunch: true } }],
                [{ type: "aws:ec2/subnet:Subnet", name: "s", props: { mapPublicIpOnLaunch: false } }],
            ));
        it("vpc-no-open-ingress", () => {
            check(
                "vpc-no-open-ingress",
                [{ type: "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule", name: "i", props: { cidrIpv4: "0.0.0.0/0" } }],
                [{ type: "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule", name: "i", props: { cidrIpv4: "10.0.0.0/16" } }],
            );
            assert.notDeepEqual(
                violations("vpc-no-open-ingress", [
                    { type: "aws:ec2/securityGroup:SecurityGroup", name: "g", props: { ingress: [{ ipv6CidrBlocks: ["::/0"] }] } },
                ]),
                [],
            );
            assert.notDeepEqual(
                violations("vpc-no-open-ingress", [
                    {
                        type: "aws:ec2/securityGroupRule:SecurityGroupRule",
                        name: "g",
                        props: { type: "ingress", cidrBlocks: ["0.0.0.0/0"] },
                    },
                ]),
                [],
            );
            assert.deepEqual(
                violations("vpc-no-open-ingress", [
                    {
                        type: "aws:ec2/securityGroupRule:SecurityGroupRule",
                        name: "g",
                        props: { type: "egress", cidrBlocks: ["0.0.0.0/0"] },
                    },
                ]),
                [],
            );
        });
        it("vpc-flow-logs", () =>
            check(
                "vpc-flow-logs",
                [vpc, onVpc("aws:ec2/flowLog:FlowLog", { trafficType: "REJECT" })],
                [vpc, onVpc("aws:ec2/flowLog:FlowLog", { trafficType: "ALL" })],
            ));
        it("vpc-endpoint-policy", () => {
            const endpoint = (props: Props): Res => ({
                type: "aws:ec2/vpcEndpoint:VpcEndpoint",
                name: "e",
                props: { serviceName: "com.amazonaws.us-east-1.kms", vpcEndpointType: "Interface", privateDnsEnabled: true, ...props },
            });
            check("vpc-endpoint-policy", [endpoint({})], [endpoint({ policy: doc() })]);
            assert.notDeepEqual(violations("vpc-endpoint-policy", [endpoint({ policy: doc(), privateDnsEnabled: false })]), []);
            assert.deepEqual(violations("vpc-endpoint-policy", [endpoint({})], { servicesWithoutPolicySupport: ["kms"] }), []);
        });
        it("vpc-endpoint-policy refuses a whole service on every resource without a resource perimeter", () => {
            const endpoint = (statement: object): Res => ({
                type: "aws:ec2/vpcEndpoint:VpcEndpoint",
                name: "e",
                props: {
                    serviceName: "com.amazonaws.us-east-1.kms",
                    vpcEndpointType: "Interface",
                    privateDnsEnabled: true,
                    policy: doc(statement),
                },
            });
            const principals = { StringEquals: { "aws:PrincipalAccount": ["777788889999"] } };
            const broad = { Sid: "Broad", Effect: "Allow", Principal: "*", Action: "kms:*", Resource: "*", Condition: principals };
            check(
                "vpc-endpoint-policy",
                [endpoint(broad)],
                [
                    endpoint({
                        ...broad,
                        Action: ["kms:Decrypt", "kms:DescribeKey"],
                        Condition: {
                            StringEquals: { ...principals.StringEquals, "aws:ResourceAccount": ["777788889999", "111122223333"] },
                        },
                    }),
                ],
            );
            assert.deepEqual(
                violations("vpc-endpoint-policy", [
                    endpoint({ ...broad, Condition: { StringEquals: { "aws:ResourceOrgID": "o-abc123" } } }),
                ]),
                [],
                "AWS's data perimeter form",
            );
            assert.notDeepEqual(violations("vpc-endpoint-policy", [endpoint({ ...broad, Action: "*" })]), []);
            assert.deepEqual(violations("vpc-endpoint-policy", [endpoint(broad)], { allowServiceWideActions: true }), []);
        });
        it("logs-group-kms", () =>
            check(
                "logs-group-kms",
                [{ type: "aws:cloudwatch/logGroup:LogGroup", name: "g", props: { retentionInDays: 365 } }],
                [{ type: "aws:cloudwatch/logGroup:LogGroup", name: "g", props: { kmsKeyId: "arn:aws:kms:us-east-1:1:key/k" } }],
            ));
        it("vpc-default-sg-closed", () => {
            check(
                "vpc-default-sg-closed",
                [vpc, onVpc("aws:ec2/defaultSecurityGroup:DefaultSecurityGroup", { ingress: [{ self: true }] })],
                [vpc, onVpc("aws:ec2/defaultSecurityGroup:DefaultSecurityGroup", {})],
            );
            assert.notDeepEqual(violations("vpc-default-sg-closed", [vpc]), []);
        });
    });

    describe("data perimeter", () => {
        // The research account's provider: the resources it owns are in 111122223333.
        const research = { props: { allowedAccountIds: JSON.stringify(["111122223333"]) } };
        const bucketPolicy = (...statements: object[]): Res => ({
            type: "aws:s3/bucketPolicy:BucketPolicy",
            name: "bp",
            props: { policy: doc(...statements) },
            provider: research,
        });
        const readers = grant({ AWS: ["arn:aws:iam::777788889999:root", "arn:aws:iam::444455556666:root"] }, onlyRole);
        const deny = (condition: object, principal: any = "*", action: any = "s3:*") => ({
            Sid: "Fence",
            Effect: "Deny",
            Principal: principal,
            Action: action,
            Resource: "*",
            Condition: condition,
        });
        const byOwner = { StringNotEquals: { "aws:PrincipalAccount": "111122223333", "aws:VpceAccount": "${aws:PrincipalAccount}" } };
        const byId = { StringNotEqualsIfExists: { "aws:SourceVpce": ["vpce-0123456789abcdef0"] } };

        it("data-vpc-endpoint-only: other accounts' data grants need a Deny outside VPC endpoints, by owner or by ID", () => {
            check("data-vpc-endpoint-only", [bucketPolicy(readers)], [bucketPolicy(readers, deny(byOwner))]);
            assert.deepEqual(violations("data-vpc-endpoint-only", [bucketPolicy(readers, deny(byId))]), [], "endpoint pinning refused");
            assert.deepEqual(
                violations("data-vpc-endpoint-only", [
                    bucketPolicy(readers, deny({ "ForAnyValue:StringNotLike": { "aws:VpceOrgPaths": ["o-a1b2c3d4e5/*"] } })),
                ]),
                [],
                "organization paths refused",
            );
        });
        it("data-vpc-endpoint-only: a Deny that does not fence the grant does not count", () => {
            // A positive operator allows-lists instead of fencing; a Deny of other actions or principals leaves the grant open.
            assert.notDeepEqual(
                violations("data-vpc-endpoint-only", [
                    bucketPolicy(readers, deny({ StringEquals: { "aws:VpceAccount": "999999999999" } })),
                ]),
                [],
            );
            assert.notDeepEqual(violations("data-vpc-endpoint-only", [bucketPolicy(readers, deny(byOwner, "*", "s3:PutObject"))]), []);
            assert.notDeepEqual(
                violations("data-vpc-endpoint-only", [bucketPolicy(readers, deny(byOwner, { AWS: "arn:aws:iam::777788889999:root" }))]),
                [],
                "prod left unfenced",
            );
            assert.notDeepEqual(
                violations("data-vpc-endpoint-only", [bucketPolicy(readers, deny({ Bool: { "aws:SecureTransport": "false" } }))]),
                [],
            );
        });
        it("data-vpc-endpoint-only: the owner's own grants and key administration need no fence; a key's foreign use does", () => {
            const own = grant({ AWS: "arn:aws:iam::111122223333:root" }, onlyRole);
            assert.deepEqual(violations("data-vpc-endpoint-only", [bucketPolicy(own)]), []);
            const admin = {
                Sid: "Admin",
                Effect: "Allow",
                Principal: { AWS: "arn:aws:iam::777788889999:root" },
                Action: ["kms:Describe*", "kms:Put*"],
                Resource: "*",
            };
            const decrypt = {
                Sid: "Decrypt",
                Effect: "Allow",
                Principal: { AWS: "arn:aws:iam::777788889999:root" },
                Action: "kms:Decrypt",
                Resource: "*",
                Condition: onlyRole,
            };
            const keyOf = (...statements: object[]): Res => ({ ...key({ policy: doc(...statements) }), provider: research });
            assert.deepEqual(violations("data-vpc-endpoint-only", [keyOf(admin)]), []);
            check("data-vpc-endpoint-only", [keyOf(decrypt)], [keyOf(decrypt, deny(byOwner, "*", ["kms:Decrypt", "kms:Encrypt"]))]);
        });
    });

    describe("services", () => {
        it("sagemaker-model-vpc-isolation", () =>
            check(
                "sagemaker-model-vpc-isolation",
                [{ type: "aws:sagemaker/model:Model", name: "m", props: { enableNetworkIsolation: true } }],
                [
                    {
                        type: "aws:sagemaker/model:Model",
                        name: "m",
                        props: { enableNetworkIsolation: true, vpcConfig: { subnets: ["subnet-1"], securityGroupIds: ["sg-1"] } },
                    },
                ],
            ));
        it("sagemaker-endpoint-config-kms", () =>
            check(
                "sagemaker-endpoint-config-kms",
                [{ type: "aws:sagemaker/endpointConfiguration:EndpointConfiguration", name: "e", props: {} }],
                [
                    {
                        type: "aws:sagemaker/endpointConfiguration:EndpointConfiguration",
                        name: "e",
                        props: { kmsKeyArn: "arn:aws:kms:us-east-1:1:key/k" },
                    },
                ],
            ));
        it("sagemaker-notebook-vpc", () =>
            check(
                "sagemaker-notebook-vpc",
                [
                    {
                        type: "aws:sagemaker/notebookInstance:NotebookInstance",
                        name: "n",
                        props: { subnetId: "subnet-1", kmsKeyId: "k", directInternetAccess: "Enabled" },
                    },
                ],
                [
                    {
                        type: "aws:sagemaker/notebookInstance:NotebookInstance",
                        name: "n",
                        props: { subnetId: "subnet-1", kmsKeyId: "k", directInternetAccess: "Disabled" },
                    },
                ],
            ));
        it("bedrock-import-cmk", () => {
            check(
                "bedrock-import-cmk",
                [{ type: "pulumi-nodejs:dynamic/bedrock:ModelImportJob", name: "j", props: { importedModelName: "m" } }],
                [
                    {
                        type: "pulumi-nodejs:dynamic/bedrock:ModelImportJob",
                        name: "j",
                        props: { importedModelKmsKeyArn: "arn:aws:kms:us-east-1:1:key/k" },
                    },
                ],
            );
            assert.notDeepEqual(
                violations("bedrock-import-cmk", [{ type: "aws:bedrock/customModel:CustomModel", name: "c", props: {} }]),
                [],
            );
        });
        it("ecr-policy-no-open-grants", () => {
            const repo = (statement: object): Res => ({
                type: "aws:ecr/repositoryPolicy:RepositoryPolicy",
                name: "p",
                props: { repository: "abalone-inference", policy: doc(statement) },
            });
            const pull = {
                Sid: "Pull",
                Effect: "Allow",
                Principal: { AWS: "arn:aws:iam::777788889999:root" },
                Action: ["ecr:BatchGetImage", "ecr:GetDownloadUrlForLayer"],
                Condition: { ArnEquals: { "aws:PrincipalArn": "arn:aws:iam::777788889999:role/SageMakerModelExecutionRole-777788889999" } },
            };
            check("ecr-policy-no-open-grants", [repo({ ...pull, Condition: undefined })], [repo(pull)], ALLOWED);
            assert.notDeepEqual(
                violations("ecr-policy-no-open-grants", [repo({ ...pull, Principal: "*", Condition: undefined })], ALLOWED),
                [],
            );
            assert.notDeepEqual(
                violations(
                    "ecr-policy-no-open-grants",
                    [
                        repo({
                            ...pull,
                            Principal: { AWS: "arn:aws:iam::999999999999:root" },
                            Condition: { ArnEquals: { "aws:PrincipalArn": "arn:aws:iam::999999999999:role/R" } },
                        }),
                    ],
                    ALLOWED,
                ),
                [],
            );
        });
        it("aws-provider-allowed-accounts", () =>
            check(
                "aws-provider-allowed-accounts",
                [{ type: "pulumi:providers:aws", name: "default", props: { region: "us-east-1" } }],
                [{ type: "pulumi:providers:aws", name: "default", props: { region: "us-east-1", allowedAccountIds: '["777788889999"]' } }],
            ));
    });
});

describe("the catalog mapping (docs/policy-pack-catalogs.md)", () => {
    it("maps every in-scope check once, names only rules of the pack, and the page is current", () => {
        const { generate } = require("../../proof/pack/catalogs/generate") as typeof import("../../proof/pack/catalogs/generate");
        const generated = generate();
        assert.deepEqual(generated.problems, []);
        const page = fs.readFileSync(path.join(__dirname, "..", "..", "docs", "policy-pack-catalogs.md"), "utf8");
        assert.equal(page, generated.text, "docs/policy-pack-catalogs.md is out of date: run npx ts-node proof/pack/catalogs/generate.ts");
    });
});
