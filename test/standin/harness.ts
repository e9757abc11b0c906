/**
 * Puts the stand-in `pulumi` (bin/pulumi) first on PATH for a test, with a scenario, a file
 * backend and checkouts of the project's Pulumi.yaml and stack files in temporary folders, so the
 * real Automation API code path runs and what it sends can be asserted on.
 */
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { PROJECT_DIR } from "../../ops/project";
import { standInPort } from "./rootHooks";

export interface ScenarioResource {
    readonly name: string;
    readonly type: string;
    readonly protect?: boolean;
    readonly dependsOn?: readonly string[];
    readonly custom?: boolean;
}

export interface ScenarioPolicy {
    readonly policyName: string;
    readonly enforcementLevel: "advisory" | "mandatory" | "remediate";
    readonly message: string;
    /** A resource rule's resource; without it, a stack rule. */
    readonly resource?: string;
}

export interface ScenarioStack {
    readonly resources: readonly ScenarioResource[];
    readonly changed?: readonly string[];
    readonly replaced?: readonly string[];
    readonly outputs?: Record<string, unknown>;
    readonly policy?: readonly ScenarioPolicy[];
    readonly diagnostics?: readonly { severity: string; message: string; resource?: string }[];
    readonly failUp?: string;
}

export type Scenario = Record<string, ScenarioStack>;

/** One invocation of the stand-in, as recorded. */
export interface Invocation {
    readonly args: readonly string[];
    readonly cwd: string;
    readonly backend?: string;
    readonly passphrase: boolean;
}

export interface StandIn {
    readonly root: string;
    readonly backendUrl: string;
    /** A fresh copy of the project's Pulumi.yaml and stack files: one checkout. */
    checkout(name: string): string;
    setScenario(scenario: Scenario): void;
    /**
     * Takes the write permission off the backend's folder (chmod a-w), as an operator with read
     * access only has it: the stand-in then fails every write with the real CLI's text.
     */
    readOnlyBackend(): void;
    invocations(): Invocation[];
    /** The commands sent, as `<command> <stack>` (e.g. "preview dev", "stack init dev"), in order. */
    commands(): string[];
    restore(): void;
}

const BIN = path.join(__dirname, "bin");

/** Sets up the stand-in; call `restore()` after the test (PATH and the variables it set). */
export function standIn(scenario: Scenario = {}): StandIn {
    const root = fs.mkdtempSync(path.join(os.tmpdir(), "standin-"));
    const record = path.join(root, "record.jsonl");
    const scenarioFile = path.join(root, "scenario.json");
    const saved = {
        PATH: process.env.PATH,
        STANDIN_RECORD: process.env.STANDIN_RECORD,
        STANDIN_SCENARIO: process.env.STANDIN_SCENARIO,
        STANDIN_PORT: process.env.STANDIN_PORT,
        PULUMI_HOME: process.env.PULUMI_HOME,
        PULUMI_CONFIG_PASSPHRASE: process.env.PULUMI_CONFIG_PASSPHRASE,
        PULUMI_BACKEND_URL: process.env.PULUMI_BACKEND_URL,
    };
    process.env.PATH = `${BIN}${path.delimiter}${process.env.PATH}`;
    // Served from this process when the root hooks run a server; else each call starts Node.
    const port = standInPort();
    if (port) process.env.STANDIN_PORT = String(port);
    process.env.STANDIN_RECORD = record;
    process.env.STANDIN_SCENARIO = scenarioFile;
    // No login of the machine running the tests leaks in.
    process.env.PULUMI_HOME = path.join(root, "home");
    process.env.PULUMI_CONFIG_PASSPHRASE = "test";
    delete process.env.PULUMI_BACKEND_URL;
    const setScenario = (s: Scenario) => fs.writeFileSync(scenarioFile, JSON.stringify({ stacks: s }));
    setScenario(scenario);
    const invocations = (): Invocation[] =>
        fs.existsSync(record)
            ? fs
                  .readFileSync(record, "utf8")
                  .trim()
                  .split("\n")
                  .map((l) => JSON.parse(l))
            : [];
    const backendDir = path.join(root, "backend");
    return {
        root,
        backendUrl: `file://${backendDir}`,
        checkout(name) {
            const dir = path.join(root, name);
            fs.mkdirSync(dir, { recursive: true });
            for (const file of fs.readdirSync(PROJECT_DIR).filter((f) => /^Pulumi(\..+)?\.yaml$/.test(f)))
                fs.copyFileSync(path.join(PROJECT_DIR, file), path.join(dir, file));
            return dir;
        },
        setScenario,
        readOnlyBackend() {
            fs.mkdirSync(backendDir, { recursive: true });
            fs.chmodSync(backendDir, 0o555);
        },
        invocations,
        commands: () =>
            invocations()
                .map(commandOf)
                .filter((c): c is string => c !== undefined),
        restore() {
            for (const [key, value] of Object.entries(saved)) {
                if (value === undefined) delete process.env[key];
                else process.env[key] = value;
            }
            if (fs.existsSync(backendDir)) fs.chmodSync(backendDir, 0o755);
            fs.rmSync(root, { recursive: true, force: true });
        },
    };
}

/** A stand-in for each test of the calling `describe` (mocha hooks), restored after it. */
export function eachTestStandIn(scenario: Scenario = {}): () => StandIn {
    let cli: StandIn | undefined;
    beforeEach(() => (cli = standIn(scenario)));
    afterEach(() => cli?.restore());
    return () => cli!;
}

/** `preview dev`, `stack init dev`, `destroy dev --exclude-protected`: what a test asserts on. */
function commandOf(invocation: Invocation): string | undefined {
    const args = [...invocation.args];
    const stackAt = args.indexOf("--stack");
    const stack = stackAt >= 0 ? args[stackAt + 1] : undefined;
    const words = args.filter(
        (a, i) =>
            !a.startsWith("-") &&
            !(
                i > 0 &&
                ["--stack", "--event-log", "--exec-kind", "--policy-pack", "--policy-pack-config", "--page-size", "--page"].includes(
                    args[i - 1],
                )
            ),
    );
    if (words[0] === "version") return undefined;
    const notable = ["--preview-only", "--skip-preview", "--exclude-protected"].filter((flag) => args.includes(flag));
    const packs = args.filter((_, i) => args[i - 1] === "--policy-pack").length;
    const name =
        words[0] === "stack" && words[1] === "init"
            ? ["stack", "init", words[2]]
            : [...words.slice(0, words[0] === "stack" || words[0] === "config" ? 2 : 1), stack];
    return [...name, ...notable, ...(packs ? ["+pack"] : [])].filter(Boolean).join(" ");
}
