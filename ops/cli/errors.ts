/**
 * Errors a user fixes outside the code: commands print their message alone, with no stack trace
 * (--debug shows it), and exit with their code.
 */
export class UserError extends Error {
    constructor(
        message: string,
        readonly exitCode = 1,
    ) {
        super(message);
        this.name = "UserError";
    }
}

/** A mistake in how a command was called (a flag, a stack name, a missing choice): exit 2. */
export class UsageError extends UserError {
    constructor(message: string) {
        super(message, 2);
        this.name = "UsageError";
    }
}
