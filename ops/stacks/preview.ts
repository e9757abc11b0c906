/**
 * What a preview says before an update or a destroy: the changes per stack, the replacements and
 * deletions that lose data, and whether the policy pack refuses the stack. The orchestrator shows
 * this and asks before it changes anything; a mandatory violation refuses the stack outright.
 */

/** One planned resource operation other than `same`. */
export interface PlannedStep {
    readonly op: string;
    readonly urn: string;
    readonly type: string;
    /** The resource is protected (in state, or as declared). */
    readonly protect: boolean;
}

export interface PolicyFinding {
    readonly policy: string;
    /** `advisory`, `mandatory` or `remediate`; the engine treats remediate of a stack rule as mandatory. */
    readonly level: string;
    readonly message: string;
    /** The resource a resource rule was about; none for a stack rule. */
    readonly urn?: string;
}

export interface PreviewReport {
    readonly steps: readonly PlannedStep[];
    readonly policy: readonly PolicyFinding[];
    /** Why the preview itself failed (a program error, an error diagnostic, a mandatory violation). */
    readonly error?: string;
    /** For a destroy that leaves protected resources: the protected resources kept. */
    readonly keptProtected?: readonly string[];
    /** And what they depend on, kept with them (ops/stacks/protection.ts). */
    readonly keptDependencies?: readonly string[];
}

/**
 * Resource types whose deletion or replacement loses data or access to it; shown in the preview
 * even when not protected, so nobody confirms such a change without seeing it.
 */
export const DATA_HOLDING_TYPES: Readonly<Record<string, string>> = {
    "aws:s3/bucket:Bucket": "model artifacts or logs",
    "aws:s3/bucketV2:BucketV2": "model artifacts or logs",
    "aws:kms/key:Key": "a key: what it encrypted becomes unreadable once it is deleted",
    "aws:rekognition/project:Project": "trained Rekognition model versions",
    "aws:sagemaker/modelPackageGroup:ModelPackageGroup": "registered SageMaker model versions",
    "aws:cloudwatch/logGroup:LogGroup": "audit logs",
    "aws:ecr/repository:Repository": "container images",
    "pulumi-nodejs:dynamic/bedrock:ModelImportJob": "an imported Bedrock model",
};

const COUNTED = ["create", "update", "replace", "delete"] as const;

const resourceName = (urn: string) => urn.split("::").pop() ?? urn;

/** Counts of creates, updates, replacements and deletions (`create-replacement`/`delete-replaced` are parts of a replace). */
export function changeCounts(report: PreviewReport): Record<(typeof COUNTED)[number], number> {
    const counts = { create: 0, update: 0, replace: 0, delete: 0 };
    for (const step of report.steps) if ((COUNTED as readonly string[]).includes(step.op)) counts[step.op as keyof typeof counts]++;
    return counts;
}

export function hasChanges(report: PreviewReport): boolean {
    return Object.values(changeCounts(report)).some((n) => n > 0);
}

/** Replacements and deletions of protected or data-holding resources, one line each. */
export function dataAtRisk(report: PreviewReport): string[] {
    return report.steps
        .filter((s) => s.op === "replace" || s.op === "delete")
        .filter((s) => s.protect || s.type in DATA_HOLDING_TYPES)
        .map(
            (s) =>
                `${s.op === "replace" ? "REPLACES" : "DELETES"} ${resourceName(s.urn)} (${s.type}${s.protect ? ", protected" : ""}${s.type in DATA_HOLDING_TYPES ? `: ${DATA_HOLDING_TYPES[s.type]}` : ""})`,
        );
}

/** Why the stack may not be changed, or undefined: a failed preview or any mandatory violation, resource or stack rule. */
export function refusal(report: PreviewReport): string | undefined {
    const mandatory = report.policy.filter((p) => p.level === "mandatory" || (p.level === "remediate" && !p.urn));
    if (mandatory.length > 0) {
        return `refused: ${mandatory.length} mandatory policy violation(s) in the preview, nothing changed: ${mandatory.map((p) => `${p.policy}${p.urn ? ` (${resourceName(p.urn)})` : " (stack)"}: ${p.message}`).join("; ")}`;
    }
    if (report.error) return `refused: the preview failed, nothing changed: ${report.error}`;
    return undefined;
}

/** The lines shown for one stack's preview. */
export function previewSummary(stack: string, report: PreviewReport): string[] {
    const counts = changeCounts(report);
    const changes =
        COUNTED.filter((op) => counts[op] > 0)
            .map((op) => `${counts[op]} to ${op}`)
            .join(", ") || "no changes";
    const advisory = report.policy.filter((p) => p.level === "advisory");
    return [
        `${stack}: ${changes}${report.keptProtected?.length ? `; keeps ${report.keptProtected.length} protected resource(s)` : ""}`,
        ...dataAtRisk(report).map((line) => `  ! ${line}`),
        ...advisory.map((p) => `  advisory ${p.policy}${p.urn ? ` (${resourceName(p.urn)})` : ""}: ${p.message}`),
        ...(refusal(report) ? [`  ${refusal(report)}`] : []),
    ];
}

/** After a destroy that left protected resources: what is left and how to delete it on purpose. */
export function protectedLeft(stack: string, report: Pick<PreviewReport, "keptProtected" | "keptDependencies">): string[] {
    const kept = report.keptProtected ?? [];
    if (kept.length === 0) return [];
    // The stack itself and its providers are always kept with them; not worth naming.
    const named = (report.keptDependencies ?? []).filter((urn) => !/::pulumi:(pulumi:Stack|providers:[^:]+)::/.test(urn));
    return [
        `${stack} keeps ${kept.length} protected resource(s): ${kept.map(resourceName).join(", ")}` +
            (named.length > 0 ? `; and ${named.length} they depend on: ${named.map(resourceName).join(", ")}.` : "."),
        `  To delete them on purpose: npm run env -- destroy ${stack} --include-protected`,
        `  (or one at a time: pulumi state unprotect '<urn>' -s ${stack}, then pulumi destroy -s ${stack})`,
    ];
}
