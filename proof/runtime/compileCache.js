/**
 * Keeps what a ts-node service compiles in .cache/plan/transpiled/, by a hash of everything that
 * decides it (the source text, the file's path, TypeScript's and ts-node's versions, the service's
 * compiler options, the Node.js version), so that a process compiles only what changed since the
 * last one. The output is ts-node's own, character for character (Pulumi serializes functions from
 * their text); written atomically (ops/atomicFile.ts); an entry that cannot be read is compiled
 * again. Used by transpiled.js (the plan, its workers, the tests) and by the policy pack's
 * transpile-only start (proof/pack/transpileOnlyPack.js). Plain JavaScript: it is loaded before
 * TypeScript can be.
 */
const crypto = require("crypto");
const fs = require("fs");
const path = require("path");

const dir = path.join(__dirname, "..", "..", ".cache", "plan", "transpiled");

/** The output of each file compiled or read here, by path, for the stack traces' source maps. */
const outputs = new Map();
const normalized = (file) => file.replace(/\\/g, "/");
let sourceMapsInstalled = false;

/** Has `service` (a registered ts-node service) keep its output; returns it. */
function keepCompiled(service) {
    // TypeScript: loadable once `service` is registered.
    const { writeFileAtomicSync } = require("../../ops/atomicFile");
    const decidedBy = [
        require("typescript/package.json").version,
        require("ts-node/package.json").version,
        process.version,
        JSON.stringify(service.config.options),
    ].join("\n");
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
    if (!sourceMapsInstalled) {
        sourceMapsInstalled = true;
        // ts-node maps stack traces through what it compiled itself; these, through what came from here.
        require("@cspotcode/source-map-support").install({
            environment: "node",
            retrieveFile: (pathOrUrl) => outputs.get(normalized(pathOrUrl)) ?? null,
        });
    }
    return service;
}

module.exports = { keepCompiled };
