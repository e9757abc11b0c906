/**
 * Rekognition Custom Labels sharing paths for each consumer stack of the shared Rekognition model:
 * its application role assumes the ML account's access role (and nobody else of its account, nor
 * another consumer's role, can); the access role calls DetectCustomLabels on the versions granted
 * to this consumer, through the consumer VPC's endpoint when required, and on nothing else; it
 * cannot start, stop, create or delete projects or versions.
 */
import type { HostingConfig } from "../../lib/config/stackConfig";
import { HostingStack, ResearchStack, isResearch } from "../../lib/contracts";
import { requireExport } from "../../lib/contracts/check";
import { partitionOf } from "../../lib/naming";
import type { AccessPath, ParsedStack, Path, Where } from "./accessPath";
import { endpointOf, foreignEndpoints } from "./hostingEndpoints";
import { throughEndpoint } from "./network";
import { TLS, hostingPaths, otherRoleOf, pathsOf } from "./pathBuilder";

type Share = NonNullable<ResearchStack["exports"]["rekognition"]>;

/** One consumer stack's share of the model: its roles, the versions it may call, and where its calls happen. */
function consumerOf(parsed: readonly ParsedStack[], research: ResearchStack, share: Share, self: HostingStack) {
    const { exports: out, config } = self;
    const entry = share.consumers.find((c) => c.accountId === config.accountId);
    if (!entry) return undefined;
    const ml = research.config.accountId;
    const endpoint = endpointOf(self, "rekognition", research.config);
    // Offline a secret external ID is the placeholder on both sides, so the proof matches them.
    const external: Record<string, string> = config.rekognition!.externalId
        ? { "sts:ExternalId": config.rekognition!.externalId.reveal() }
        : {};
    const position = share.consumers.indexOf(entry);
    // The access role's calls, in the ML account, through the consumer VPC's endpoint when it has one.
    const callThroughOwn: Where = endpoint
        ? { resourceAccount: ml, endpointId: endpoint.id, context: { ...TLS, ...throughEndpoint(endpoint, "rekognition") } }
        : { resourceAccount: ml, context: TLS };
    const assumeInMl: Where = { resourceAccount: ml, context: external };
    return {
        ...pathsOf("rekognition-shared", config.stack),
        parsed,
        self,
        research,
        share,
        entry,
        config,
        partition: partitionOf(config.region),
        appRole: requireExport(config.stack, out, "rekognitionAppRoleArn", "its configuration sets rekognition"),
        accessRole: entry.accessRoleArn,
        requireEndpoint: research.config.rekognition?.consumers.find((c) => c.accountId === config.accountId)?.requireVpcEndpoint,
        // One other consumer stands for all: every access role trusts exactly one principal ARN, and
        // checking each pair would make the proof grow with the square of the accounts.
        otherConsumers: share.consumers.length > 1 ? [share.consumers[(position + 1) % share.consumers.length]] : [],
        callThroughOwn,
        assumeInMl,
        inMl: (context: Where["context"]): Where => ({ resourceAccount: ml, context }),
    };
}

type Consumer = NonNullable<ReturnType<typeof consumerOf>>;

/** What the consumer application needs: assume the access role, read the version to call, call its granted versions. */
function consumerAccessPaths(c: Consumer): Path[] {
    const { allowed, appRole, accessRole } = c;
    return [
        allowed(
            "the application role assumes the ML account's access role",
            appRole,
            "declared",
            "sts:AssumeRole",
            accessRole,
            c.assumeInMl,
        ),
        allowed(
            "the application reads the version to call from Parameter Store",
            appRole,
            "declared",
            "ssm:GetParameter",
            parameterArnOf(c.partition, c.config),
            { resourceAccount: c.config.accountId, context: {} },
        ),
        ...c.entry.grantedVersions.map((version) =>
            allowed(
                `the access role calls granted version ${versionLabel(version)}`,
                accessRole,
                "declared",
                "rekognition:DetectCustomLabels",
                version,
                c.callThroughOwn,
            ),
        ),
    ];
}

/** The access role calls only this consumer's versions and, where required, only through the consumer VPC's endpoint. */
function versionFencePaths(c: Consumer): Path[] {
    const { denied, accessRole, entry } = c;
    const allGranted = [...new Set(c.share.consumers.flatMap((other) => other.grantedVersions))];
    const first = entry.grantedVersions[0];
    return [
        // Versions granted to other consumers only (at most two: the policy lists granted versions, so any stands for all).
        ...allGranted
            .filter((v) => !entry.grantedVersions.includes(v))
            .slice(0, 2)
            .map((version) =>
                denied(
                    `the access role calls version ${versionLabel(version)}, not granted to this account`,
                    accessRole,
                    "declared",
                    "rekognition:DetectCustomLabels",
                    version,
                    c.callThroughOwn,
                ),
            ),
        ...(c.requireEndpoint && first
            ? [
                  denied(
                      "the access role calls the model from outside the consumer VPC endpoint",
                      accessRole,
                      "declared",
                      "rekognition:DetectCustomLabels",
                      first,
                      c.inMl(TLS),
                  ),
                  ...foreignEndpoints(c.parsed, c.self, "rekognition", c.research.config).map(({ label, endpoint }) =>
                      denied(
                          `the access role calls the model through ${label}`,
                          accessRole,
                          "declared",
                          "rekognition:DetectCustomLabels",
                          first,
                          c.inMl({ ...TLS, ...throughEndpoint(endpoint, "rekognition") }),
                      ),
                  ),
              ]
            : []),
    ];
}

/** The access role only calls: it cannot start, stop or delete versions, nor train or delete in the project. */
function lifecyclePaths(c: Consumer): Path[] {
    const { denied, accessRole } = c;
    const first = c.entry.grantedVersions[0];
    const project = c.share.projectArn;
    return [
        ...(first
            ? ["rekognition:StartProjectVersion", "rekognition:StopProjectVersion", "rekognition:DeleteProjectVersion"].map((action) =>
                  denied("the access role starts, stops or deletes a model version", accessRole, "declared", action, first, c.inMl({})),
              )
            : []),
        ...(project
            ? ["rekognition:CreateProjectVersion", "rekognition:DeleteProject"].map((action) =>
                  denied("the access role trains or deletes in the project", accessRole, "declared", action, project, c.inMl({})),
              )
            : []),
    ];
}

/** Only the consumer's application role assumes its access role: not another role of its account, nor another consumer's application role. */
function otherAssumerPaths(c: Consumer): Path[] {
    const { denied, accessRole, config, partition } = c;
    const appRoleName = c.appRole.split("/").pop()!;
    return [
        denied(
            "another role of the consumer account assumes the access role",
            otherRoleOf(partition, config.accountId),
            "administrator",
            "sts:AssumeRole",
            accessRole,
            c.assumeInMl,
        ),
        ...c.otherConsumers.map((other) =>
            denied(
                `the ${other.stack} application role assumes ${config.stack}'s access role`,
                `arn:${partition}:iam::${other.accountId}:role/${appRoleName.replace(config.accountId, other.accountId)}`,
                "administrator",
                "sts:AssumeRole",
                accessRole,
                c.assumeInMl,
            ),
        ),
    ];
}

/** The version parameter's ARN in a consumer stack. */
function parameterArnOf(partition: string, config: HostingConfig): string {
    return `arn:${partition}:ssm:${config.region}:${config.accountId}:parameter${config.rekognition!.parameterName}`;
}

/** `<version>` of a model version ARN, for path descriptions. */
function versionLabel(versionArn: string): string {
    return versionArn.split("/version/")[1]?.split("/")[0] ?? versionArn;
}

/** The Rekognition Custom Labels sharing paths of every consumer stack, when research shares a model. */
export function rekognitionPaths(parsed: readonly ParsedStack[]): AccessPath[] {
    const research = parsed.find(isResearch);
    const share = research?.exports.rekognition;
    if (!research || !share) return [];
    return hostingPaths(parsed, "rek", (self) => (self.config.rekognition ? consumerOf(parsed, research, share, self) : undefined), [
        consumerAccessPaths,
        versionFencePaths,
        lifecyclePaths,
        otherAssumerPaths,
    ]);
}
