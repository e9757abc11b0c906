/**
 * A place to run the real engine as a user would, and to throw away after: a copy of the project
 * (the files git tracks, node_modules linked), a fresh file backend, a Pulumi home of its own, and
 * PATH with one built CLI, the Node.js language host and the project's plugins first. Plugins on
 * PATH are used before the plugin cache ("ambient", sdk/go/common/workspace/plugins.go), so the
 * engine runs the project's pulumi-resource-aws and pulumi-resource-pulumi-nodejs.
 */
import { execFileSync, spawn } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { PROJECT_DIR } from "../../ops/project";
import { EngineModule, binDir } from "./build";

export const PLUGINS_DIR = path.join(PROJECT_DIR, "proof", "engine", "plugins");
/** The passphrase of the sandbox's stacks: what encrypts their `secure:` values. */
export const PASSPHRASE = "engine-tier-passphrase";

export interface Ran {
    readonly code: number | null;
    readonly stdout: string;
    readonly stderr: string;
    readonly seconds: number;
}

export class Sandbox {
    readonly projectDir: string;
    readonly backendUrl: string;
    readonly env: NodeJS.ProcessEnv;

    constructor(
        readonly root: string,
        readonly cli: EngineModule,
        endpoints: { aws: string; bedrock: string },
    ) {
        this.projectDir = path.join(root, "project");
        this.backendUrl = `file://${path.join(root, "state")}`;
        this.env = {
            // The plugins first: among them the language host (the real 3.68 host, with RunPlugin added,
            // proof/engine/languageHost), which finds the Go host in .engine/ itself.
            PATH: [PLUGINS_DIR, binDir(cli), path.dirname(process.execPath), "/usr/bin", "/bin"].join(":"),
            HOME: path.join(root, "home"),
            PULUMI_HOME: path.join(root, "pulumi-home"),
            // The CLI's own commands find the backend here; the orchestrator is also given --backend.
            PULUMI_BACKEND_URL: this.backendUrl,
            PULUMI_CONFIG_PASSPHRASE: PASSPHRASE,
            PULUMI_SKIP_UPDATE_CHECK: "true",
            PULUMI_DISABLE_AUTOMATIC_PLUGIN_ACQUISITION: "true",
            // The SDK calls of the program (the import job) and of the orchestrator: a local AWS.
            AWS_ACCESS_KEY_ID: "AKIAENGINETIER",
            AWS_SECRET_ACCESS_KEY: "engine-tier-secret",
            AWS_REGION: "us-east-1",
            AWS_ENDPOINT_URL: endpoints.aws,
            AWS_ENDPOINT_URL_BEDROCK: endpoints.bedrock,
            AWS_EC2_METADATA_DISABLED: "true",
            CI: "true",
        };
    }

    /** A fresh sandbox: the project copied, its backend and homes empty. */
    static create(cli: EngineModule, endpoints: { aws: string; bedrock: string }): Sandbox {
        const root = fs.mkdtempSync(path.join(os.tmpdir(), `engine-${cli.version}-`));
        const sandbox = new Sandbox(root, cli, endpoints);
        for (const dir of ["state", "home", "pulumi-home"]) fs.mkdirSync(path.join(root, dir));
        const tracked = execFileSync("git", ["ls-files", "-z"], { cwd: PROJECT_DIR, encoding: "utf8" }).split("\0").filter(Boolean);
        for (const file of tracked) {
            if (!fs.existsSync(path.join(PROJECT_DIR, file))) continue;
            fs.mkdirSync(path.dirname(path.join(sandbox.projectDir, file)), { recursive: true });
            fs.copyFileSync(path.join(PROJECT_DIR, file), path.join(sandbox.projectDir, file));
        }
        fs.symlinkSync(path.join(PROJECT_DIR, "node_modules"), path.join(sandbox.projectDir, "node_modules"));
        return sandbox;
    }

    /** Runs a command in the project copy with the sandbox's environment. */
    run(command: string, args: readonly string[], options: { input?: string; env?: NodeJS.ProcessEnv } = {}): Promise<Ran> {
        const started = Date.now();
        return new Promise((resolve, reject) => {
            const env = { ...this.env, ...options.env };
            const child = spawn(command, args, { cwd: this.projectDir, env, stdio: ["pipe", "pipe", "pipe"] });
            let stdout = "";
            let stderr = "";
            child.stdout.on("data", (d) => (stdout += d));
            child.stderr.on("data", (d) => (stderr += d));
            child.on("error", reject);
            child.on("close", (code) => resolve({ code, stdout, stderr, seconds: (Date.now() - started) / 1000 }));
            child.stdin.end(options.input ?? "");
        });
    }

    /** The built CLI itself. */
    pulumi(...args: string[]): Promise<Ran> {
        return this.run("pulumi", args);
    }

    /** `npm run env -- …` as a user runs it, against the sandbox's backend. */
    envCommand(...args: string[]): Promise<Ran> {
        return this.script("env.ts", [...args, "--backend", this.backendUrl]);
    }

    /** One of the project's commands (`scripts/<name>`), run as `npm run` runs it. */
    script(name: string, args: readonly string[], env: NodeJS.ProcessEnv = {}): Promise<Ran> {
        const tsNode = path.join(this.projectDir, "node_modules", "ts-node", "dist", "bin.js");
        return this.run(process.execPath, [tsNode, "--transpile-only", path.join("scripts", name), ...args], { env });
    }

    /** A stack file of the copy, to change a stack's configuration as a user would. */
    stackFile(stack: string): string {
        return path.join(this.projectDir, `Pulumi.${stack}.yaml`);
    }

    remove(): void {
        fs.rmSync(this.root, { recursive: true, force: true });
    }
}
