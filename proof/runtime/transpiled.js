/**
 * ts-node, transpiling only, registered as `ts-node/register/transpile-only` registers it, with
 * each file's output kept in .cache/plan/transpiled/ (compileCache.js), so that a worker process
 * of the plan (proof/runtime/workerPool.ts) compiles only what changed since the last one: about
 * 2 s of CPU per worker otherwise. Loaded with `node -r` by `npm run plan`, `npm run bench`, the
 * plan's worker processes and the tests (.mocharc.json).
 */
const { keepCompiled } = require("./compileCache");

keepCompiled(require("ts-node").register({ transpileOnly: true }));
