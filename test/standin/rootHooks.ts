/**
 * Mocha root hooks (.mocharc.json `require`): one stand-in CLI server for the whole run, so each
 * `pulumi` invocation in the stand-in tests is answered without starting Node (see serve.js).
 */
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { serve } = require("./serve") as { serve(): Promise<{ port: number; close(): void }> };

let server: { port: number; close(): void } | undefined;

/** The running server's port, if the root hooks started one. */
export function standInPort(): number | undefined {
    return server?.port;
}

// Mocha's parallel workers are stopped with a signal: exit properly, so exit handlers stop the
// plugin processes (policy pack, dynamic provider) a worker started (proof/pack/plugin.ts).
process.once("SIGTERM", () => process.exit(143));
process.once("SIGINT", () => process.exit(130));

export const mochaHooks = {
    async beforeAll(): Promise<void> {
        server = await serve();
    },
    afterAll(): void {
        server?.close();
        server = undefined;
    },
};
