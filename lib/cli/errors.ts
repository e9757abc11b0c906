/**
 * A mistake in how a command was called (a flag, a stack name, a missing choice). Commands print
 * its message on one line and exit 2, without a stack trace: the fix is in the command line, not
 * in the code.
 */
export class UsageError extends Error {
    constructor(message: string) {
        super(message);
        this.name = "UsageError";
    }
}
