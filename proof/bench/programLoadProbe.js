/**
 * Preloaded (`node -r`) into the program process that programLoadTimer.ts starts as the language
 * host would: when @pulumi/pulumi/cmd/run requires the program (PROGRAM_LOAD_PROBE, the absolute
 * path run.ts requires), prints how long that took, how long since the process started and every
 * module loaded by then (require.cache: the licence boundary test reads it), then exits before the
 * program runs. Plain JavaScript because it runs before run.ts registers ts-node:
 * a TypeScript probe would need a ts-node registration of its own ahead of the one being measured.
 */
"use strict";
const Module = require("module");
const { performance } = require("perf_hooks");

const program = process.env.PROGRAM_LOAD_PROBE;
const load = Module._load;
Module._load = function (request) {
    if (request !== program) return load.apply(this, arguments);
    const start = performance.now();
    load.apply(this, arguments);
    const end = performance.now();
    process.stdout.write(
        `\nprogram-load ${JSON.stringify({ programMs: end - start, totalMs: end, modules: Object.keys(require.cache) })}\n`,
    );
    process.exit(0);
};
