/*
 * The stand-in `pulumi` CLI (see bin/pulumi). Plain JavaScript so each invocation starts in
 * milliseconds. What it models, and where the real behaviour is defined (pulumi/pulumi):
 *
 * - `version`: prints STANDIN_VERSION (default v3.212.0, the oldest CLI this project supports,
 *   ops/stacks/prerequisites.ts). Other behaviours follow the version printed, as the real CLI's:
 * - Engine events: up to 3.205.0 the Automation API tails an `--event-log` file; above it, it
 *   passes `--event-log tcp://127.0.0.1:<port>` and serves pulumirpc.Events, to which the CLI
 *   streams each event as JSON and closes the stream before it exits (sdk/nodejs/automation/
 *   stack.ts setupEventLog, pkg/backend/display/display.go startEventLogger). The stand-in does
 *   both, by the version it prints.
 * - The backend: PULUMI_BACKEND_URL, else the `current` login in $PULUMI_HOME/credentials.json
 *   (sdk/go/common/workspace/creds.go); only file:// URLs hold state here. Without either, the
 *   CLI's non-interactive login error.
 * - Stacks: `stack select` fails with "no stack named '<s>' found" for a stack never created
 *   (the text the Automation API's createOrSelect matches, sdk/nodejs/automation/errors.ts),
 *   `stack init` creates it, with tags, outputs, history and an export of its resources.
 * - Stack tags of the file (diy) backend, by version: before 3.211.0 `stack tag set` and `rm` fail
 *   with "stack tags not supported in diy mode" and `stack tag ls --json` prints null
 *   (pkg/backend/diy/backend.go UpdateStackTags, diyStack.Tags returning nil, v3.210.0); from
 *   3.211.0 they are kept (pkg/backend/diy/stack_tags.go; names up to 40 characters, values up
 *   to 256, pkg/util/validation/stack.go); before 3.249.0 removing a stack's last tag succeeds and
 *   leaves it (saveStackTags skips writing an empty tag set, "if len(tags) == 0 { return nil }"
 *   in v3.212.0 and v3.248.0; pulumi/pulumi#23702).
 * - A backend folder without write permission (chmod a-w, as the harness's readOnlyBackend does):
 *   what writes to it fails with the real CLI's text, observed with CLI 3.212.0 run by a user who
 *   may not write the folder (the stand-in checks the mode bits, so root sees it too): `stack init`
 *   and every update, destroy and refresh write the stack's lock file first
 *   (pkg/backend/diy/lock.go Lock), `stack tag set`/`rm` the `.pulumi-tags` file
 *   (stack_tags.go saveStackTags); a preview writes nothing.
 * - Config lives in Pulumi.<stack>.yaml in the working directory, as for the CLI; `--path` values
 *   "true"/"false" and base-10 integers are coerced (sdk/go/common/resource/config/object.go).
 * - preview/up/destroy/refresh write engine events (one JSON per line) to `--event-log` and end
 *   with a summary and a cancel event. `up --skip-preview` applies the steps first and reports
 *   stack-policy (AnalyzeStack) violations after them, failing the update
 *   (pkg/resource/deploy/step_generator.go); a resource-policy violation stops that resource's
 *   step. A mandatory violation fails a preview too.
 * - Protection: deleting a protected resource fails with the engine's message
 *   (pkg/resource/deploy/step.go deleteProtectedError), in a preview too; replacing one fails
 *   (step_generator.go "unable to replace resource"); `destroy --exclude-protected` leaves each
 *   protected resource and everything it depends on (pkg/cmd/pulumi/operations/destroy.go
 *   getProtectedExcludes) and says how many are left.
 * - destroy --exclude-protected with nothing but protected resources prints the CLI's sentence and
 *   returns before the engine runs: no engine event, no history entry (destroy.go).
 * - Errors go to stderr prefixed "error: " with exit code 255, as the CLI does.
 *
 * The scenario (STANDIN_SCENARIO, a JSON file) says per stack what its program declares:
 *   { "stacks": { "<stack>": { "resources": [{ "name", "type", "protect"?, "dependsOn"?: [names],
 *     "custom"? }], "changed"?: [names], "replaced"?: [names], "outputs"?: {},
 *     "policy"?: [{ "policyName", "enforcementLevel", "message", "resource"? }],
 *     "diagnostics"?: [{ "severity", "message", "resource"? }], "failUp"?: "message" } } }
 * Every invocation is appended to STANDIN_RECORD (JSON lines: args, cwd, backend, passphrase set).
 */
"use strict";
const fs = require("fs");
const os = require("os");
const path = require("path");
const yaml = require("js-yaml");

class CliError extends Error {}

/** The invocation being answered: its working directory, environment and output. */
let ctx;

/**
 * Answers one invocation: `{ argv, cwd, env }` in, `{ code, stdout, stderr }` out. Synchronous,
 * so invocations served by one process (see serve.js) never interleave.
 */
function invoke({ argv, cwd, env }) {
    ctx = { cwd, env, stdout: "", stderr: "", code: 0, events: undefined };
    try {
        const { positionals, flags } = parse(argv);
        record(argv);
        const out = run(positionals, flags);
        if (out !== undefined) ctx.stdout += typeof out === "string" ? out : `${JSON.stringify(out, null, 4)}\n`;
    } catch (err) {
        if (!(err instanceof CliError)) throw err;
        ctx.stderr += `error: ${err.message}\n`;
        ctx.code = 255;
    }
    return { code: ctx.code, stdout: ctx.stdout, stderr: ctx.stderr, events: ctx.events };
}

/**
 * Streams the events of an invocation to the Automation API's pulumirpc.Events server, as the CLI
 * does above 3.205.0 (pkg/backend/display/display.go startEventLogger: one EventRequest per event,
 * then CloseAndRecv before the process exits). Resolves once the server acknowledged the stream.
 */
function streamEvents(events) {
    if (!events) return Promise.resolve();
    /* eslint-disable @typescript-eslint/no-require-imports */
    const grpc = require("@grpc/grpc-js");
    const { EventsService } = require("@pulumi/pulumi/proto/events_grpc_pb");
    const { EventRequest } = require("@pulumi/pulumi/proto/events_pb");
    /* eslint-enable @typescript-eslint/no-require-imports */
    const Client = grpc.makeGenericClientConstructor(EventsService, "Events");
    const client = new Client(events.address, grpc.credentials.createInsecure());
    return new Promise((resolve, reject) => {
        const call = client.streamEvents((err) => {
            client.close();
            if (err) reject(err);
            else resolve();
        });
        for (const event of events.sent) {
            const request = new EventRequest();
            request.setEvent(JSON.stringify(event));
            call.write(request);
        }
        call.end();
    });
}

/** As a process of its own (bin/pulumi without a server). */
async function main(argv) {
    const result = invoke({ argv, cwd: process.cwd(), env: process.env });
    await streamEvents(result.events);
    process.stdout.write(result.stdout);
    process.stderr.write(result.stderr);
    process.exitCode = result.code;
}

/** The version the stand-in plays, as [major, minor, patch]. */
function version() {
    return (ctx.env.STANDIN_VERSION || "v3.212.0").replace(/^v/, "").split(/[.-]/).slice(0, 3).map(Number);
}

/** Whether the version played is older than `other` ("3.211.0"). */
function olderThan(other) {
    const mine = version();
    const theirs = other.split(".").map(Number);
    for (let i = 0; i < 3; i++) if (mine[i] !== theirs[i]) return mine[i] < theirs[i];
    return false;
}

/** Flags that take a value; every other `--flag` is a boolean (the CLI's own flag definitions). */
const VALUED = new Set([
    "stack",
    "s",
    "event-log",
    "policy-pack",
    "policy-pack-config",
    "secrets-provider",
    "exec-kind",
    "exec-agent",
    "message",
    "m",
    "page-size",
    "page",
    "parallel",
    "exclude",
    "target",
    "client",
    "file",
]);

function parse(argv) {
    const positionals = [];
    const flags = {};
    for (let i = 0; i < argv.length; i++) {
        const arg = argv[i];
        if (arg === "--") {
            positionals.push(...argv.slice(i + 1));
            break;
        }
        const match = /^--?([^=]+)(?:=(.*))?$/.exec(arg);
        if (!match) {
            positionals.push(arg);
            continue;
        }
        const [, name, inline] = match;
        const value = inline !== undefined ? inline : VALUED.has(name) ? argv[++i] : true;
        flags[name] = flags[name] === undefined ? value : [].concat(flags[name], value);
    }
    return { positionals, flags };
}

function record(argv) {
    const file = ctx.env.STANDIN_RECORD;
    if (!file) return;
    const entry = {
        args: argv,
        cwd: ctx.cwd,
        backend: ctx.env.PULUMI_BACKEND_URL,
        passphrase: ctx.env.PULUMI_CONFIG_PASSPHRASE !== undefined,
    };
    fs.appendFileSync(file, `${JSON.stringify(entry)}\n`);
}

// ---- backend -------------------------------------------------------------------------------

function backendUrl() {
    if (ctx.env.PULUMI_BACKEND_URL) return ctx.env.PULUMI_BACKEND_URL;
    const home = ctx.env.PULUMI_HOME || path.join(os.homedir(), ".pulumi");
    const creds = path.join(home, "credentials.json");
    const current = fs.existsSync(creds) ? JSON.parse(fs.readFileSync(creds, "utf8")).current : undefined;
    if (current) return current;
    throw new CliError("PULUMI_ACCESS_TOKEN must be set for login during non-interactive CLI sessions");
}

function project() {
    return yaml.load(fs.readFileSync(path.join(ctx.cwd, "Pulumi.yaml"), "utf8")).name;
}

function stackFile(stack) {
    const url = backendUrl();
    if (!url.startsWith("file://")) throw new CliError(`the stand-in keeps state only in file:// backends, not ${url}`);
    return path.join(url.slice("file://".length), ".pulumi", "stacks", project(), `${stack}.json`);
}

function loadStack(stack) {
    const file = stackFile(stack);
    if (!fs.existsSync(file)) throw new CliError(`no stack named '${stack}' found`);
    return JSON.parse(fs.readFileSync(file, "utf8"));
}

function saveStack(stack, state) {
    const file = stackFile(stack);
    fs.mkdirSync(path.dirname(file), { recursive: true });
    fs.writeFileSync(file, JSON.stringify(state, null, 2));
}

/** The file backend's folder. */
function backendRoot() {
    return backendUrl().slice("file://".length);
}

/** A backend folder nobody may write to (chmod a-w): the stand-in refuses writes as the OS does a non-root user. */
function readOnly() {
    const root = backendRoot();
    return fs.existsSync(root) && (fs.statSync(root).mode & 0o222) === 0;
}

const hex = (n) => [...Array(n)].map(() => Math.floor(Math.random() * 16).toString(16)).join("");
const uuid = () => `${hex(8)}-${hex(4)}-4${hex(3)}-a${hex(3)}-${hex(12)}`;

/**
 * Refuses a write to a read-only backend with the CLI's text (CLI 3.212.0, observed): gocloud's
 * fileblob writes `<key>.<random>.tmp` and renames it, after a mkdir when the folder is new.
 */
function refuseWrite(key, { mkdir } = {}) {
    if (!readOnly()) return;
    const file = path.join(backendRoot(), key);
    const where = mkdir ? `mkdir ${path.dirname(file)}` : `open ${file}.${hex(16)}.tmp`;
    throw new CliError(`blob (key "${key}") (code=Unknown): ${where}: permission denied`);
}

/** The stack's lock file, written first by `stack init` and every update (pkg/backend/diy/lock.go Lock). */
function lockKey(stack) {
    return `.pulumi/locks/organization/${project()}/${stack}/${uuid()}.json`;
}

function stackName(flags) {
    const name = flags.stack || flags.s;
    if (!name) throw new CliError("no stack selected; pass --stack");
    return name;
}

// ---- commands ------------------------------------------------------------------------------

function run(positionals, flags) {
    const [command, sub, ...rest] = positionals;
    switch (command) {
        case "version":
            return `v${version().join(".")}\n`;
        case "whoami":
            return flags.json ? { user: os.userInfo().username, organizations: [], url: backendUrl() } : `${os.userInfo().username}\n`;
        case "stack":
            return stackCommand(sub, rest, flags);
        case "config":
            return configCommand(sub, rest, flags);
        case "state":
            return stateCommand(sub, flags);
        case "preview":
        case "up":
        case "destroy":
        case "refresh":
            return operation(command, flags);
        default:
            throw new CliError(`the stand-in does not implement "pulumi ${positionals.join(" ")}"`);
    }
}

function stackCommand(sub, rest, flags) {
    switch (sub) {
        case "select":
            loadStack(stackName(flags));
            return undefined;
        case "init": {
            const name = rest[0] || stackName(flags);
            if (fs.existsSync(stackFile(name))) throw new CliError(`stack '${name}' already exists`);
            try {
                refuseWrite(lockKey(name), { mkdir: true });
            } catch (err) {
                throw new CliError(`could not create stack: ${err.message}`);
            }
            saveStack(name, { tags: {}, outputs: {}, resources: [], history: [] });
            return `Created stack '${name}'\n`;
        }
        case "ls": {
            const dir = path.dirname(stackFile("x"));
            const names = fs.existsSync(dir) ? fs.readdirSync(dir).map((f) => f.replace(/\.json$/, "")) : [];
            return names.map((name) => ({ name, current: false, url: backendUrl() }));
        }
        case "tag":
            return tagCommand(rest, flags);
        case "output": {
            const { outputs, secrets = [] } = loadStack(stackName(flags));
            const shown = Object.fromEntries(
                Object.entries(outputs).map(([k, v]) => [k, secrets.includes(k) && !flags["show-secrets"] ? "[secret]" : v]),
            );
            return shown;
        }
        case "history": {
            const history = [...loadStack(stackName(flags)).history].reverse();
            const size = Number(flags["page-size"] || history.length || 1);
            const page = Number(flags.page || 1);
            return history.slice((page - 1) * size, page * size);
        }
        case "export":
            return {
                version: 3,
                deployment: { manifest: { time: new Date().toISOString() }, resources: loadStack(stackName(flags)).resources },
            };
        default:
            throw new CliError(`the stand-in does not implement "pulumi stack ${sub}"`);
    }
}

function tagCommand([action, key, value], flags) {
    const stack = stackName(flags);
    const state = loadStack(stack);
    /** pkg/cmd/pulumi/stack/stack_tag.go: every change writes the whole tag set back (UpdateStackTags). */
    const update = (tags) => {
        if (olderThan("3.211.0")) throw new CliError("stack tags not supported in diy mode");
        // Before 3.249.0 saveStackTags skips an empty tag set: the last tag stays (pulumi/pulumi#23702).
        if (Object.keys(tags).length === 0 && olderThan("3.249.0")) return undefined;
        try {
            refuseWrite(`.pulumi/stacks/${project()}/${stack}.pulumi-tags`);
        } catch (err) {
            throw new CliError(`failed to save stack tags: failed to write stack tags: ${err.message}`);
        }
        state.tags = tags;
        saveStack(stack, state);
        return undefined;
    };
    const tags = olderThan("3.211.0") ? null : state.tags;
    switch (action) {
        case "get":
            if (!tags || !(key in tags)) throw new CliError(`stack tag '${key}' not found for stack '${stack}'`);
            return `${tags[key]}\n`;
        case "set":
            if (!/^[a-zA-Z0-9-_.:]{1,40}$/.test(key))
                throw new CliError(`stack tag "${key}" is invalid (1 to 40 alphanumerics, hyphens, underscores, periods or colons)`);
            if (value.length > 256) throw new CliError(`stack tag "${key}" value is too long (max length 256 characters)`);
            return update({ ...tags, [key]: value });
        case "rm": {
            const rest = { ...tags };
            delete rest[key];
            return update(rest);
        }
        case "ls":
            // `--json` is what the Automation API sends (listTags); null before 3.211.0.
            return tags;
        default:
            throw new CliError(`the stand-in does not implement "pulumi stack tag ${action}"`);
    }
}

// ---- config (Pulumi.<stack>.yaml in the working directory) -----------------------------------

function configFile(stack) {
    return path.join(ctx.cwd, `Pulumi.${stack}.yaml`);
}

function loadConfig(stack) {
    const file = configFile(stack);
    const doc = fs.existsSync(file) ? yaml.load(fs.readFileSync(file, "utf8")) || {} : {};
    doc.config = doc.config || {};
    return doc;
}

/** `key` with the project's namespace when it has none, as the CLI qualifies config keys. */
function qualified(key) {
    return key.includes(":") ? key : `${project()}:${key}`;
}

/** `ns:key.a[0].b` as the top-level key and the path under it. */
function configPath(key, isPath) {
    if (!isPath) return { top: qualified(key), steps: [] };
    const tokens = [...key.matchAll(/\["([^"]+)"\]|\[(\d+)\]|([^.[\]]+)/g)].map((m) =>
        m[2] !== undefined ? Number(m[2]) : (m[1] ?? m[3]),
    );
    return { top: qualified(tokens[0]), steps: tokens.slice(1) };
}

function coerce(value) {
    if (value === "true" || value === "false") return value === "true";
    if (/^(0|[1-9][0-9]*)$/.test(value) && Number.isSafeInteger(Number(value))) return Number(value);
    return value;
}

function configCommand(sub, rest, flags) {
    const stack = stackName(flags);
    const doc = loadConfig(stack);
    const save = () => fs.writeFileSync(configFile(stack), yaml.dump(doc, { lineWidth: -1 }));
    if (sub === undefined) {
        return Object.fromEntries(
            Object.entries(doc.config).map(([k, v]) => [
                k,
                typeof v === "object" ? { value: JSON.stringify(v), objectValue: v, secret: false } : { value: String(v), secret: false },
            ]),
        );
    }
    const { top, steps } = configPath(rest[0], flags.path === true);
    if (sub === "get") {
        let value = doc.config[top];
        for (const step of steps) value = value === undefined ? undefined : value[step];
        if (value === undefined) throw new CliError(`configuration key '${rest[0]}' not found for stack '${stack}'`);
        return value;
    }
    if (sub === "set") {
        if (steps.length === 0) {
            doc.config[top] = rest[1];
        } else {
            doc.config[top] = doc.config[top] ?? (typeof steps[0] === "number" ? [] : {});
            let parent = doc.config[top];
            for (const [i, step] of steps.entries()) {
                if (typeof step === "number" && (!Array.isArray(parent) || step > parent.length))
                    throw new CliError(`${rest[0]}: index ${step} is out of range`);
                if (i === steps.length - 1) parent[step] = coerce(rest[1]);
                else parent = parent[step] = parent[step] ?? (typeof steps[i + 1] === "number" ? [] : {});
            }
        }
        save();
        return undefined;
    }
    if (sub === "rm") {
        if (steps.length === 0) delete doc.config[top];
        else {
            let parent = doc.config[top];
            for (const step of steps.slice(0, -1)) parent = parent?.[step];
            const last = steps[steps.length - 1];
            if (Array.isArray(parent)) parent.splice(last, 1);
            else if (parent) delete parent[last];
        }
        save();
        return undefined;
    }
    throw new CliError(`the stand-in does not implement "pulumi config ${sub}"`);
}

function stateCommand(sub, flags) {
    if (sub !== "unprotect" || flags.all !== true) throw new CliError(`the stand-in implements "pulumi state unprotect --all" only`);
    const stack = stackName(flags);
    const state = loadStack(stack);
    refuseWrite(lockKey(stack));
    state.resources = state.resources.map((r) => ({ ...r, protect: false }));
    saveStack(stack, state);
    return undefined;
}

// ---- operations ----------------------------------------------------------------------------

function scenarioOf(stack) {
    const file = ctx.env.STANDIN_SCENARIO;
    const scenario = file ? JSON.parse(fs.readFileSync(file, "utf8")) : { stacks: {} };
    return scenario.stacks[stack] || { resources: [] };
}

function urnOf(stack, type, name) {
    return `urn:pulumi:${stack}::${project()}::${type}::${name}`;
}

/** The program's resources as state entries, dependencies as URNs. */
function declared(stack, scenario) {
    const byName = new Map(scenario.resources.map((r) => [r.name, r]));
    return scenario.resources.map((r) => ({
        urn: urnOf(stack, r.type, r.name),
        type: r.type,
        custom: r.custom !== false,
        protect: r.protect === true,
        dependencies: (r.dependsOn || []).map((d) => urnOf(stack, byName.get(d).type, d)),
    }));
}

/** Each protected resource and everything it depends on, transitively (getProtectedExcludes). */
function protectedClosure(resources) {
    const byUrn = new Map(resources.map((r) => [r.urn, r]));
    const kept = new Set();
    const visit = (urn) => {
        if (kept.has(urn) || !byUrn.has(urn)) return;
        kept.add(urn);
        byUrn.get(urn).dependencies.forEach(visit);
    };
    resources.filter((r) => r.protect).forEach((r) => visit(r.urn));
    return kept;
}

function operation(command, flags) {
    const stack = stackName(flags);
    const state = loadStack(stack);
    const scenario = scenarioOf(stack);
    const dryRun = command === "preview" || flags["preview-only"] === true;
    // An update, destroy or refresh locks the stack before the engine runs; a preview does not.
    if (!dryRun) refuseWrite(lockKey(stack));
    const events = eventWriter(flags["event-log"]);
    const errors = [];
    const counts = {};
    const step = (op, resource, old) => {
        counts[op] = (counts[op] || 0) + 1;
        const metadata = {
            op,
            urn: resource.urn,
            type: resource.type,
            old: old && { ...old, inputs: {}, outputs: {} },
            new: op === "delete" ? undefined : { ...resource, inputs: {}, outputs: {} },
            provider: "",
        };
        events.emit({ resourcePreEvent: { metadata, planning: dryRun } });
        return metadata;
    };
    events.emit({ preludeEvent: { config: {} } });

    let next = state.resources;
    let outputs = state.outputs;
    if (command === "destroy") {
        const excluded = flags["exclude-protected"] === true ? protectedClosure(state.resources) : new Set();
        // destroy.go: with nothing but protected resources, the command returns before the engine
        // runs, so there is no engine event and no history entry (the Automation API's destroy()
        // then reports the stack's previous operation as its summary).
        if (excluded.size > 0 && excluded.size === state.resources.length) {
            return `There were no unprotected resources to destroy. There are still ${excluded.size} protected resources associated with this stack.\n`;
        }
        next = state.resources.filter((r) => excluded.has(r.urn));
        for (const resource of [...state.resources].reverse().filter((r) => !excluded.has(r.urn))) {
            step("delete", resource, resource);
            if (resource.protect) errors.push(deleteProtected(resource.urn));
        }
        if (errors.length === 0 && !dryRun) outputs = {};
        if (errors.length > 0) next = state.resources;
    } else if (command === "refresh") {
        state.resources.forEach((r) => step("same", r, r));
    } else {
        const wanted = declared(stack, scenario);
        const previous = new Map(state.resources.map((r) => [r.urn, r]));
        const refusedBy = new Map(
            (scenario.policy || [])
                .filter((p) => p.resource)
                .map((p) => [urnOf(stack, scenario.resources.find((r) => r.name === p.resource).type, p.resource), p]),
        );
        next = [];
        for (const resource of wanted) {
            const old = previous.get(resource.urn);
            const name = resource.urn.split("::").pop();
            const violation = refusedBy.get(resource.urn);
            if (violation) events.emit({ policyEvent: policyEvent(violation, resource.urn) });
            if (violation && violation.enforcementLevel === "mandatory") {
                errors.push(`policy violation on ${resource.urn}`);
                if (old) next.push(old);
                continue;
            }
            const op = !old
                ? "create"
                : (scenario.replaced || []).includes(name)
                  ? "replace"
                  : (scenario.changed || []).includes(name)
                    ? "update"
                    : "same";
            if (op === "replace" && old.protect && resource.protect) {
                errors.push(
                    `unable to replace resource "${resource.urn}"\nas it is currently marked for protection. To unprotect the resource, remove the \`protect\` flag from the resource in your Pulumi program and run \`pulumi up\``,
                );
            }
            const metadata = step(op, resource, old);
            if (!dryRun && op !== "same") events.emit({ resOutputsEvent: { metadata, planning: false } });
            next.push(resource);
        }
        for (const old of [...state.resources].reverse().filter((r) => !wanted.some((w) => w.urn === r.urn))) {
            step("delete", old, old);
            if (old.protect) errors.push(deleteProtected(old.urn));
            else if (dryRun) next.push(old);
        }
        for (const d of scenario.diagnostics || []) {
            events.emit({
                diagnosticEvent: {
                    urn: d.resource && urnOf(stack, scenario.resources.find((r) => r.name === d.resource).type, d.resource),
                    message: `${d.message}\n`,
                    color: "raw",
                    severity: d.severity,
                },
            });
        }
        if (command === "up" && scenario.failUp) errors.push(scenario.failUp);
        // Stack policies run after every step (AnalyzeStack at the end of step generation).
        const stackPolicy = (scenario.policy || []).filter((p) => !p.resource);
        stackPolicy.forEach((p) => events.emit({ policyEvent: policyEvent(p) }));
        if (stackPolicy.some((p) => p.enforcementLevel === "mandatory")) errors.push("one or more policy violations were reported");
        if (!dryRun) outputs = scenario.outputs || {};
    }
    for (const message of errors) events.emit({ diagnosticEvent: { message: `${message}\n`, color: "raw", severity: "error" } });
    events.close(counts, dryRun);

    if (!dryRun) {
        // Steps that ran are in state even when the operation fails (the engine saves as it goes);
        // the outputs change only with a successful update.
        state.resources = next;
        if (errors.length === 0) state.outputs = outputs;
        const now = new Date().toISOString();
        state.history.push({
            version: state.history.length + 1,
            kind: command === "up" ? "update" : command,
            startTime: now,
            endTime: now,
            message: "",
            environment: {},
            config: {},
            result: errors.length ? "failed" : "succeeded",
            resourceChanges: counts,
        });
        saveStack(stack, state);
    }
    if (errors.length > 0) {
        // The CLI shows diagnostics on stdout and ends with one error line on stderr.
        ctx.stdout += `Diagnostics:\n${errors.map((e) => `    error: ${e}\n`).join("")}`;
        throw new CliError(`${command === "up" ? "update" : command} failed`);
    }
    return `${command} done\n`;
}

function deleteProtected(urn) {
    return `resource "${urn}" cannot be deleted\nbecause it is protected. To unprotect the resource, either remove the \`protect\` flag from the resource in your Pulumi program and run \`pulumi up\`, or use the command:\n\`pulumi state unprotect '${urn}'\``;
}

function policyEvent(p, urn) {
    return {
        resourceUrn: urn,
        message: p.message,
        color: "raw",
        policyName: p.policyName,
        policyPackName: "cross-account-guard",
        policyPackVersion: "0.1.0",
        policyPackVersionTag: "0.1.0",
        enforcementLevel: p.enforcementLevel,
    };
}

/**
 * Engine events: one JSON document per line in the `--event-log` file, or, for a `tcp://` address,
 * gathered for streaming to the Automation API's events server once the invocation is answered.
 */
function eventWriter(file) {
    let sequence = 0;
    if (file && file.startsWith("tcp://")) ctx.events = { address: file.slice("tcp://".length), sent: [] };
    const emit = (event) => {
        const stamped = { sequence: sequence++, timestamp: Math.floor(Date.now() / 1000), ...event };
        if (ctx.events) ctx.events.sent.push(stamped);
        else if (file) fs.appendFileSync(file, `${JSON.stringify(stamped)}\n`);
    };
    return {
        emit,
        close: (counts, dryRun) => {
            emit({
                summaryEvent: { maybeCorrupt: false, durationSeconds: 0, resourceChanges: counts, policyPacks: {}, isPreview: dryRun },
            });
            emit({ cancelEvent: {} });
        },
    };
}

module.exports = { main, invoke, streamEvents };
