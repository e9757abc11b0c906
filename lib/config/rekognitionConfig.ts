/**
 * Configuration of Rekognition Custom Labels sharing across accounts: in the research
 * (ML) account, which consumer accounts may call which promoted model versions; in a consumer
 * account, the version its application calls.
 */
import { ConfigReader } from "./reader";
import * as rules from "./rules";
import { ConfigSecret } from "./secret";
import { ProjectStacks, checkStackName } from "./projectStacks";
import { PROJECT, DEFAULT_MODEL_VERSION_PARAMETER, rekognitionAppRoleName } from "../naming";

export interface RekognitionConsumer {
    readonly stack: string;
    readonly accountId: string;
    /** The consumer's application role, the only principal its access role trusts. */
    readonly appRoleName: string;
    /** Model version ARNs the consumer may call (DetectCustomLabels); more than one during a promotion. */
    readonly grantedVersions: readonly string[];
    /** Sensitive: may be a secret, and is kept one in the program. */
    readonly externalId?: ConfigSecret;
    /** Deny calls that do not come through the consumer VPC's rekognition endpoint (read back from its stack). */
    readonly requireVpcEndpoint: boolean;
}

export interface RekognitionShare {
    /** A Rekognition Custom Labels project to declare in the research account, if any. */
    readonly projectName?: string;
    readonly consumers: readonly RekognitionConsumer[];
}

export interface RekognitionClient {
    /** The version the application calls: the SSM parameter's value. */
    readonly activeVersionArn: string;
    readonly parameterName: string;
    /** The service the application runs on, which assumes the application role. */
    readonly appServicePrincipal: string;
    /** Sensitive: may be a secret, and is kept one (it goes only to STS, by the application). */
    readonly externalId?: ConfigSecret;
}

const key = (name: string) => `${PROJECT}:${name}`;
const STACK_NAME = /^[A-Za-z0-9_.-]{1,100}$/;
/** Services whose roles support aws:SourceAccount / aws:SourceArn, so the app role trust can carry them. */
export const APP_SERVICE_PRINCIPALS = ["ecs-tasks.amazonaws.com", "sagemaker.amazonaws.com", "states.amazonaws.com"];

function versionList(reader: ConfigReader, at: string, value: unknown, mlAccountId: string, region: string): string[] {
    const list =
        reader.nonEmptyList(
            at,
            value,
            `a list of model version ARNs of this (ML) account, e.g. ["arn:aws:rekognition:${region || "us-east-1"}:${mlAccountId || "<account>"}:project/<project>/version/<version>/<timestamp>"]`,
            "so the consumer's access role would allow no version, and its application could call none (its activeVersionArn must be granted)",
        ) ?? [];
    return list
        .map((v, i) =>
            reader.stringValue(
                `${at}[${i}]`,
                v,
                "a model version ARN",
                (arn) =>
                    rules.checkRekognitionVersionArn(arn) ??
                    // Without the ML account (aws:allowedAccountIds refused), only the form is checked.
                    (mlAccountId && rules.accountOfVersionArn(arn) !== mlAccountId
                        ? `"${arn}" belongs to account ${rules.accountOfVersionArn(arn)}, not the ML account ${mlAccountId} (aws:allowedAccountIds of the research stack); expected a version trained in the ML account`
                        : undefined) ??
                    rules.inRegion(
                        region,
                        "the project and its versions are in the ML account's Region, this stack's, where consumers call them",
                    )(arn),
            ),
        )
        .filter((v): v is string => !!v);
}

/** The research stack's `rekognition` setting, or undefined when the stack shares no Rekognition model. */
export function parseRekognitionShare(
    reader: ConfigReader,
    ml: { accountId: string; region: string },
    stacks: ProjectStacks | undefined,
): RekognitionShare | undefined {
    const mlAccountId = ml.accountId;
    const at = key("rekognition");
    const expected =
        "a map {projectName?, consumers: [{stack, accountId, grantedVersions, appRoleName?, externalId?, requireVpcEndpoint?}]}";
    const value = reader.json(at, { expected });
    if (value === undefined) return undefined;
    const fields = reader.map(at, value, ["projectName", "consumers"], expected);
    if (!fields) return undefined;
    const projectName =
        fields.projectName === undefined
            ? undefined
            : reader.stringValue(`${at}.projectName`, fields.projectName, "a project name", rules.checkRekognitionProjectName);
    const consumers = (reader.list(`${at}.consumers`, fields.consumers ?? [], "a list of consumers") ?? []).map(
        (item, i): RekognitionConsumer | undefined => {
            const c = `${at}.consumers[${i}]`;
            const f = reader.map(
                c,
                item,
                ["stack", "accountId", "grantedVersions", "appRoleName", "externalId", "requireVpcEndpoint"],
                "a map {stack, accountId, grantedVersions, appRoleName?, externalId?, requireVpcEndpoint?}",
            );
            if (!f) return undefined;
            const stack = reader.stringValue(`${c}.stack`, f.stack, "the consumer's stack name", (v) =>
                STACK_NAME.test(v) ? undefined : `"${v}" is not a stack name`,
            );
            const accountId = reader.stringValue(`${c}.accountId`, f.accountId, "a 12-digit account ID", rules.checkAccountId);
            if (accountId && accountId === mlAccountId)
                reader.issues.add(
                    `${c}.accountId`,
                    `"${accountId}" is the ML account itself; expected a consumer (QA, production) account`,
                );
            if (stack) checkStackName(reader, `${c}.stack`, stack, stacks, { program: "hosting", accountId, accountKey: `${c}.accountId` });
            const appRoleName =
                f.appRoleName === undefined
                    ? accountId && rekognitionAppRoleName(accountId)
                    : reader.stringValue(`${c}.appRoleName`, f.appRoleName, "a role name", rules.checkRoleName);
            const grantedVersions = versionList(reader, `${c}.grantedVersions`, f.grantedVersions, mlAccountId, ml.region);
            const externalId =
                f.externalId === undefined
                    ? undefined
                    : reader.secret(`${c}.externalId`, f.externalId, "an external ID", rules.checkExternalId);
            const requireVpcEndpoint =
                f.requireVpcEndpoint === undefined ? false : reader.booleanValue(`${c}.requireVpcEndpoint`, f.requireVpcEndpoint);
            if (!stack || !accountId || !appRoleName || requireVpcEndpoint === undefined) return undefined;
            return { stack, accountId, appRoleName, grantedVersions, externalId, requireVpcEndpoint };
        },
    );
    return { projectName, consumers: consumers.filter((c): c is RekognitionConsumer => !!c) };
}

/** A hosting stack's `rekognition` setting, or undefined when it calls no shared Rekognition model. */
export function parseRekognitionClient(reader: ConfigReader, region: string): RekognitionClient | undefined {
    const at = key("rekognition");
    const expected = "a map {activeVersionArn, parameterName?, appServicePrincipal?, externalId?}";
    const value = reader.json(at, { expected });
    if (value === undefined) return undefined;
    const f = reader.map(at, value, ["activeVersionArn", "parameterName", "appServicePrincipal", "externalId"], expected);
    if (!f) return undefined;
    const activeVersionArn = reader.stringValue(
        `${at}.activeVersionArn`,
        f.activeVersionArn,
        "a model version ARN",
        (v) =>
            rules.checkRekognitionVersionArn(v) ??
            rules.inRegion(
                region,
                "the application calls the model through this VPC's rekognition endpoint, which reaches this Region only",
            )(v),
    );
    const parameterName =
        f.parameterName === undefined
            ? DEFAULT_MODEL_VERSION_PARAMETER
            : reader.stringValue(`${at}.parameterName`, f.parameterName, "a parameter name", rules.checkParameterName);
    const appServicePrincipal =
        f.appServicePrincipal === undefined
            ? APP_SERVICE_PRINCIPALS[0]
            : reader.stringValue(`${at}.appServicePrincipal`, f.appServicePrincipal, "a service principal", (v) =>
                  APP_SERVICE_PRINCIPALS.includes(v)
                      ? undefined
                      : `"${v}" is not supported; expected one of ${APP_SERVICE_PRINCIPALS.join(", ")} (services that send aws:SourceAccount)`,
              );
    const externalId =
        f.externalId === undefined ? undefined : reader.secret(`${at}.externalId`, f.externalId, "an external ID", rules.checkExternalId);
    if (!activeVersionArn || !parameterName || !appServicePrincipal) return undefined;
    return { activeVersionArn, parameterName, appServicePrincipal, externalId };
}
