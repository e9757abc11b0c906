/**
 * The pipeline to copy (examples/github-actions/): its structure, read with js-yaml. What it must
 * do on a pull request (test, plan against the base, post summary.md, preview through the
 * orchestrator) and on a push to main (bootstrap check, up a level at a time from the matrix, each
 * stack in its own environment, OIDC credentials only), and that every command it runs is one the
 * project's parsers accept. actionlint checks the rest in the engine tier
 * (`npm run engine -- lint-workflows`).
 */
import { strict as assert } from "assert";
import * as fs from "fs";
import * as path from "path";
import * as yaml from "js-yaml";
import { PROJECT_DIR, listStacks } from "../ops/project";
import { parseCommand } from "../ops/cli/args";
import { SPEC as ENV_SPEC, envCommand } from "../ops/env";
import { SPEC as PLAN_SPEC } from "../proof/plan/command";
import { stackMatrix } from "../ops/env/matrix";

const FILE = path.join(PROJECT_DIR, "examples", "github-actions", "cross-account-models.yml");

interface Step {
    readonly uses?: string;
    readonly run?: string;
    readonly if?: string;
    readonly with?: Record<string, string>;
    readonly env?: Record<string, string>;
}
interface Job {
    readonly if?: string;
    readonly needs?: string[];
    readonly permissions?: Record<string, string>;
    readonly environment?: string;
    readonly strategy?: { matrix: string; "max-parallel"?: number };
    readonly outputs?: Record<string, string>;
    readonly env?: Record<string, string>;
    readonly steps: Step[];
}
interface Workflow {
    readonly on: { pull_request?: unknown; push?: { branches: string[] } };
    readonly permissions: Record<string, string>;
    readonly jobs: Record<string, Job>;
}

const text = fs.readFileSync(FILE, "utf8");
const workflow = yaml.load(text) as Workflow;
const jobs = workflow.jobs;
const runs = (job: Job) => job.steps.flatMap((s) => (s.run ? [s.run] : []));
const upJobs = Object.keys(jobs).filter((j) => /^up-\d+$/.test(j));

/** The npm commands a job runs, one per line, with the job's shell variables set to an example. */
function npmCommands(job: Job, vars: Record<string, string> = {}): string[][] {
    return runs(job)
        .flatMap((r) => r.split("\n"))
        .map((l) => l.trim())
        .filter((l) => /^npm run\b/.test(l))
        .map((l) =>
            l
                .replace(/ *(\|\||\|).*$/, "")
                .replace(/"\$\{base\[@\]\}"/, "--base /tmp/base-plan")
                .replace(/"?\$(\w+)"?/g, (_, name: string) => vars[name] ?? `/tmp/${name}`)
                .split(/\s+/),
        );
}

describe("the pipeline to copy (examples/github-actions/)", () => {
    it("runs on pull requests and on pushes to main, reading nothing but the repository by default", () => {
        assert.ok("pull_request" in workflow.on);
        assert.deepEqual(workflow.on.push?.branches, ["main"]);
        assert.deepEqual(workflow.permissions, { contents: "read" });
    });

    it("on a pull request: npm ci and npm test, the plan against its base with summary.md as the comment, a preview of every stack", () => {
        assert.deepEqual(runs(jobs.test), ["npm ci", "npm test"]);
        const plan = runs(jobs.plan).join("\n");
        assert.match(plan, /git worktree add "\$RUNNER_TEMP\/base" "\$BASE_SHA"/);
        assert.match(plan, /npm run plan -- --out "\$RUNNER_TEMP\/base-plan"/);
        assert.match(plan, /base=\(--base "\$RUNNER_TEMP\/base-plan"\)/);
        const comment = jobs.plan.steps.find((s) => s.uses?.startsWith("actions/github-script@"));
        assert.ok(comment?.if?.includes("github.event_name == 'pull_request'") && comment.if.includes("always()"));
        assert.match(comment!.with!.script, /reports\/plan\/summary\.md/);
        assert.match(comment!.with!.script, /updateComment[\s\S]*createComment/);
        assert.equal(jobs.plan.permissions?.["pull-requests"], "write");
        assert.ok(jobs.preview.if?.includes("pull_request"));
        assert.deepEqual(jobs.preview.needs, ["test", "plan"]);
        assert.deepEqual(npmCommands(jobs.preview), [["npm", "run", "env", "--", "preview"]]);
    });

    it("on a push to main: the bootstrap check and the matrix, then up a level at a time, each stack in its own environment", () => {
        for (const job of ["matrix", "bootstrap-check", ...upJobs, "reapply"])
            assert.ok(jobs[job].if?.includes("github.event_name == 'push'"), job);
        assert.deepEqual(npmCommands(jobs["bootstrap-check"]), [["npm", "run", "env", "--", "check-bootstrap"]]);
        assert.match(runs(jobs.matrix).join("\n"), /matrix=\$\(npm run --silent env -- matrix\)/);
        assert.equal(jobs.matrix.outputs?.matrix, "${{ steps.matrix.outputs.matrix }}");
        // As many level jobs as the shipped graph has levels, and each after the one before it.
        assert.ok(upJobs.length >= stackMatrix([]).levelCount && upJobs.length === 4);
        upJobs.forEach((job, i) => {
            assert.deepEqual(jobs[job].needs, i === 0 ? ["matrix", "bootstrap-check"] : ["matrix", `up-${i - 1}`]);
            assert.equal(jobs[job].strategy?.matrix, `\${{ fromJSON(needs.matrix.outputs.matrix).levels[${i}] }}`);
            assert.ok(jobs[job].if?.includes(`fromJSON(needs.matrix.outputs.matrix).levelCount > ${i}`));
            // The environment's lock lets one up run at a time.
            assert.equal(jobs[job].strategy?.["max-parallel"], 1);
            // The environment of the stack: prod's reviewers approve before its job starts.
            assert.equal(jobs[job].environment, "${{ matrix.stack }}");
            assert.deepEqual(npmCommands(jobs[job], { STACK: "prod" }), [["npm", "run", "env", "--", "up", "prod", "--yes"]]);
        });
        assert.ok(stackMatrix([]).stacks.includes("prod"));
        assert.equal(jobs.reapply.strategy?.matrix, "${{ fromJSON(needs.matrix.outputs.matrix).reapply }}");
        assert.ok(jobs.reapply.if?.includes("!contains(needs.*.result, 'failure')"));
    });

    it("gets AWS credentials from OIDC for the CI role only, in the jobs that touch AWS, and stores no key", () => {
        const aws = Object.entries(jobs).filter(([, job]) =>
            job.steps.some((s) => s.uses?.startsWith("aws-actions/configure-aws-credentials@")),
        );
        assert.deepEqual(aws.map(([name]) => name).sort(), ["bootstrap-check", "preview", "reapply", ...upJobs].sort());
        for (const [name, job] of Object.entries(jobs)) {
            const usesAws = aws.some(([n]) => n === name);
            assert.equal(job.permissions?.["id-token"], usesAws ? "write" : undefined, `${name}'s id-token permission`);
        }
        for (const [name, job] of aws) {
            const step = job.steps.find((s) => s.uses?.startsWith("aws-actions/configure-aws-credentials@"))!;
            assert.deepEqual(Object.keys(step.with ?? {}).sort(), ["aws-region", "role-session-name", "role-to-assume"], name);
            assert.equal(step.with!["role-to-assume"], "${{ env.CI_ROLE_ARN }}");
        }
        assert.ok(!/aws-access-key-id|aws-secret-access-key|AWS_ACCESS_KEY_ID|AWS_SECRET_ACCESS_KEY/.test(text));
    });

    it("runs only commands and flags the project's own parsers accept", () => {
        const stacks = listStacks();
        const all = Object.values(jobs).flatMap((job) => npmCommands(job, { STACK: "dev" }));
        assert.ok(all.length >= 8);
        for (const [npm, verb, script, ...rest] of all) {
            assert.deepEqual([npm, verb], ["npm", "run"]);
            // `npm run --silent env -- matrix`: npm's own flag before the script.
            const args = script === "--silent" ? rest.slice(1) : rest;
            const name = script === "--silent" ? rest[0] : script;
            const argv = args[0] === "--" ? args.slice(1) : args;
            if (name === "env") envCommand(parseCommand(ENV_SPEC, argv), stacks, false);
            else if (name === "plan") parseCommand(PLAN_SPEC, argv);
            else assert.fail(`npm run ${name} ${argv.join(" ")}`);
        }
    });
});
