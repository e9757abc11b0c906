/**
 * ts-node, transpiling only, registered as `ts-node/register/transpile-only` registers it, with
 * each file's output kept in .cache/plan/transpiled/ by a hash of everything that decides it (the
 * source text, the file's path, TypeScript's and ts-node's versions, the compiler options, the
 * Node.js version), so that a worker process of the plan (proof/runtime/workerPool.ts) compiles
 * only what changed since the last one: about 2 s of CPU per worker otherwise. The output is
 * ts-node's own, character for character (Pulumi serializes functions from their text); written
 * atomically (ops/atomicFile.ts); an entry that cannot be read is compiled again. Plain
 * JavaScript: it is loaded before TypeScript can be.
 */
const crypto = require("crypto");
const fs = require("fs");
const path = require("path");

const service = require("ts-node").register({ transpileOnly: true });
const { writeFileAtomicSync } = require("../../ops/atomicFile");

const dir = path.join(__dirname, "..", "..", ".cache", "plan", "transpiled");
const decidedBy = [
    require("typescript/package.json").version,
    require("ts-node/package.json").version,
    process.version,
    JSON.stringify(service.config.options),
].join("\n");

/** The output of each file compiled or read here, by path, for the stack traces' source maps. */
const outputs = new Map();
const normalized = (file) => file.replace(/\\/g, "/");

const compile = service.compile.bind(service);
service.compile = (code, fileName, lineOffset) => {
    const key = crypto
        .createHash("sha256")
        .update(`${decidedBy}\0${fileName}\0${lineOffset ?? ""}\0`)
        .update(code)
        .digest("base64url");
    const file = path.join(dir, `${key}.js`);
    let output;
    try {
        output = fs.readFileSync(file, "utf8");
    } catch {
        output = compile(code, fileName, lineOffset);
        try {
            writeFileAtomicSync(file, output);
        } catch {
            // Not kept: compiled again next time.
        }
    }
    outputs.set(normalized(fileName), output);
    return output;
};

// ts-node maps stack traces through what it compiled itself; these, through what came from here.
require("@cspotcode/source-map-support").install({
    environment: "node",
    retrieveFile: (pathOrUrl) => outputs.get(normalized(pathOrUrl)) ?? null,
});
