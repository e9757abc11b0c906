/**
 * Which backend the online commands use: --backend, else PULUMI_BACKEND_URL, else the CLI's
 * current login (`pulumi whoami --json` url; the login is `current` in
 * $PULUMI_HOME/credentials.json, sdk/go/common/workspace/creds.go), else, said out loud, the
 * project's file backend. The orchestrator used to force the project's file backend.
 */
import { strict as assert } from "assert";
import * as fs from "fs";
import * as path from "path";
import { cliWhoAmI, projectFileBackend, resolveBackend } from "../../ops/stacks/backend";
import { UserError } from "../../ops/cli/errors";
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
