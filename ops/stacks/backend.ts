/**
 * Which Pulumi backend the online commands use, decided once, in the order the CLI itself uses:
 * `--backend`, else PULUMI_BACKEND_URL, else the backend the CLI is logged in to, and only when
 * it is logged in to none, the project's own file backend, said out loud: stacks, operation state
 * and locks kept there are seen by this checkout alone, so another machine would start over.
 */
import * as path from "path";
import { LocalWorkspace } from "@pulumi/pulumi/automation";
import { UsageError, UserError } from "../cli/errors";

/** The last resort: `file://<project>/.pulumi`, which needs no account but is not shared. */
export function projectFileBackend(projectDir: string): string {
    return `file://${path.join(projectDir, ".pulumi")}`;
}

export interface ResolvedBackend {
    readonly url: string;
    readonly source: "--backend" | "PULUMI_BACKEND_URL" | "pulumi login" | "project file backend";
    /** Set when the project's file backend is used: what that means and how to share instead. */
    readonly notice?: string;
}

export interface BackendSources {
    readonly flag?: string;
    readonly env: NodeJS.ProcessEnv;
    readonly projectDir: string;
    /** The CLI's current login (`pulumi whoami --json`), rejecting when it is logged in to none. */
    readonly whoAmI: () => Promise<{ url?: string }>;
}

/**
 * The CLI's answer when it has no login and no terminal to ask for one
 * (pkg/backend/backenderr/backenderr.go MissingEnvVarForNonInteractiveError, returned by
 * pkg/backend/httpstate/backend.go when it would log in to Pulumi Cloud without a token).
 */
const NOT_LOGGED_IN = /must be set for login during non-interactive CLI sessions|not logged in/i;

/**
 * The backend URLs the CLI can use, as it tells them apart (pkg/cmd/pulumi/backend/login_manager.go):
 * a URL whose scheme is one of go-cloud's registered bucket schemes is a diy backend
 * (pkg/backend/diy/backend.go IsDIYBackendURL; the drivers it imports register file, s3, gs and
 * azblob, and pkg/backend/diy/postgres registers postgres); any other string is taken for a Pulumi
 * Cloud URL, which only http(s) can reach: `garbage://x` or `not a url` fail only once the CLI
 * sends its first request, with "unsupported protocol scheme", or, without a token, with a
 * misleading PULUMI_ACCESS_TOKEN error (observed with CLI 3.212.0).
 */
const DIY_SCHEMES = ["file:", "s3:", "gs:", "azblob:", "postgres:"];
const SERVICE_SCHEMES = ["https:", "http:"];

export const BACKEND_FORMS =
    "file://<absolute path> (or file://~/<path>), s3://<bucket>, gs://<bucket>, azblob://<container>, " +
    "postgres://<host>/<database>, or https://<service URL> (Pulumi Cloud: https://api.pulumi.com)";

/** Why `url` is not a backend URL the CLI can use, or undefined when it is. */
export function backendUrlProblem(url: string): string | undefined {
    if (url.trim() === "") return "is empty";
    let parsed: URL;
    try {
        parsed = new URL(url);
    } catch {
        return "is not a URL";
    }
    if (![...DIY_SCHEMES, ...SERVICE_SCHEMES].includes(parsed.protocol))
        return `has a scheme the Pulumi CLI does not take (${parsed.protocol}//)`;
    if (parsed.protocol === "file:") {
        // massageBlobPath (pkg/backend/diy/backend.go) expands ~ and makes a relative path absolute
        // against the folder the CLI runs in: the project's here, wherever the command was started.
        const rest = url.slice("file://".length).split("?")[0];
        if (rest === "~" || rest.startsWith("~/") || rest.startsWith("/")) return undefined;
        return "is not a file URL of an absolute path (file:///path: three slashes)";
    }
    if (parsed.hostname === "") return `names no ${SERVICE_SCHEMES.includes(parsed.protocol) ? "host" : "bucket"}`;
    return undefined;
}

/** Refuses a backend URL the CLI cannot use, naming the accepted forms: a usage error (exit 2). */
export function checkBackendUrl(url: string, source: "--backend" | "PULUMI_BACKEND_URL"): string {
    const problem = backendUrlProblem(url);
    if (problem) throw new UsageError(`${source} ${JSON.stringify(url)} ${problem}; a backend is ${BACKEND_FORMS}`);
    return url;
}

export async function resolveBackend(sources: BackendSources): Promise<ResolvedBackend> {
    // `--backend=` is a flag given empty: refused, not taken as absent.
    if (sources.flag !== undefined) return { url: checkBackendUrl(sources.flag, "--backend"), source: "--backend" };
    // Set but empty, the CLI ignores it (and uses its login): so does this.
    if (sources.env.PULUMI_BACKEND_URL)
        return { url: checkBackendUrl(sources.env.PULUMI_BACKEND_URL, "PULUMI_BACKEND_URL"), source: "PULUMI_BACKEND_URL" };
    let login: { url?: string };
    try {
        // The CLI keeps its current login in $PULUMI_HOME/credentials.json (`current`,
        // sdk/go/common/workspace/creds.go); asking it also honours a project's `backend.url`.
        login = await sources.whoAmI();
    } catch (err) {
        const message = String((err as Error)?.message ?? err);
        // Any other failure (an expired token, no network) must not quietly move state to a local file.
        if (!NOT_LOGGED_IN.test(message)) {
            throw new UserError(
                `Could not ask the Pulumi CLI which backend it is logged in to (pulumi whoami: ${firstLine(message)}). Fix the login, or name the backend with --backend or PULUMI_BACKEND_URL.`,
            );
        }
        login = {};
    }
    if (login.url) return { url: login.url, source: "pulumi login" };
    const url = projectFileBackend(sources.projectDir);
    return {
        url,
        source: "project file backend",
        notice:
            `not logged in to a Pulumi backend: using the project's file backend ${url}, which only this checkout sees ` +
            "(stacks, interrupted promotions and rollouts, rollout history and locks stay on this machine); " +
            "run `pulumi login` (Pulumi Cloud, or e.g. `pulumi login s3://<bucket>`) or pass --backend <url> / PULUMI_BACKEND_URL to share them.",
    };
}

/** The CLI's current login, through the Automation API (`pulumi whoami --json` in the project). */
export async function cliWhoAmI(projectDir: string): Promise<{ url?: string }> {
    const workspace = await LocalWorkspace.create({ workDir: projectDir });
    return workspace.whoAmI();
}

/** Resolves the backend for a command, printing the notice when it falls back to the project's file backend. */
export async function commandBackend(flag: string | undefined, projectDir: string, print: (line: string) => void): Promise<string> {
    const backend = await resolveBackend({ flag, env: process.env, projectDir, whoAmI: () => cliWhoAmI(projectDir) });
    if (backend.notice) print(backend.notice);
    return backend.url;
}

function firstLine(message: string): string {
    return (
        message
            .trim()
            .split("\n")
            .find((l) => /error/i.test(l))
            ?.replace(/^.*?error:\s*/i, "") ?? message.trim().split("\n")[0]
    );
}
