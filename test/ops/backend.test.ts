/**
 * Which backend the online commands use: --backend, else PULUMI_BACKEND_URL, else the CLI's
 * current login (`pulumi whoami --json` url; the login is `current` in
 * $PULUMI_HOME/credentials.json, sdk/go/common/workspace/creds.go), else, said out loud, the
 * project's file backend. The orchestrator used to force the project's file backend.
 */
import { strict as assert } from "assert";
import * as fs from "fs";
import * as path from "path";
import { BACKEND_FORMS, cliWhoAmI, projectFileBackend, resolveBackend } from "../../ops/stacks/backend";
import { UsageError, UserError } from "../../ops/cli/errors";
import { runCommand } from "../../ops/cli/args";
import { SPEC, main } from "../../ops/env";
import { eachTestStandIn } from "../standin/harness";

const NOT_LOGGED_IN = new Error(
    "code: 255\n stdout: \n stderr: error: PULUMI_ACCESS_TOKEN must be set for login during non-interactive CLI sessions\n",
);
const loggedIn = async () => ({ url: "s3://team-state" });

describe("backend resolution", () => {
    it("takes --backend, then PULUMI_BACKEND_URL, then the CLI's login, then the project's file backend with a notice", async () => {
        const projectDir = "/work/project";
        const env = { PULUMI_BACKEND_URL: "file:///shared/state" };
        assert.deepEqual(await resolveBackend({ flag: "s3://flag", env, projectDir, whoAmI: loggedIn }), {
            url: "s3://flag",
            source: "--backend",
        });
        assert.deepEqual(await resolveBackend({ env, projectDir, whoAmI: loggedIn }), {
            url: "file:///shared/state",
            source: "PULUMI_BACKEND_URL",
        });
        assert.deepEqual(await resolveBackend({ env: {}, projectDir, whoAmI: loggedIn }), {
            url: "s3://team-state",
            source: "pulumi login",
        });
        const fallback = await resolveBackend({
            env: {},
            projectDir,
            whoAmI: async () => {
                throw NOT_LOGGED_IN;
            },
        });
        assert.equal(fallback.url, "file:///work/project/.pulumi");
        assert.equal(fallback.source, "project file backend");
        assert.match(
            fallback.notice!,
            /^not logged in to a Pulumi backend: using the project's file backend file:\/\/\/work\/project\/\.pulumi, which only this checkout sees/,
        );
        assert.match(fallback.notice!, /run `pulumi login`/);
    });

    it("does not fall back to a local file when asking the CLI fails for another reason", async () => {
        const expired = async () => {
            throw new Error(
                "code: 255\n stdout: \n stderr: error: getting user info from https://api.pulumi.com: 401 Unauthorized: Bad token\n",
            );
        };
        await assert.rejects(
            resolveBackend({ env: {}, projectDir: "/p", whoAmI: expired }),
            (err: Error) =>
                err instanceof UserError &&
                /pulumi whoami: getting user info .* 401 Unauthorized: Bad token\)\. Fix the login, or name the backend with --backend/.test(
                    err.message,
                ),
        );
    });

    // pkg/backend/diy/backend.go IsDIYBackendURL (go-cloud's file, s3, gs, azblob; postgres from
    // pkg/backend/diy/postgres); pkg/cmd/pulumi/backend/login_manager.go takes anything else for a
    // Pulumi Cloud URL, which fails only at its first request ("unsupported protocol scheme").
    describe("refuses a backend URL the CLI cannot use, naming the accepted forms", () => {
        const refused = ["garbage://x", "not a url", "", "  ", "file://relative/state", "s3://", "https://"];
        const accepted = [
            "file:///srv/pulumi-state",
            "file://~/.pulumi-state",
            "s3://team-state?region=us-east-1",
            "gs://team-state",
            "azblob://team-state",
            "postgres://pulumi@db.internal/state",
            "https://api.pulumi.com",
            "http://localhost:8080",
        ];
        const isUsageError = (source: string, url: string) => (err: Error) =>
            err instanceof UsageError &&
            err.exitCode === 2 &&
            err.message.startsWith(`${source} ${JSON.stringify(url)} `) &&
            err.message.endsWith(`a backend is ${BACKEND_FORMS}`) &&
            /file:\/\/<absolute path>.*s3:\/\/.*gs:\/\/.*azblob:\/\/.*https:\/\/<service URL>/.test(err.message);

        it("from --backend (an empty one included) and from PULUMI_BACKEND_URL", async () => {
            for (const url of refused) {
                await assert.rejects(
                    resolveBackend({ flag: url, env: {}, projectDir: "/p", whoAmI: loggedIn }),
                    isUsageError("--backend", url),
                );
                if (url.trim() !== "")
                    await assert.rejects(
                        resolveBackend({ env: { PULUMI_BACKEND_URL: url }, projectDir: "/p", whoAmI: loggedIn }),
                        isUsageError("PULUMI_BACKEND_URL", url),
                    );
            }
            for (const url of accepted) {
                assert.deepEqual(await resolveBackend({ flag: url, env: {}, projectDir: "/p", whoAmI: loggedIn }), {
                    url,
                    source: "--backend",
                });
                assert.deepEqual(await resolveBackend({ env: { PULUMI_BACKEND_URL: url }, projectDir: "/p", whoAmI: loggedIn }), {
                    url,
                    source: "PULUMI_BACKEND_URL",
                });
            }
            // Set but empty, as the CLI does: not set.
            assert.equal(
                (await resolveBackend({ env: { PULUMI_BACKEND_URL: "" }, projectDir: "/p", whoAmI: loggedIn })).source,
                "pulumi login",
            );
        });

        it("`npm run env` exits 2 on --backend garbage://x, 'not a url' and --backend=, before asking the CLI anything", async () => {
            const savedPath = process.env.PATH;
            process.env.PATH = "/nonexistent"; // no CLI: the refusal comes first
            try {
                for (const argv of [
                    ["up", "--yes", "--backend", "garbage://x"],
                    ["outputs", "--backend", "not a url"],
                    ["destroy", "dev", "--yes", "--backend="],
                ]) {
                    const errors: string[] = [];
                    const code = await runCommand(SPEC, argv, main, { out: () => undefined, err: (l) => errors.push(l) });
                    assert.equal(code, 2, `${argv.join(" ")}: ${errors.join("\n")}`);
                    assert.match(
                        errors.join("\n"),
                        /^--backend ".*" (has a scheme the Pulumi CLI does not take \(\w+:\/\/\)|is not a URL|is empty); a backend is file:\/\//,
                    );
                }
            } finally {
                process.env.PATH = savedPath;
            }
        });
    });

    describe("asking the stand-in CLI", function () {
        this.timeout(60_000);
        const stand = eachTestStandIn();

        it("uses the login in $PULUMI_HOME/credentials.json, and falls back when there is none", async () => {
            const projectDir = stand().checkout("a");
            const whoAmI = () => cliWhoAmI(projectDir);
            const fallback = await resolveBackend({ env: process.env, projectDir, whoAmI });
            assert.deepEqual([fallback.url, fallback.source], [projectFileBackend(projectDir), "project file backend"]);

            fs.mkdirSync(process.env.PULUMI_HOME!, { recursive: true });
            fs.writeFileSync(
                path.join(process.env.PULUMI_HOME!, "credentials.json"),
                JSON.stringify({ current: stand().backendUrl, accounts: {} }),
            );
            assert.deepEqual(await resolveBackend({ env: process.env, projectDir, whoAmI }), {
                url: stand().backendUrl,
                source: "pulumi login",
            });
        });
    });
});
