/**
 * Configuration of the deployment identity: the bootstrap program's deployment role (who may
 * assume it), and, in every other stack, the role its AWS provider assumes (`aws:assumeRoles`).
 *
 * One CI identity deploys every account: in each account a bootstrap stack creates a deployment
 * role trusted only by the named CI roles (and, with MFA, named operators); every other stack's
 * provider assumes its account's deployment role, so nobody holds long-lived credentials of the
 * hosting accounts. The pattern is AWS CDK's bootstrap (deploy roles trusted by a CI account) and
 * seed 003's pipeline assuming a role in each target account.
 */
import { ConfigReader } from "./reader";
import { ConfigSecret } from "./secret";
import * as rules from "./rules";
import { ProjectStacks, bootstrapStackOf, stacksOf } from "./projectStacks";
import { stackFileName } from "./errors";
import { PROJECT, arn, deploymentRoleName, partitionOf } from "../naming";

/** The role a stack's AWS provider (and the import job's SDK calls) assume: its account's deployment role. */
export interface AssumedRole {
    readonly roleArn: string;
    /** The session name CloudTrail records; `cross-account-models-<stack>` unless configured. */
    readonly sessionName: string;
    /** Required when the bootstrap stack of the account sets one. */
    readonly externalId?: ConfigSecret;
}

/** Who may assume an account's deployment role (the bootstrap program). */
export interface DeploymentTrust {
    /** Roles of the CI account that run deployments: the pipeline's identity. */
    readonly ciRoleArns: readonly string[];
    /** People's roles that may deploy by hand, only with MFA. */
    readonly operatorArns: readonly string[];
    /** Required of every caller when set (a third party runs the CI). */
    readonly externalId?: ConfigSecret;
    /** Hours a deployment session may last: 1 to 12 (the role's MaxSessionDuration). */
    readonly maxSessionHours: number;
}

const ASSUME_ROLES = "aws:assumeRoles";
const at = (name: string) => `${PROJECT}:${name}`;

/** The program that creates the deployment roles; its stacks run with administrator credentials, once per account. */
export const BOOTSTRAP_PROGRAM = "bootstrap";

/** The session name a stack's provider uses unless its stack file names one. */
export function defaultSessionName(stack: string): string {
    return `${PROJECT}-${stack}`.slice(0, 64);
}

interface Place {
    readonly stack: string;
    readonly accountId: string;
    readonly region: string;
}

/**
 * `aws:assumeRoles` of a stack: one role, its account's deployment role. A bootstrap stack may not
 * assume one (it creates that role; deploying it through the role would let the role rewrite its
 * own permissions). With the project's stacks known, the role must be the one the account's
 * bootstrap stack creates, and carry an external ID when that stack requires one.
 */
export function parseAssumedRole(
    reader: ConfigReader,
    place: Place,
    program: string,
    stacks: ProjectStacks | undefined,
): AssumedRole | undefined {
    const expected = `a list with one map {roleArn, sessionName?, externalId?}: the deployment role of this account, e.g. [{roleArn: "${arn.role(partitionOf(place.region || "us-east-1"), place.accountId || "<account>", deploymentRoleName(place.accountId || "<account>"))}"}]`;
    const value = reader.json(ASSUME_ROLES, { expected });
    if (value === undefined) return undefined;
    if (program === BOOTSTRAP_PROGRAM) {
        reader.issues.add(
            ASSUME_ROLES,
            `is set on a bootstrap stack; expected no role to assume: this stack creates the deployment role and runs once per account with administrator credentials (aws:profile or the environment)`,
        );
        return undefined;
    }
    const list = reader.list(ASSUME_ROLES, value, expected);
    if (!list) return undefined;
    if (list.length !== 1) {
        reader.issues.add(ASSUME_ROLES, `lists ${list.length} roles; expected ${expected} (no chained roles)`);
        return undefined;
    }
    const item = `${ASSUME_ROLES}[0]`;
    const fields = reader.map(item, list[0], ["roleArn", "sessionName", "externalId"], "a map {roleArn, sessionName?, externalId?}");
    if (!fields) return undefined;
    // Without the stack's Region or account (refused), the role is checked for its form only.
    const partition = place.region ? partitionOf(place.region) : "";
    const roleArn = reader.stringValue(
        `${item}.roleArn`,
        fields.roleArn,
        "the deployment role ARN of this stack's account",
        rules.roleOfAccount(partition, place.accountId),
    );
    const sessionName =
        fields.sessionName === undefined
            ? defaultSessionName(place.stack)
            : reader.stringValue(`${item}.sessionName`, fields.sessionName, "a session name", rules.checkSessionName);
    const externalId =
        fields.externalId === undefined
            ? undefined
            : reader.secret(`${item}.externalId`, fields.externalId, "the external ID the deployment role requires", rules.checkExternalId);
    if (roleArn && place.accountId && place.region && stacks)
        checkBootstrapOf(reader, item, { roleArn, externalId: !!externalId }, place, stacks);
    if (!roleArn || !sessionName) return undefined;
    return { roleArn, sessionName, ...(externalId ? { externalId } : {}) };
}

/** The role must be what the account's bootstrap stack creates: a typo would fail at the first AWS call, after the preview. */
function checkBootstrapOf(
    reader: ConfigReader,
    item: string,
    given: { roleArn: string; externalId: boolean },
    place: Place,
    stacks: ProjectStacks,
): void {
    const key = `${item}.roleArn`;
    const { roleArn } = given;
    const bootstrap = bootstrapStackOf(stacks, place.accountId);
    if (!bootstrap) {
        reader.issues.add(
            key,
            `names a deployment role, but no bootstrap stack deploys into account ${place.accountId}; expected a stack file with ${PROJECT}:program: bootstrap and aws:allowedAccountIds: ["${place.accountId}"] (bootstrap stacks: ${stacksOf(stacks, BOOTSTRAP_PROGRAM).join(", ") || "none"})`,
        );
        return;
    }
    const expected = arn.role(partitionOf(place.region), place.accountId, deploymentRoleName(place.accountId));
    if (roleArn !== expected) {
        reader.issues.add(key, `"${roleArn}" is not the deployment role of ${stackFileName(bootstrap)}; expected "${expected}"`);
    }
    if (stacks.get(bootstrap)?.requiresExternalId && !given.externalId) {
        reader.issues.add(
            `${item}.externalId`,
            `is missing, and the deployment role of ${stackFileName(bootstrap)} requires one (${PROJECT}:deployment.externalId); expected the same external ID, as a secret (secure:)`,
        );
    }
}

/** `deployment` of a bootstrap stack: who may assume the account's deployment role. */
export function parseDeploymentTrust(reader: ConfigReader, place: Place): DeploymentTrust | undefined {
    const key = at("deployment");
    const expected = `a map {ciRoleArns, operatorArns?, externalId?, maxSessionHours?}, e.g. {ciRoleArns: ["arn:aws:iam::111122223333:role/ml-platform-ci"]}`;
    const value = reader.json(key, { required: true, expected });
    if (value === undefined) return undefined;
    const fields = reader.map(key, value, ["ciRoleArns", "operatorArns", "externalId", "maxSessionHours"], expected);
    if (!fields) return undefined;
    const roles = (name: string, list: unknown, required: boolean): string[] => {
        const items = reader.list(`${key}.${name}`, list ?? [], "a list of IAM role ARNs") ?? [];
        if (required && list !== undefined && items.length === 0) {
            reader.issues.add(`${key}.${name}`, `is empty; expected at least one role ARN of the account that runs deployments`);
        }
        const arns = items
            .map((a, i) => reader.stringValue(`${key}.${name}[${i}]`, a, "an IAM role ARN", rules.checkRoleArn))
            .filter((a): a is string => !!a);
        reader.distinct(`${key}.${name}`, arns, "role");
        return arns;
    };
    if (fields.ciRoleArns === undefined) reader.issues.add(`${key}.ciRoleArns`, `is required; expected ${expected}`);
    const ciRoleArns = roles("ciRoleArns", fields.ciRoleArns, true);
    const operatorArns = roles("operatorArns", fields.operatorArns, false);
    const externalId =
        fields.externalId === undefined
            ? undefined
            : reader.secret(`${key}.externalId`, fields.externalId, "an external ID", rules.checkExternalId);
    const maxSessionHours =
        fields.maxSessionHours === undefined
            ? 1
            : (reader.integerValue(`${key}.maxSessionHours`, fields.maxSessionHours, { min: 1, max: 12 }) ?? 1);
    if (ciRoleArns.length === 0) return undefined;
    return { ciRoleArns, operatorArns, ...(externalId ? { externalId } : {}), maxSessionHours };
}
