/**
 * Preloaded (`node -r`) into the policy pack's process by PolicyPackProcess.start when these exact
 * sources have already passed the type-check that run-policy-pack asks of ts-node (typeCheck.ts):
 * the pack is then registered as run-policy-pack registers it (its own compiler options, the pack's
 * tsconfig.json), transpiling only, and its output kept (proof/runtime/compileCache.js). Plain
 * JavaScript: it is loaded before TypeScript can be. run-policy-pack resolves the same ts-node
 * (`require("ts-node")` from @pulumi/pulumi/tsutils.js) and calls `register` on it when it starts.
 */
const tsNode = require("ts-node");
const { keepCompiled } = require("../runtime/compileCache");

const register = tsNode.register;
tsNode.register = (options) => keepCompiled(register({ ...options, typeCheck: false, transpileOnly: true }));
