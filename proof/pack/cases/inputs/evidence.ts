/**
 * Evidence that can be switched off: log groups that expire too soon, trails that stop logging,
 * skip validation or watch one region, repositories whose tags can be overwritten or whose
 * images are never scanned, however spelt ("90", "false", lower case, a registry rule for other
 * repositories). Look-alikes: logs kept forever, trails and repositories configured with strings,
 * a registry scanning rule that covers the repository.
 */
import { DEV, PackCase } from "../types";
import { DEV_KEY, acceptable, inDev, insecure } from "./build";

const RETENTION = "logs-retention-minimum";
const TRAIL = "cloudtrail-trail-integrity";
const IMMUTABLE = "ecr-immutable-tags";
const SCAN = "ecr-scan-on-push";
const bad = (rule: string, id: string, why: string, resources: PackCase["resources"], config?: PackCase["config"]) =>
    insecure("evidence", rule, id, why, resources, config);
const fine = (id: string, why: string, resources: PackCase["resources"], config?: PackCase["config"]) =>
    acceptable("evidence", id, why, resources, config);

const logGroup = (props: Record<string, unknown>) =>
    inDev("aws:cloudwatch/logGroup:LogGroup", "endpoint-logs", { name: "/aws/sagemaker/Endpoints/models", kmsKeyId: DEV_KEY, ...props });
const trail = (props: Record<string, unknown>) =>
    inDev("aws:cloudtrail/trail:Trail", "trail", {
        name: "organization-trail",
        s3BucketName: `cloudtrail-${DEV}`,
        kmsKeyId: DEV_KEY,
        ...props,
    });
const COMPLETE_TRAIL = { enableLogFileValidation: true, isMultiRegionTrail: true };
const repository = (props: Record<string, unknown>) => inDev("aws:ecr/repository:Repository", "repo", { name: "model-serving", ...props });
const SCANNED = { imageScanningConfiguration: { scanOnPush: true } };
const registryScanning = (scanType: string, scanFrequency: string, filter: string) =>
    inDev("aws:ecr/registryScanningConfiguration:RegistryScanningConfiguration", "registry-scanning", {
        scanType,
        rules: [{ scanFrequency, repositoryFilters: [{ filter, filterType: "WILDCARD" }] }],
    });

export const evidenceCases: readonly PackCase[] = [
    bad(RETENTION, "evidence-log-retention-30-days", "A log group that drops events after 30 days, before most investigations start.", [
        logGroup({ retentionInDays: 30 }),
    ]),
    bad(RETENTION, "evidence-log-retention-string", 'Retention given as the string "90".', [logGroup({ retentionInDays: "90" })]),
    bad(
        RETENTION,
        "evidence-log-retention-below-configured-minimum",
        "A year's retention where the team requires two (minimumRetentionDays 731).",
        [logGroup({ retentionInDays: 365 })],
        { [RETENTION]: { minimumRetentionDays: 731 } },
    ),
    bad(TRAIL, "evidence-trail-logging-off-string", 'A complete trail switched off with enableLogging "false".', [
        trail({ ...COMPLETE_TRAIL, enableLogging: "false" }),
    ]),
    bad(TRAIL, "evidence-trail-provider-defaults", "A trail with the provider's defaults: no log file validation, one region.", [
        trail({}),
    ]),
    bad(TRAIL, "evidence-trail-validation-false-string", 'A multi-region trail with enableLogFileValidation "False".', [
        trail({ isMultiRegionTrail: true, enableLogFileValidation: "False" }),
    ]),
    bad(IMMUTABLE, "evidence-ecr-mutable-by-default", "A repository without imageTagMutability: AWS's default, MUTABLE.", [
        repository(SCANNED),
    ]),
    bad(IMMUTABLE, "evidence-ecr-mutable-lower-case", 'imageTagMutability "mutable".', [
        repository({ ...SCANNED, imageTagMutability: "mutable" }),
    ]),
    bad(IMMUTABLE, "evidence-ecr-immutable-with-exclusion", "IMMUTABLE_WITH_EXCLUSION keeps the excluded tags (latest) overwritable.", [
        repository({
            ...SCANNED,
            imageTagMutability: "IMMUTABLE_WITH_EXCLUSION",
            imageTagMutabilityExclusionFilters: [{ filter: "latest*", filterType: "WILDCARD" }],
        }),
    ]),
    bad(SCAN, "evidence-ecr-not-scanned", "An immutable repository that never scans what is pushed.", [
        repository({ imageTagMutability: "IMMUTABLE" }),
    ]),
    bad(SCAN, "evidence-ecr-scan-false-string", 'scanOnPush "false".', [
        repository({ imageTagMutability: "IMMUTABLE", imageScanningConfiguration: { scanOnPush: "false" } }),
    ]),
    bad(SCAN, "evidence-ecr-registry-rule-other-repositories", "The registry scans prod-* on push; this repository is model-serving.", [
        repository({ imageTagMutability: "IMMUTABLE" }),
        registryScanning("BASIC", "SCAN_ON_PUSH", "prod-*"),
    ]),
    bad(SCAN, "evidence-ecr-registry-manual", "The registry rule covers every repository, but only for manual scans.", [
        repository({ imageTagMutability: "IMMUTABLE" }),
        registryScanning("BASIC", "MANUAL", "*"),
    ]),

    fine("evidence-log-kept-forever", "A log group without retention keeps its events forever.", [logGroup({})]),
    fine("evidence-log-retention-ten-years-string", 'Retention "3653" days, as a string.', [logGroup({ retentionInDays: "3653" })]),
    fine("evidence-log-retention-zero", "Retention 0: no retention policy, events never expire.", [logGroup({ retentionInDays: 0 })]),
    fine("evidence-trail-complete-strings", 'A trail with validation "true" and multi-region "TRUE", logging by default.', [
        trail({ enableLogFileValidation: "true", isMultiRegionTrail: "TRUE" }),
    ]),
    fine("evidence-ecr-immutable-lower-case-scan-string", 'imageTagMutability "immutable" and scanOnPush "true".', [
        repository({ imageTagMutability: "immutable", imageScanningConfiguration: { scanOnPush: "true" } }),
    ]),
    fine(
        "evidence-ecr-registry-scans-continuously",
        "The repository sets no scanOnPush; the registry's enhanced scanning covers model-* continuously.",
        [repository({ imageTagMutability: "IMMUTABLE" }), registryScanning("ENHANCED", "CONTINUOUS_SCAN", "model-*")],
    ),
    fine(
        "evidence-ecr-exclusion-allowed",
        "IMMUTABLE_WITH_EXCLUSION where the team deploys by digest and allows exclusion filters (allowExclusionFilters).",
        [repository({ ...SCANNED, imageTagMutability: "IMMUTABLE_WITH_EXCLUSION" })],
        { [IMMUTABLE]: { allowExclusionFilters: true } },
    ),
];
