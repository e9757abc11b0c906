/*
 * Serves the stand-in CLI (standin.js) to bin/pulumi over a local socket, from the test process:
 * the CLI's state lives in files either way, so answering here is the same as answering in a
 * process of its own, only without a Node start per invocation.
 */
"use strict";
const net = require("net");
const { invoke, streamEvents } = require("./standin");

/** Fields of a request: cwd, backend URL, PULUMI_HOME, passphrase set, argc, then argc args. */
function parseRequest(buffer) {
    const fields = buffer.toString("utf8").split("\0");
    if (fields.length < 6) return undefined;
    const argc = Number(fields[4]);
    if (fields.length < 6 + argc) return undefined;
    const [cwd, backend, home, passphrase] = fields;
    const env = { ...process.env };
    for (const [key, value] of [
        ["PULUMI_BACKEND_URL", backend],
        ["PULUMI_HOME", home],
    ]) {
        if (value) env[key] = value;
        else delete env[key];
    }
    if (passphrase) env.PULUMI_CONFIG_PASSPHRASE = env.PULUMI_CONFIG_PASSPHRASE ?? "set";
    else delete env.PULUMI_CONFIG_PASSPHRASE;
    return { cwd, env, argv: fields.slice(5, 5 + argc) };
}

/** Starts the server; resolves with its port and a close function. */
function serve() {
    const server = net.createServer((socket) => {
        let buffer = Buffer.alloc(0);
        socket.on("data", (chunk) => {
            buffer = Buffer.concat([buffer, chunk]);
            const request = parseRequest(buffer);
            if (!request) return;
            let answer;
            try {
                answer = invoke(request);
            } catch (err) {
                answer = { code: 254, stdout: "", stderr: `stand-in crashed: ${err.stack}\n` };
            }
            // As the CLI, the events reach the Automation API's events server before the process ends.
            streamEvents(answer.events)
                .catch((err) => (answer = { ...answer, code: 254, stderr: `${answer.stderr}stand-in could not stream events: ${err}\n` }))
                .then(() => socket.end(`${answer.code}\0${answer.stdout}\0${answer.stderr}\0`));
        });
    });
    return new Promise((resolve) =>
        server.listen(0, "127.0.0.1", () => resolve({ port: server.address().port, close: () => server.close() })),
    );
}

module.exports = { serve };
