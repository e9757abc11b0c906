/**
 * What an operator sees while environments deploy: engine diagnostics per stack (a Bedrock import
 * runs for hours and reports only through them), elapsed time per stack from an injected clock, and
 * the summary table.
 */
import { strict as assert } from "assert";
import { DiagnosticEvent, EngineEvent } from "@pulumi/pulumi/automation";
import { progressOf } from "../../ops/stacks/automation";
import { ProgressBoard, formatElapsed } from "../../ops/stacks/progress";
import { OrchestrationResult } from "../../ops/stacks/runner";

const URN = "urn:pulumi:dev::cross-account-models::pulumi-nodejs:dynamic/bedrock:ModelImportJob::model-import";

/** The engine's diagnostic event; `debug` is sent too, though the Automation API's type leaves it out (pkg/engine/eventsink.go). */
function diagnostic(severity: DiagnosticEvent["severity"] | "debug", message: string, urn?: string): EngineEvent {
    return {
        sequence: 1,
        timestamp: 0,
        diagnosticEvent: { severity: severity as DiagnosticEvent["severity"], message, color: "raw", urn },
    };
}

/** A board on a fake clock: `at(ms)` sets the time of the next event. */
function fakeBoard() {
    const lines: string[] = [];
    let now = 0;
    const board = new ProgressBoard(
        (l) => lines.push(l),
        () => now,
    );
    return { board, lines, at: (ms: number) => (now = ms) };
}

describe("progress of environment operations", () => {
    it("keeps the engine's info, stderr and warning diagnostics with their stack; drops debug and blank lines", () => {
        assert.deepEqual(progressOf("dev", diagnostic("info", "Model import job cmi-job-01: InProgress after 60s\n")), {
            stack: "dev",
            kind: "diagnostic",
            severity: "info",
            resource: undefined,
            message: "Model import job cmi-job-01: InProgress after 60s",
        });
        assert.deepEqual(progressOf("prod", diagnostic("warning", "deprecated input\n", URN)), {
            stack: "prod",
            kind: "diagnostic",
            severity: "warning",
            resource: "model-import",
            message: "deprecated input",
        });
        assert.equal(progressOf("dev", diagnostic("info#err", "printed on stderr\n"))?.severity, "info");
        assert.equal(progressOf("dev", diagnostic("error", "boom", URN))?.severity, "error");
        assert.equal(progressOf("dev", diagnostic("debug", "provider chatter\n")), undefined);
        assert.equal(progressOf("dev", diagnostic("info", " \n")), undefined);
    });

    it("marks the end of a stack's operation by the engine's summary event, sent failed or not (pkg/engine/deployment.go)", () => {
        const summary = { maybeCorrupt: false, durationSeconds: 12, resourceChanges: {}, policyPacks: {} };
        assert.deepEqual(progressOf("dev", { sequence: 9, timestamp: 0, summaryEvent: summary }), { stack: "dev", kind: "finished" });
        assert.equal(progressOf("dev", { sequence: 0, timestamp: 0, preludeEvent: { config: {} } }), undefined);
    });

    it("prefixes each line with its stack and that stack's elapsed time, from the injected clock", () => {
        const { board, lines, at } = fakeBoard();
        at(1_000);
        board.onProgress({ stack: "research", kind: "started", operation: "up" });
        at(5_000);
        board.onProgress({ stack: "dev", kind: "started", operation: "up" });
        at(65_000);
        board.onProgress({ stack: "research", kind: "changed", resource: "artifacts", operation: "create" });
        at(5_000 + 2 * 3600_000 + 61_000);
        board.onProgress({
            stack: "dev",
            kind: "diagnostic",
            severity: "info",
            message: "Model import job cmi-job-01: InProgress after 7260s",
        });
        board.onProgress({ stack: "dev", kind: "diagnostic", severity: "warning", resource: "model-import", message: "slow" });
        assert.deepEqual(lines, [
            "[research]     0s started    up",
            "[dev]     0s started    up",
            "[research]  1m04s changed    create artifacts  (planned 0, changed 1, failed 0)",
            "[dev] 2h01m01s info       Model import job cmi-job-01: InProgress after 7260s",
            "[dev] 2h01m01s warning    model-import slow",
        ]);
    });

    it("times a re-applied stack from its new start, and sums its runs in the summary's elapsed column", () => {
        const { board, lines, at } = fakeBoard();
        at(0);
        board.onProgress({ stack: "research", kind: "started", operation: "up" });
        at(90_000);
        board.onProgress({ stack: "research", kind: "finished" });
        at(100_000);
        board.onProgress({ stack: "dev", kind: "started", operation: "up" });
        at(400_000);
        board.onProgress({ stack: "dev", kind: "failed", message: "quota exceeded" });
        at(500_000);
        board.onProgress({ stack: "research", kind: "started", operation: "up" });
        at(530_000);
        board.onProgress({ stack: "research", kind: "finished" });
        assert.equal(lines.at(-1), "[research]    30s finished");
        const result: OrchestrationResult = {
            command: "up",
            convergencePasses: 1,
            ok: false,
            outcomes: [
                { stack: "research", status: "succeeded", runs: 2, result: { changes: { update: 1 }, outputs: {} } },
                { stack: "dev", status: "failed", runs: 1, error: "quota exceeded" },
                { stack: "prod", status: "skipped", runs: 0, error: "not run: dev did not succeed" },
            ],
        };
        const table = board.summary(result).split("\n");
        assert.match(table[0], /^stack +status +runs +elapsed +planned +changed +failed +changes \/ reason$/);
        assert.match(table[1], /^research +succeeded +2 +2m00s +0 +0 +0 +update 1$/);
        assert.match(table[2], /^dev +failed +1 +5m00s +0 +0 +1 +quota exceeded$/);
        assert.match(table[3], /^prod +skipped +0 +- +0 +0 +0 +not run/);
    });

    it("formats elapsed times from seconds to hours", () => {
        assert.deepEqual([0, 59_999, 60_000, 3_599_000, 3_600_000, 4 * 3600_000 + 5_000].map(formatElapsed), [
            "0s",
            "59s",
            "1m00s",
            "59m59s",
            "1h00m00s",
            "4h00m05s",
        ]);
    });
});
