/**
 * Evidence that cannot be switched off (issue 21): logs kept long enough to investigate,
 * CloudTrail trails that log everywhere with integrity validation, and container images that
 * cannot be replaced under the same tag and are scanned when pushed. (S3 versioning not
 * Suspended is `s3-versioning`.)
 */
import { PolicyResource } from "@pulumi/policy";
import { resourceRule, stackRule } from "../lib/rule";
import { ofTypes } from "../lib/resources";
import { booleanOf, enumIs, inputOf, listOf, numberOf, objectOf, rawInputs, stringsOf } from "../lib/values";

export const logRetention = resourceRule(
    {
        name: "logs-retention-minimum",
        description:
            "CloudWatch log groups keep events at least the minimum number of days; no retention (absent or 0) keeps them forever and is fine.",
        category: "observability",
        severity: "medium",
        remediation:
            "Set retentionInDays on the aws.cloudwatch.LogGroup to at least the minimum (or leave it unset to keep events forever).",
        config: {
            minimumRetentionDays: {
                schema: { type: "integer", minimum: 1, description: "The fewest days a log group may keep its events." },
                default: 365,
            },
        },
    },
    ["aws:cloudwatch/logGroup:LogGroup"],
    (group, report, config) => {
        // CloudWatch Logs PutRetentionPolicy: without a retention policy events never expire.
        const days = numberOf(inputOf(group.props, "retentionInDays"));
        if (days !== undefined && days > 0 && days < config.minimumRetentionDays)
            report(`The log group keeps events ${days} days, fewer than ${config.minimumRetentionDays}.`);
    },
);

export const trailIntegrity = resourceRule(
    {
        name: "cloudtrail-trail-integrity",
        description:
            "CloudTrail trails log (enableLogging not false), validate their log files (enableLogFileValidation) and cover every region (isMultiRegionTrail).",
        category: "observability",
        severity: "high",
        remediation:
            "Set enableLogFileValidation: true and isMultiRegionTrail: true on the aws.cloudtrail.Trail, and leave enableLogging unset or true.",
        config: {
            requireMultiRegion: {
                schema: {
                    type: "boolean",
                    description: "Require isMultiRegionTrail (false for a stack whose trails are regional by design).",
                },
                default: true,
            },
        },
    },
    ["aws:cloudtrail/trail:Trail"],
    (trail, report, config) => {
        // The provider's defaults (aws_cloudtrail): enable_logging true, enable_log_file_validation false, is_multi_region_trail false.
        if (booleanOf(trail.props.enableLogging) === false) report("The trail does not log (enableLogging is false).");
        if (booleanOf(trail.props.enableLogFileValidation) !== true)
            report("The trail does not validate its log files (enableLogFileValidation).");
        if (config.requireMultiRegion && booleanOf(trail.props.isMultiRegionTrail) !== true)
            report("The trail covers only its own region (isMultiRegionTrail).");
    },
);

export const ecrImmutableTags = resourceRule(
    {
        name: "ecr-immutable-tags",
        description:
            "ECR repositories make image tags immutable (imageTagMutability IMMUTABLE; AWS's default is MUTABLE), so an image deployed by tag cannot be replaced under it.",
        category: "deployment-safety",
        severity: "medium",
        remediation: 'Set imageTagMutability: "IMMUTABLE" on the aws.ecr.Repository and deploy images by new tag or by digest.',
        config: {
            allowExclusionFilters: {
                schema: {
                    type: "boolean",
                    description: "Accept IMMUTABLE_WITH_EXCLUSION (tags matching the exclusion filters, such as latest, stay mutable).",
                },
                default: false,
            },
        },
    },
    ["aws:ecr/repository:Repository"],
    (repository, report, config) => {
        const mutability = repository.props.imageTagMutability;
        const accepted = config.allowExclusionFilters ? ["IMMUTABLE", "IMMUTABLE_WITH_EXCLUSION"] : ["IMMUTABLE"];
        if (!enumIs(mutability, ...accepted))
            report(
                `The repository's image tags can be overwritten (imageTagMutability ${mutability === undefined ? "absent: MUTABLE" : String(mutability)}).`,
            );
    },
);

/** Whether an ECR wildcard filter (`*` for any characters) matches a repository name. */
function wildcardMatches(filter: string, name: string): boolean {
    const pattern = filter.split("*").map((part) => part.replace(/[.+?^${}()|[\]\\]/g, "\\$&"));
    return new RegExp(`^${pattern.join(".*")}$`).test(name);
}

/**
 * The repository names a registry scanning configuration scans when images are pushed: rules of
 * frequency SCAN_ON_PUSH or CONTINUOUS_SCAN (ECR API, RegistryScanningRule), by wildcard filter.
 */
function registryScans(configurations: readonly PolicyResource[]): (name: string) => boolean {
    const filters = configurations.flatMap((c) =>
        listOf(rawInputs(c.props).rules)
            .map((r) => objectOf(r) ?? {})
            .filter((r) => enumIs(r.scanFrequency, "SCAN_ON_PUSH", "CONTINUOUS_SCAN"))
            .flatMap((r) => listOf(r.repositoryFilters).flatMap((f) => stringsOf(objectOf(f)?.filter))),
    );
    return (name) => filters.some((f) => wildcardMatches(f, name));
}

export const ecrScanOnPush = stackRule(
    {
        name: "ecr-scan-on-push",
        description:
            "Images pushed to ECR are scanned: the repository sets imageScanningConfiguration.scanOnPush, or a registry scanning configuration of the stack scans it on push or continuously.",
        category: "observability",
        severity: "medium",
        remediation:
            "Set imageScanningConfiguration {scanOnPush: true} on the repository, or add an aws.ecr.RegistryScanningConfiguration with a SCAN_ON_PUSH or CONTINUOUS_SCAN rule whose filter matches it.",
    },
    (resources, report) => {
        const scanned = registryScans(ofTypes(resources, ["aws:ecr/registryScanningConfiguration:RegistryScanningConfiguration"]));
        for (const repository of ofTypes(resources, ["aws:ecr/repository:Repository"])) {
            const inputs = rawInputs(repository.props);
            const onPush = booleanOf(objectOf(inputs.imageScanningConfiguration)?.scanOnPush) === true;
            const name = typeof inputs.name === "string" ? inputs.name : repository.name;
            if (!onPush && !scanned(name)) report(`Repository ${name} does not scan images on push.`, repository.urn);
        }
    },
);

export const evidencePolicies = [logRetention, trailIntegrity, ecrImmutableTags, ecrScanOnPush];
