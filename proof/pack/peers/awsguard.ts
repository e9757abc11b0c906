/**
 * @pulumi/awsguard (npm), Pulumi's own CrossGuard pack for AWS, as a peer of ours: installed apart
 * from the project (proof/pack/peers/awsguard/package.json and its package-lock.json, `npm ci`
 * into that folder's git-ignored node_modules, again only when the lock file changes), so its
 * @pulumi/aws v4 and aws-sdk v2 never enter the project's dependencies; run in a child process
 * (awsguardChild.ts) on each case's resources, with the pack's default config (every policy
 * advisory, schema defaults).
 *
 * awsguard's policies are keyed on @pulumi/aws v4 classes: a policy applies to a resource whose
 * type token equals its class's (`aws:kms/key:Key`), so it applies to our v7 resources only where
 * the token did not change; it has no policy on IAM documents at all. A case none of whose
 * resource types it has a policy for is "not applicable" to it.
 */
import { spawnSync } from "child_process";
import { createHash } from "crypto";
import * as fs from "fs";
import * as path from "path";
import { PROJECT_DIR } from "../../../ops/project";
import { PackCase } from "../cases/types";
import { AWSGUARD_DIR, AwsguardInput, AwsguardOutput } from "./awsguardChild";

export { AWSGUARD_DIR } from "./awsguardChild";
const CHILD = path.join(__dirname, "awsguardChild.ts");
const STAMP = path.join(AWSGUARD_DIR, "node_modules", ".peers-stamp");

export function installAwsguard(log: (line: string) => void = console.log): { installed: boolean; seconds: number } {
    const stamp = createHash("sha256")
        .update(fs.readFileSync(path.join(AWSGUARD_DIR, "package.json")))
        .update(fs.readFileSync(path.join(AWSGUARD_DIR, "package-lock.json")))
        .digest("hex");
    if (fs.existsSync(STAMP) && fs.readFileSync(STAMP, "utf8") === stamp) return { installed: false, seconds: 0 };
    log(`installing @pulumi/awsguard (${path.relative(PROJECT_DIR, AWSGUARD_DIR)}/package-lock.json) with npm ci`);
    const started = Date.now();
    // Install scripts are skipped: @pulumi/aws v4's would fetch its provider plugin, which no policy needs.
    const result = spawnSync("npm", ["ci", "--ignore-scripts", "--no-audit", "--no-fund", "--loglevel=error"], {
        cwd: AWSGUARD_DIR,
        stdio: ["ignore", "inherit", "inherit"],
    });
    if (result.error) throw new Error(`npm: ${result.error.message}`);
    if (result.status !== 0) throw new Error(`npm ci in ${AWSGUARD_DIR} failed (exit ${result.status})`);
    fs.writeFileSync(STAMP, stamp);
    return { installed: true, seconds: (Date.now() - started) / 1000 };
}

/**
 * The type tokens of the project's @pulumi/aws (v7), read from its classes' `__pulumiType`: what
 * an awsguard policy keyed on a v4 token that is not among them can never apply to.
 */
export function projectAwsTypes(awsDir = path.join(PROJECT_DIR, "node_modules", "@pulumi", "aws")): Set<string> {
    const tokens = new Set<string>();
    for (const file of fs.readdirSync(awsDir, { recursive: true, encoding: "utf8" })) {
        if (!file.endsWith(".js") || file.startsWith("node_modules")) continue;
        const text = fs.readFileSync(path.join(awsDir, file), "utf8");
        for (const m of text.matchAll(/__pulumiType = '([^']+)'/g)) tokens.add(m[1]);
    }
    return tokens;
}

export interface AwsguardRun extends AwsguardOutput {
    readonly seconds: number;
}

export function runAwsguard(cases: readonly Pick<PackCase, "id" | "stack" | "resources">[]): AwsguardRun {
    const started = Date.now();
    const input: AwsguardInput = { cases: cases.map((c) => ({ id: c.id, stack: c.stack, resources: c.resources })) };
    const result = spawnSync(process.execPath, ["-r", "ts-node/register/transpile-only", CHILD], {
        cwd: PROJECT_DIR,
        input: JSON.stringify(input),
        encoding: "utf8",
        maxBuffer: 256 * 1024 * 1024,
        stdio: ["pipe", "pipe", "inherit"],
        env: { ...process.env, AWS_SDK_JS_SUPPRESS_MAINTENANCE_MODE_MESSAGE: "1" },
        timeout: 5 * 60 * 1000,
    });
    if (result.error) throw new Error(`awsguard: ${result.error.message}`);
    if (result.status !== 0) throw new Error(`awsguard's runner failed (exit ${result.status})`);
    return { ...(JSON.parse(result.stdout) as AwsguardOutput), seconds: (Date.now() - started) / 1000 };
}
