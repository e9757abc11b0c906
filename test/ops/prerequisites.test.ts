/**
 * The online commands' prerequisites, checked through the Automation API's own PulumiCommand.get
 * (it runs `pulumi version`) against a stand-in `pulumi` on PATH, or none at all.
 */
import { strict as assert } from "assert";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { UserError } from "../../ops/cli/errors";
import { MIN_PULUMI_CLI, checkPrerequisites, pulumiCliVersion } from "../../ops/stacks/prerequisites";

describe("prerequisites of the online commands", () => {
    const savedPath = process.env.PATH;
    let bin: string;
    beforeEach(() => (bin = fs.mkdtempSync(path.join(os.tmpdir(), "pulumi-stand-in-"))));
    afterEach(() => {
        process.env.PATH = savedPath;
        fs.rmSync(bin, { recursive: true, force: true });
    });
    /** PATH holds only the stand-in's folder and the shell's, so a real `pulumi` elsewhere cannot answer. */
    const cliPrinting = (version?: string) => {
        if (version) fs.writeFileSync(path.join(bin, "pulumi"), `#!/bin/sh\necho ${version}\n`, { mode: 0o755 });
        process.env.PATH = `${bin}:/usr/bin:/bin`;
    };
    const env = { PULUMI_CONFIG_PASSPHRASE: "x" };
    const check = (e: NodeJS.ProcessEnv = env) => checkPrerequisites({ cliVersion: pulumiCliVersion, env: e });

    it("without the CLI: one message with the minimum version and install instructions, no CommandError dump", async () => {
        cliPrinting();
        await assert.rejects(
            check(),
            (err: Error) =>
                err instanceof UserError &&
                err.message.startsWith(
                    `The Pulumi CLI is not on PATH; these commands drive it through the Automation API and need version ${MIN_PULUMI_CLI} or later (`,
                ) &&
                /curl -fsSL https:\/\/get.pulumi.com \| sh/.test(err.message) &&
                !/stdout|code: -2/.test(err.message),
        );
    });

    it("refuses a CLI older than the minimum, naming both versions", async () => {
        cliPrinting("v3.100.0");
        await assert.rejects(check(), new RegExp(`The Pulumi CLI on PATH is 3.100.0; these commands need ${MIN_PULUMI_CLI} or later`));
    });

    // pkg/backend/diy/stack_tags.go arrived in 3.211.0: before it the file and S3 backends refused
    // stack tags ("stack tags not supported in diy mode"), which the lock and the records are.
    it("refuses a CLI whose file and S3 backends keep no stack tags, saying so; 3.212.0 is the minimum", async () => {
        assert.equal(MIN_PULUMI_CLI, "3.212.0");
        for (const old of ["v3.205.0", "v3.210.0", "v3.211.0"]) {
            cliPrinting(old);
            await assert.rejects(
                check(),
                (err: Error) =>
                    err instanceof UserError &&
                    err.message.startsWith(`The Pulumi CLI on PATH is ${old.slice(1)}; these commands need 3.212.0 or later`) &&
                    /stack tags, which file and S3 backends keep only from 3\.211/.test(err.message),
            );
        }
        cliPrinting("v3.212.0");
        assert.equal(await check(), "3.212.0");
    });

    it("accepts a recent CLI with the passphrase set, and refuses a missing passphrase up front", async () => {
        cliPrinting("v3.270.0");
        assert.equal(await check(), "3.270.0");
        assert.equal(await check({ PULUMI_CONFIG_PASSPHRASE_FILE: "/run/secrets/passphrase" }), "3.270.0");
        await assert.rejects(
            check({}),
            (err: Error) => err instanceof UserError && /^PULUMI_CONFIG_PASSPHRASE is not set/.test(err.message),
        );
    });
});
