/**
 * `npm run engine -- test`: the environment through the real Pulumi engine, once per built CLI, on a
 * fresh file backend in a temporary folder (proof/engine/sandbox.ts), with the project's AWS
 * provider plugin, a local Bedrock for the import job and moto for the SDK calls. It runs the
 * commands users run and checks what the engine did against what the offline world predicts.
 */
import * as fs from "fs";
import * as path from "path";
import { runEnvironment } from "../runtime/runEnvironment";
import { EngineModule, binDir, cliBuilds } from "./build";
import { BedrockStub } from "./bedrockStub";
import { Judge } from "./judge";
import { MotoServer } from "./moto";
import { Sandbox } from "./sandbox";
import { UsageError } from "../../ops/cli/errors";
import { PHASES, Prediction } from "./phases";

/** What the offline world predicts: the resources each stack registers under mocks. */
async function predict(): Promise<Prediction> {
    const stacks = ["research", "dev", "prod", "org"];
    const env = await runEnvironment(stacks);
    const failures = [...env.failures].map(([s, e]) => `${s}: ${e.message}`);
    if (failures.length > 0) throw new Error(`the offline run failed: ${failures.join("; ")}`);
    return new Map(stacks.map((s) => [s, new Set(env.runs.get(s)!.resources.map((r) => `${r.type}::${r.name}`))]));
}

async function testCli(cli: EngineModule, judge: Judge, prediction: Prediction): Promise<void> {
    const bedrock = await BedrockStub.start();
    const moto = await MotoServer.start();
    const sandbox = Sandbox.create(cli, { aws: moto.endpoint, bedrock: bedrock.endpoint });
    console.log(`${cli.version}: sandbox ${sandbox.root}`);
    try {
        for (const [name, phase] of PHASES) {
            const ok = await judge.phase(cli.version, name, () => phase({ cli: cli.version, sandbox, judge, bedrock, prediction }));
            if (ok !== true) {
                console.log(`  ${name} failed: the phases after it depend on it, skipped for ${cli.version}`);
                break;
            }
        }
    } finally {
        moto.stop();
        await bedrock.stop();
        if (judge.failed.some((c) => c.cli === cli.version)) console.log(`  sandbox kept for inspection: ${sandbox.root}`);
        else sandbox.remove();
    }
}

/** Runs every built CLI, or the one named (`3.212.0` or `v3.212.0`). */
export async function engineTest(only?: string): Promise<number> {
    const built = cliBuilds().filter((cli) => fs.existsSync(path.join(binDir(cli), "pulumi")));
    if (built.length === 0) throw new Error("no CLI is built: run npm run engine -- build first");
    const clis = only === undefined ? built : built.filter((cli) => cli.version === `v${only.replace(/^v/, "")}`);
    if (clis.length === 0) throw new UsageError(`no built CLI ${only} (built: ${built.map((c) => c.version).join(", ")})`);
    const judge = new Judge();
    const started = Date.now();
    const prediction = await predict();
    for (const cli of clis) await testCli(cli, judge, prediction);
    console.log(`\n${judge.summary()}\nengine test: ${((Date.now() - started) / 1000).toFixed(0)} s`);
    return judge.failed.length === 0 ? 0 : 1;
}
