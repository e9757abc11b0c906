/** The orchestrator's logic against a scripted workspace: order, parallelism, failures, destroy, convergence. */
import { strict as assert } from "assert";
import { buildGraph } from "../../ops/stacks/graph";
import { orchestrate } from "../../ops/stacks/runner";
import { ProgressBoard } from "../../ops/stacks/progress";
import { progressOf } from "../../ops/stacks/automation";
import { Command, OperationResult, ProgressEvent, RunOptions, StackWorkspace } from "../../ops/stacks/workspace";
import { PolicyFinding, PreviewReport, dataAtRisk, previewSummary, refusal } from "../../ops/stacks/preview";

/**
 * A workspace that records calls and answers from a script: per stack, results (or errors) by call
 * number. A preview answers with the next run's changes as planned steps (or its error), plus the
 * policy findings `policyOf` gives the stack.
 */
class ScriptedWorkspace implements StackWorkspace {
    readonly calls: { command: Command; stack: string; start: number; end: number; options?: RunOptions }[] = [];
    readonly previews: { kind: string; stack: string; at: number }[] = [];
    readonly unprotected: string[] = [];
    private clock = 0;
    private readonly counts = new Map<string, number>();

    /** Stacks selected or created, with the clock when it happened. */
    readonly ensured: { stacks: readonly string[]; at: number }[] = [];

    constructor(
        private readonly script: (stack: string, call: number, command: Command | "preview") => OperationResult | Error,
        private readonly delay = 5,
        private readonly extra: { policyOf?: (stack: string) => PolicyFinding[]; protectedOf?: (stack: string) => string[] } = {},
    ) {}

    async ensureStacks(stacks: readonly string[]): Promise<void> {
        this.ensured.push({ stacks, at: this.clock++ });
    }

    async preview(kind: "up" | "destroy", stack: string): Promise<PreviewReport> {
        this.previews.push({ kind, stack, at: this.clock++ });
        const answer = this.script(stack, (this.counts.get(stack) ?? 0) + 1, "preview");
        const keptProtected = kind === "destroy" ? (this.extra.protectedOf?.(stack) ?? []) : undefined;
        if (answer instanceof Error) return { steps: [], policy: [], error: answer.message, keptProtected };
        const steps = Object.entries(answer.changes)
            .filter(([op]) => op !== "same")
            .flatMap(([op, n]) =>
                Array.from({ length: n }, (_, i) => ({
                    op,
                    urn: `urn:pulumi:${stack}::cross-account-models::aws:iam/role:Role::r${i}`,
                    type: "aws:iam/role:Role",
                    protect: false,
                })),
            );
        return { steps, policy: this.extra.policyOf?.(stack) ?? [], keptProtected };
    }

    async unprotectAll(stack: string): Promise<void> {
        this.unprotected.push(stack);
    }

    async run(command: Command, stack: string, onProgress: (event: ProgressEvent) => void, options?: RunOptions): Promise<OperationResult> {
        const call = (this.counts.get(stack) ?? 0) + 1;
        this.counts.set(stack, call);
        const entry = { command, stack, start: this.clock++, end: -1, options };
        this.calls.push(entry);
        onProgress({ stack, kind: "planned", resource: "bucket", operation: "create" });
        await new Promise((r) => setTimeout(r, this.delay));
        entry.end = this.clock++;
        const answer = this.script(stack, call, command);
        if (answer instanceof Error) throw answer;
        onProgress({ stack, kind: "changed", resource: "bucket", operation: "create" });
        return answer;
    }
}

const graph = buildGraph(
    ["research", "dev", "prod"],
    new Map([
        ["dev", ["research"]],
        ["prod", ["research"]],
    ]),
);
const noFeedback = new Map<string, string[]>();
const created: OperationResult = { changes: { create: 3 }, outputs: { ok: true } };
const same: OperationResult = { changes: { same: 3 }, outputs: { ok: true } };

describe("orchestrator", () => {
    it("runs upstream first and independent stacks in parallel", async () => {
        const ws = new ScriptedWorkspace(() => created);
        const result = await orchestrate({ command: "up", graph, feedback: noFeedback, workspace: ws });
        assert.ok(result.ok);
        const [research, first, second] = ws.calls;
        assert.equal(research.stack, "research");
        assert.ok(first.start > research.end && second.start > research.end, "hosting stacks started before research finished");
        assert.ok(second.start < first.end, "dev and prod did not overlap");
        assert.deepEqual(
            result.outcomes.map((o) => [o.stack, o.status, o.runs]),
            [
                ["research", "succeeded", 1],
                ["dev", "succeeded", 1],
                ["prod", "succeeded", 1],
            ],
        );
    });

    // The engine fails a StackReference to a stack never created ("unknown stack", GetStackOutputs in
    // pulumi/pulumi pkg/backend/backend.go), so a feedback reference needs its stack to exist first.
    it("selects or creates every stack before the first preview or update, and not for destroy", async () => {
        for (const command of ["preview", "up"] as const) {
            const ws = new ScriptedWorkspace(() => created);
            await orchestrate({ command, graph, feedback: noFeedback, workspace: ws });
            assert.deepEqual(
                ws.ensured.map((e) => [...e.stacks].sort()),
                [["dev", "prod", "research"]],
            );
            assert.ok(ws.ensured[0].at < ws.previews[0].at, `${command}: a stack was previewed before every stack existed`);
        }
        const destroying = new ScriptedWorkspace(() => ({ changes: {}, outputs: {} }));
        await orchestrate({ command: "destroy", graph, feedback: noFeedback, workspace: destroying });
        assert.deepEqual(destroying.ensured, []);
    });

    it("does not run a stack whose upstream failed, and says why", async () => {
        const ws = new ScriptedWorkspace((stack, _call, command) =>
            stack === "research" && command === "up" ? new Error("mandatory policy s3-tls-only violated") : created,
        );
        const result = await orchestrate({ command: "up", graph, feedback: noFeedback, workspace: ws });
        assert.equal(result.ok, false);
        assert.deepEqual(
            ws.calls.map((c) => c.stack),
            ["research"],
        );
        assert.deepEqual(
            result.outcomes.map((o) => [o.stack, o.status]),
            [
                ["research", "failed"],
                ["dev", "skipped"],
                ["prod", "skipped"],
            ],
        );
        assert.match(result.outcomes[0].error!, /s3-tls-only/);
        assert.match(result.outcomes[1].error!, /research did not succeed/);
    });

    it("keeps going with independent stacks when one fails", async () => {
        const ws = new ScriptedWorkspace((stack) => (stack === "dev" ? new Error("boom") : created));
        const result = await orchestrate({ command: "preview", graph, feedback: noFeedback, workspace: ws });
        assert.deepEqual(
            result.outcomes.map((o) => o.status),
            ["succeeded", "failed", "succeeded"],
        );
    });

    it("destroys in reverse order and keeps a stack whose dependents failed to go", async () => {
        const ws = new ScriptedWorkspace(() => ({ changes: { delete: 3 }, outputs: {} }));
        await orchestrate({ command: "destroy", graph, feedback: noFeedback, workspace: ws });
        assert.deepEqual(ws.calls.map((c) => c.stack).slice(-1), ["research"]);
        assert.ok(ws.calls[2].start > ws.calls[0].end && ws.calls[2].start > ws.calls[1].end);

        const failing = new ScriptedWorkspace((stack, _call, command) =>
            stack === "prod" && command === "destroy" ? new Error("delete failed") : { changes: { delete: 1 }, outputs: {} },
        );
        const result = await orchestrate({ command: "destroy", graph, feedback: noFeedback, workspace: failing });
        assert.deepEqual(
            result.outcomes.map((o) => [o.stack, o.status]),
            [
                ["research", "skipped"],
                ["dev", "succeeded"],
                ["prod", "failed"],
            ],
        );
    });

    it("re-applies a stack with feedback references after its downstream stacks, until no outputs change", async () => {
        // research's outputs change on its first re-application (it learns the endpoint IDs), then are
        // stable; dev and prod are re-applied once because they read research, and do not change.
        const ws = new ScriptedWorkspace((stack, call) =>
            stack === "research" ? { changes: { update: 1 }, outputs: { version: Math.min(call, 2) } } : same,
        );
        const result = await orchestrate({ command: "up", graph, feedback: new Map([["research", ["dev", "prod"]]]), workspace: ws });
        assert.ok(result.ok);
        assert.equal(result.convergencePasses, 1, "dev and prod follow research within the same pass");
        assert.deepEqual(
            ws.calls.map((c) => c.stack),
            ["research", "dev", "prod", "research", "dev", "prod"],
        );
    });

    it("does not re-apply downstream stacks when a re-application changes resources but not outputs", async () => {
        const ws = new ScriptedWorkspace(() => created);
        const result = await orchestrate({ command: "up", graph, feedback: new Map([["research", ["dev", "prod"]]]), workspace: ws });
        assert.equal(result.convergencePasses, 1);
        assert.deepEqual(
            ws.calls.map((c) => c.stack),
            ["research", "dev", "prod", "research"],
        );
    });

    it("fails the stacks that never stop changing", async () => {
        const ws = new ScriptedWorkspace((_stack, call) => ({ changes: { update: 1 }, outputs: { call } }), 0);
        const result = await orchestrate({
            command: "up",
            graph,
            feedback: new Map([["research", ["dev", "prod"]]]),
            workspace: ws,
            maxPasses: 3,
        });
        assert.equal(result.ok, false);
        assert.equal(result.convergencePasses, 3);
        assert.match(result.outcomes.find((o) => o.status === "failed")!.error!, /did not converge after 3/);
    });

    it("reads every stack's outputs without ordering", async () => {
        const ws = new ScriptedWorkspace((stack) => ({ changes: {}, outputs: { stack } }));
        const result = await orchestrate({ command: "outputs", graph, feedback: noFeedback, workspace: ws });
        assert.deepEqual(
            result.outcomes.map((o) => o.result!.outputs.stack),
            ["research", "dev", "prod"],
        );
    });

    it("shows progress per stack and a summary table", async () => {
        const lines: string[] = [];
        const board = new ProgressBoard(
            (l) => lines.push(l),
            () => 0,
        );
        const ws = new ScriptedWorkspace((stack, _call, command) =>
            stack === "prod" && command === "up" ? new Error("quota exceeded") : created,
        );
        const result = await orchestrate({ command: "up", graph, feedback: noFeedback, workspace: ws, onProgress: board.onProgress });
        assert.ok(
            lines.some((l) => /^\[dev\] +0s changed/.test(l) && l.includes("planned 1, changed 1, failed 0")),
            lines.join("\n"),
        );
        assert.ok(
            lines.some((l) => /^\[prod\] +0s failed/.test(l) && l.includes("quota exceeded")),
            lines.join("\n"),
        );
        const table = board.summary(result);
        assert.match(table, /^stack +status +runs +elapsed +planned +changed +failed +changes \/ reason$/m);
        assert.match(table, /^dev +succeeded +1 +0s +1 +1 +0 +create 3$/m);
        assert.match(table, /up: FAILED$/);
    });

    it("maps engine events to progress", () => {
        const urn = "urn:pulumi:dev::cross-account-models::aws:s3/bucket:Bucket::artifacts";
        const meta = (op: string) => ({ op, urn, type: "aws:s3/bucket:Bucket", provider: "" }) as any;
        assert.deepEqual(progressOf("dev", { sequence: 1, timestamp: 0, resourcePreEvent: { metadata: meta("create") } }), {
            stack: "dev",
            kind: "planned",
            resource: "artifacts",
            operation: "create",
        });
        assert.equal(progressOf("dev", { sequence: 1, timestamp: 0, resourcePreEvent: { metadata: meta("same") } }), undefined);
        assert.deepEqual(progressOf("dev", { sequence: 2, timestamp: 0, resOutputsEvent: { metadata: meta("update") } }), {
            stack: "dev",
            kind: "changed",
            resource: "artifacts",
            operation: "update",
        });
        assert.deepEqual(
            progressOf("dev", { sequence: 3, timestamp: 0, resOpFailedEvent: { metadata: meta("create"), status: 1, steps: 1 } }),
            { stack: "dev", kind: "failed", resource: "artifacts", operation: "create" },
        );
        const policy = progressOf("dev", {
            sequence: 4,
            timestamp: 0,
            policyEvent: {
                resourceUrn: urn,
                message: "no TLS deny",
                color: "",
                policyName: "s3-tls-only",
                policyPackName: "cross-account-guard",
                policyPackVersion: "0.1.0",
                policyPackVersionTag: "",
                enforcementLevel: "mandatory",
            },
        });
        assert.deepEqual(policy, { stack: "dev", kind: "policy", resource: "artifacts", message: "[mandatory] s3-tls-only: no TLS deny" });
    });
});

describe("orchestrator: nothing changes unseen", () => {
    const mandatory = (urn?: string): PolicyFinding => ({
        policy: "data-vpc-endpoint-only",
        level: "mandatory",
        message: "no endpoint deny",
        urn,
    });
    const upCommands = (ws: ScriptedWorkspace) => ws.calls.filter((c) => c.command === "up").map((c) => c.stack);

    // The Automation API's up() runs `pulumi up --skip-preview` (sdk/nodejs/automation/stack.ts), and
    // the engine reports stack-rule violations only after every step ran (pulumi/pulumi
    // pkg/resource/deploy/step_generator.go, AnalyzeStack): only a preview can refuse beforehand.
    it("previews each stack before updating it and refuses a stack with a mandatory stack-rule violation, updating nothing of it", async () => {
        const ws = new ScriptedWorkspace(() => created, 0, { policyOf: (stack) => (stack === "research" ? [mandatory()] : []) });
        const result = await orchestrate({ command: "up", graph, feedback: noFeedback, workspace: ws });
        assert.deepEqual(upCommands(ws), []);
        assert.deepEqual(
            result.outcomes.map((o) => [o.stack, o.status]),
            [
                ["research", "failed"],
                ["dev", "skipped"],
                ["prod", "skipped"],
            ],
        );
        assert.match(result.outcomes[0].error!, /refused: 1 mandatory policy violation.*data-vpc-endpoint-only \(stack\)/);
    });

    it("refuses only the stack with a mandatory resource-rule violation; the others of its level go ahead", async () => {
        const ws = new ScriptedWorkspace(() => created, 0, {
            policyOf: (stack) =>
                stack === "dev" ? [mandatory("urn:pulumi:dev::cross-account-models::aws:s3/bucketPolicy:BucketPolicy::artifacts")] : [],
        });
        const result = await orchestrate({ command: "up", graph, feedback: noFeedback, workspace: ws });
        assert.deepEqual(upCommands(ws), ["research", "prod"]);
        assert.match(result.outcomes[1].error!, /data-vpc-endpoint-only \(artifacts\)/);
        for (const stack of ["research", "prod"]) {
            const previewed = ws.previews.find((p) => p.stack === stack)!.at;
            assert.ok(previewed < ws.calls.find((c) => c.stack === stack)!.start, `${stack} updated before its preview`);
        }
    });

    it("shows every preview of a level, then asks once; a no changes nothing and skips what follows", async () => {
        const shown: string[] = [];
        const asked: string[] = [];
        const ws = new ScriptedWorkspace(() => created, 0);
        const result = await orchestrate({
            command: "up",
            graph,
            feedback: noFeedback,
            workspace: ws,
            onPreview: (stack, lines) => shown.push(`${stack}: ${lines[0]}`),
            confirm: async (q) => (asked.push(q), asked.length === 1),
        });
        assert.deepEqual(asked, ["Update research as previewed above?", "Update dev, prod as previewed above?"]);
        assert.deepEqual(shown, ["research: research: 3 to create", "dev: dev: 3 to create", "prod: prod: 3 to create"]);
        assert.deepEqual(upCommands(ws), ["research"]);
        assert.deepEqual(
            result.outcomes.map((o) => o.status),
            ["succeeded", "skipped", "skipped"],
        );
        assert.match(result.outcomes[1].error!, /not confirmed/);
    });

    it("asks nothing when a level's previews show no changes", async () => {
        const asked: string[] = [];
        const ws = new ScriptedWorkspace(() => same, 0);
        const result = await orchestrate({
            command: "up",
            graph,
            feedback: noFeedback,
            workspace: ws,
            confirm: async (q) => (asked.push(q), false),
        });
        assert.ok(result.ok);
        assert.deepEqual(asked, []);
    });

    // pulumi/pulumi pkg/resource/deploy/step.go: deleting a protected resource fails the destroy;
    // pkg/cmd/pulumi/operations/destroy.go --exclude-protected leaves them.
    it("destroys leaving protected resources by default, and with includeProtected unprotects first after saying so", async () => {
        const bucket = "urn:pulumi:research::cross-account-models::aws:s3/bucketV2:BucketV2::artifacts";
        const destroyed = () => ({ changes: { delete: 2 }, outputs: {} });
        const ws = new ScriptedWorkspace(destroyed, 0, { protectedOf: (stack) => (stack === "research" ? [bucket] : []) });
        const result = await orchestrate({ command: "destroy", graph, feedback: noFeedback, workspace: ws });
        assert.ok(ws.calls.every((c) => c.options?.excludeProtected === true));
        assert.deepEqual(ws.unprotected, []);
        assert.deepEqual(result.outcomes[0].preview!.keptProtected, [bucket]);

        const asked: string[] = [];
        const all = new ScriptedWorkspace(destroyed, 0, { protectedOf: (stack) => (stack === "research" ? [bucket] : []) });
        await orchestrate({
            command: "destroy",
            graph,
            feedback: noFeedback,
            workspace: all,
            includeProtected: true,
            onPreview: (_s, lines) => asked.push(...lines),
            confirm: async (q) => (asked.push(q), true),
        });
        assert.ok(all.calls.every((c) => c.options?.excludeProtected === false));
        assert.deepEqual(all.unprotected, ["research"]);
        assert.ok(
            asked.some((l) => /! DELETES artifacts \(aws:s3\/bucketV2:BucketV2, protected: model artifacts or logs\)/.test(l)),
            asked.join("\n"),
        );
        assert.ok(
            asked.includes(
                "Destroy research, INCLUDING their protected resources (model artifacts and keys are lost), as previewed above?",
            ),
        );
    });
});

describe("preview summaries", () => {
    const urn = (type: string, name: string) => `urn:pulumi:dev::cross-account-models::${type}::${name}`;
    const report: PreviewReport = {
        steps: [
            { op: "create", urn: urn("aws:iam/role:Role", "access"), type: "aws:iam/role:Role", protect: false },
            { op: "replace", urn: urn("aws:kms/key:Key", "models"), type: "aws:kms/key:Key", protect: false },
            { op: "delete", urn: urn("aws:iam/role:Role", "old"), type: "aws:iam/role:Role", protect: false },
            { op: "delete", urn: urn("aws:ssm/parameter:Parameter", "p"), type: "aws:ssm/parameter:Parameter", protect: true },
        ],
        policy: [{ policy: "tags", level: "advisory", message: "no owner tag" }],
    };

    it("counts changes and calls out replacements and deletions of data-holding or protected resources only", () => {
        const lines = previewSummary("dev", report);
        assert.equal(lines[0], "dev: 1 to create, 1 to replace, 2 to delete");
        assert.deepEqual(dataAtRisk(report), [
            "REPLACES models (aws:kms/key:Key: a key: what it encrypted becomes unreadable once it is deleted)",
            "DELETES p (aws:ssm/parameter:Parameter, protected)",
        ]);
        assert.ok(lines.includes("  advisory tags: no owner tag"));
        assert.equal(refusal(report), undefined, "an advisory finding does not refuse");
    });

    it("refuses on a failed preview and on a remediate stack rule, which the engine treats as mandatory", () => {
        assert.match(refusal({ steps: [], policy: [], error: "program failed" })!, /preview failed, nothing changed: program failed/);
        assert.match(refusal({ steps: [], policy: [{ policy: "p", level: "remediate", message: "m" }] })!, /1 mandatory/);
    });
});
