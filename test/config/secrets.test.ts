/**
 * External IDs given as Pulumi secrets (`secure:`): accepted, kept secret in the program, never
 * printed; offline, where nothing decrypts them, read as a placeholder that says so.
 */
import { strict as assert } from "assert";
import { inspect } from "util";
import * as pulumi from "@pulumi/pulumi";
import { HostingConfig, ResearchConfig, parseStackConfig } from "../../lib/config/stackConfig";
import { parseStackFile } from "../../lib/config/stackFile";
import { ConfigSecret, OFFLINE_SECRET } from "../../lib/config/secret";
import { loadStackConfig } from "../../lib/config/load";
import { runStack } from "../../proof/runtime/runStack";
import { readStackConfig } from "../../ops/project";
import { PROJECT } from "../../lib/naming";
import { researchExports, withConfig } from "../helpers";
import { assertNames, configError, thrownConfigError } from "./expect";

const P = "cross-account-models";
const SECURE = "v1:gT6fO2Cs3dDWuZfZ:3uTfBYp3EXz5Vr3cVPGCfzWSjO3dD2hA+Xv6zY0=";

describe("configuration: secrets", () => {
    const dev = readStackConfig("dev");
    const research = readStackConfig("research");
    const client = () => JSON.parse(dev[`${P}:rekognition`]);

    it("reads a secure: value of a stack file as the offline placeholder, at any depth", () => {
        const raw = parseStackFile(
            "dev",
            `config:\n  ${P}:rekognition:\n    activeVersionArn: x\n    externalId:\n      secure: ${SECURE}\n  ${P}:cmiRoleName:\n    secure: ${SECURE}\n`,
        );
        assert.deepEqual(JSON.parse(raw[`${P}:rekognition`]), { activeVersionArn: "x", externalId: OFFLINE_SECRET });
        assert.equal(raw[`${P}:cmiRoleName`], OFFLINE_SECRET);
        assert.match(OFFLINE_SECRET, /secret.*not decrypted offline/);
    });

    it("accepts an external ID as a secret on both sides of the share, and in plain text", () => {
        const d = parseStackConfig(
            "dev",
            withConfig(dev, { [`${P}:rekognition`]: { ...client(), externalId: OFFLINE_SECRET } }),
        ) as HostingConfig;
        assert.ok(d.rekognition?.externalId instanceof ConfigSecret && !d.rekognition.externalId.decrypted);
        const share = JSON.parse(research[`${P}:rekognition`]);
        share.consumers[0].externalId = OFFLINE_SECRET;
        share.consumers[1].externalId = "prod-external-id-7";
        const r = parseStackConfig("research", withConfig(research, { [`${P}:rekognition`]: share })) as ResearchConfig;
        assert.deepEqual(
            r.rekognition?.consumers.map((c) => c.externalId?.decrypted),
            [false, true],
        );
    });

    it("never prints an external ID: not in messages, JSON, strings or inspection", () => {
        const secret = new ConfigSecret("s3cr3t-external-id", `${P}:rekognition.externalId`, "Pulumi.dev.yaml");
        for (const shown of [JSON.stringify({ secret }), String(secret), `${secret}`, inspect({ secret }), JSON.stringify({ ...secret })]) {
            assert.ok(!shown.includes("s3cr3t"), shown);
        }
        const message = configError("dev", withConfig(dev, { [`${P}:rekognition`]: { ...client(), externalId: "s3cr3t external id!" } }));
        assertNames(
            message,
            "Pulumi.dev.yaml",
            `${P}:rekognition.externalId`,
            "is not a valid external ID",
            "expected 2-1224 letters, digits or +=,.@:/-",
        );
        assert.ok(!message.includes("s3cr3t"), message);
    });

    it("keeps the external ID secret in the program: the trust policy is registered as a secret, exports never hold it", async () => {
        const share = JSON.parse(research[`${P}:rekognition`]);
        share.consumers[0].externalId = OFFLINE_SECRET;
        share.consumers[1].externalId = "prod-external-id-7";
        const run = await runStack("research", { config: withConfig(research, { [`${P}:rekognition`]: share }) });
        for (const name of ["rekognition-dev-role", "rekognition-prod-role"]) {
            const role = run.resources.find((r) => r.name === name)!;
            assert.deepEqual(role.secretInputs, ["assumeRolePolicy"], name);
        }
        const trust = JSON.parse(run.resources.find((r) => r.name === "rekognition-prod-role")!.inputs.assumeRolePolicy);
        assert.equal(trust.Statement[0].Condition.StringEquals["sts:ExternalId"], "prod-external-id-7");
        assert.ok(!JSON.stringify(run.outputs).includes("prod-external-id-7"));
        assert.equal(researchExports(run).rekognition!.consumers[1].externalIdRequired, true);
    });

    it("refuses a secret where the program needs the value in plain sight (names, policies, exports)", () => {
        const message = configError(
            "dev",
            withConfig(dev, { [`${P}:cmiRoleName`]: OFFLINE_SECRET, [`${P}:network`]: { cidr: OFFLINE_SECRET } }),
        );
        for (const key of [`${P}:cmiRoleName`, `${P}:network.cidr`]) {
            assertNames(message, "Pulumi.dev.yaml", key, "is a secret (secure:)", "expected a plain value", "only external IDs");
        }
    });

    it("refuses the same when the Pulumi CLI marks a top-level key secret, but not one holding an external ID", async () => {
        const real = withConfig(dev, { [`${P}:rekognition`]: { ...client(), externalId: "decrypted-by-the-cli" } });
        assertNames(
            configError("dev", real, { secretKeys: [`${P}:cmiRoleName`] }),
            "Pulumi.dev.yaml",
            `${P}:cmiRoleName`,
            "is a secret (secure:)",
        );
        const parsed = parseStackConfig("dev", real, { secretKeys: [`${P}:rekognition`] }) as HostingConfig;
        assert.equal(parsed.rekognition?.externalId?.plaintext(), "decrypted-by-the-cli");
        // As the program reads them: PULUMI_CONFIG_SECRET_KEYS through the runtime.
        await pulumi.runtime.setMocks({ call: () => ({}), newResource: (a) => ({ id: a.name, state: a.inputs }) }, PROJECT, "dev", false);
        try {
            pulumi.runtime.setAllConfig({ ...real, [`${P}:cmiRoleName`]: "ImportRole" }, [`${P}:cmiRoleName`]);
            assertNames(
                thrownConfigError(() => loadStackConfig({})),
                "Pulumi.dev.yaml",
                `${P}:cmiRoleName`,
                "is a secret (secure:)",
            );
        } finally {
            pulumi.runtime.setAllConfig({});
        }
    });

    it("refuses to hand the offline placeholder to AWS, naming the key and the file", () => {
        const d = parseStackConfig(
            "dev",
            withConfig(dev, { [`${P}:rekognition`]: { ...client(), externalId: OFFLINE_SECRET } }),
        ) as HostingConfig;
        assertNames(
            thrownConfigError(() => d.rekognition!.externalId!.plaintext()),
            "Pulumi.dev.yaml",
            `${P}:rekognition.externalId`,
            "is encrypted (secure:)",
            "cannot decrypt it",
            "expected the value through the Pulumi CLI",
        );
    });
});
