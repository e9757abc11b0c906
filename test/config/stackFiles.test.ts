/**
 * Problems of the stack file itself and of the stacks it names: invalid YAML, a repeated key, an
 * empty file, a `researchStack` with no stack, a wrong `program`. Each is one ConfigError naming
 * the file (and the line, for YAML), never a stack trace or a TypeError.
 */
import { strict as assert } from "assert";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { listStackFiles, parseStackFile, readStackFile } from "../../lib/config/stackFile";
import { readProjectStacks } from "../../lib/config/projectStacks";
import { readStackConfig } from "../../ops/project";
import { withConfig } from "../helpers";
import { assertNames, configError, refusedRun, thrownConfigError } from "./expect";

const P = "cross-account-models";

describe("configuration: stack files and the stacks they name", () => {
    describe("the YAML of a stack file", () => {
        it("names the file and the line of invalid YAML, with the expected form", () => {
            const message = thrownConfigError(() =>
                parseStackFile(
                    "dev",
                    'config:\n  aws:region: us-east-1\n  aws:allowedAccountIds: ["777788889999"\n  cross-account-models:program: hosting\n',
                ),
            );
            assertNames(message, "Pulumi.dev.yaml", "line 4", "is not valid YAML", 'expected "key: value" lines indented with spaces');
            const tabs = thrownConfigError(() => parseStackFile("dev", "config:\n\taws:region: us-east-1\n"));
            assertNames(tabs, "Pulumi.dev.yaml", "line 2", "tab characters must not be used in indentation");
        });

        it("names a repeated key with the lines of both, which YAML would silently collapse", () => {
            const text = "config:\n  aws:region: us-east-1\n  cross-account-models:program: hosting\n  # again\n  aws:region: us-east-2\n";
            const message = thrownConfigError(() => parseStackFile("dev", text));
            assertNames(
                message,
                "Pulumi.dev.yaml",
                "line 5",
                `repeats the key "aws:region" of line 2`,
                "expected each key once in its map",
            );
        });

        it("refuses an empty file, a file without config: and a misspelt field, saying what a stack file holds", () => {
            for (const text of ["", "# nothing yet\n", "- config\n"]) {
                assertNames(
                    thrownConfigError(() => parseStackFile("prod", text)),
                    "Pulumi.prod.yaml",
                    "config",
                    "is missing",
                    `expected a map "config:" with at least aws:region, aws:allowedAccountIds and ${P}:program`,
                );
            }
            const typo = thrownConfigError(() => parseStackFile("prod", "confg:\n  aws:region: us-east-1\n"));
            assertNames(
                typo,
                "Pulumi.prod.yaml",
                "confg",
                `did you mean "config"?`,
                "expected one of config, encryptionsalt, secretsprovider",
            );
        });

        it("reads a stack file from disk, and names the stacks there are for one with no file", () => {
            const dir = fs.mkdtempSync(path.join(os.tmpdir(), "stackfiles-"));
            try {
                fs.writeFileSync(path.join(dir, "Pulumi.research.yaml"), "config:\n  aws:region: us-east-1\n");
                fs.writeFileSync(path.join(dir, "Pulumi.dev.yaml"), "");
                assert.deepEqual(listStackFiles(dir), ["dev", "research"]);
                assert.deepEqual(readStackFile("research", dir), { "aws:region": "us-east-1" });
                assertNames(
                    thrownConfigError(() => readStackFile("dev", dir)),
                    "Pulumi.dev.yaml",
                    "config",
                    "the file is empty",
                );
                assertNames(
                    thrownConfigError(() => readStackFile("reserch", dir)),
                    "Pulumi.reserch.yaml",
                    "stack",
                    `did you mean "research"?`,
                    "expected one of dev, research",
                );
                // Another stack's broken file still names a stack; its own problems are reported when it runs.
                assert.deepEqual(
                    [...readProjectStacks(dir)],
                    [
                        ["dev", {}],
                        ["research", { program: undefined, accountId: undefined }],
                    ],
                );
            } finally {
                fs.rmSync(dir, { recursive: true, force: true });
            }
        });
    });

    describe("researchStack", () => {
        const dev = readStackConfig("dev");

        it("refuses a stack with no stack file before any resource or reference, listing the stacks", async () => {
            const message = await refusedRun("dev", withConfig(dev, { [`${P}:researchStack`]: "reserch" }));
            assertNames(
                message,
                "Pulumi.dev.yaml",
                `${P}:researchStack`,
                `"reserch" is not a stack of this project (there is no Pulumi.reserch.yaml)`,
                `did you mean "research"?`,
                "expected one of bootstrap-dev, bootstrap-org, bootstrap-prod, bootstrap-research, dev, org, prod, research",
            );
            const qualified = await refusedRun("dev", withConfig(dev, { [`${P}:researchStack`]: `organization/${P}/reserch` }));
            assertNames(qualified, "Pulumi.dev.yaml", `${P}:researchStack`, "there is no Pulumi.reserch.yaml");
        });

        it("refuses a stack that is not a research stack", () => {
            const message = configError("dev", withConfig(dev, { [`${P}:researchStack`]: "prod" }), { stacks: readProjectStacks() });
            assertNames(
                message,
                "Pulumi.dev.yaml",
                `${P}:researchStack`,
                `"prod" is a stack of program hosting (${P}:program of Pulumi.prod.yaml)`,
                "expected a stack of program research: research",
            );
        });
    });

    describe("program", () => {
        it("stops at a wrong program instead of reporting the research settings it would then miss", async () => {
            const dev = readStackConfig("dev");
            const message = await refusedRun("dev", withConfig(dev, { [`${P}:program`]: "hostng" }));
            assert.deepEqual(message.split("\n"), [
                "Invalid configuration in Pulumi.dev.yaml:",
                `  - ${P}:program: "hostng" is not a program; did you mean "hosting"? expected "research", "hosting", "organization" or "bootstrap"`,
            ]);
        });

        it("still reports the account and Region, which every program needs", () => {
            const message = configError(
                "dev",
                withConfig(readStackConfig("dev"), { [`${P}:program`]: undefined, "aws:region": "virginia" }),
            );
            assertNames(message, "Pulumi.dev.yaml", `${P}:program`, "is required");
            assertNames(message, "Pulumi.dev.yaml", "aws:region", `e.g. "us-east-1"`);
            assert.ok(!message.includes("consumers"), message);
        });
    });
});
