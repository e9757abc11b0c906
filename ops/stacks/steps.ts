/** Running an operation's steps in order, resumably: what promotions and rollouts share. */

/**
 * A step in two parts. Config edits live in each checkout's Pulumi.<stack>.yaml while progress
 * lives in the backend, so a step done from another checkout left this checkout's files behind:
 * `ensureConfig` brings them to what the step set, idempotently and without a stack update, and
 * is rerun for the steps already done before resuming (otherwise this checkout's next
 * `pulumi up` would undo them, e.g. drop a grant). `run` is the rest: the update, a smoke test.
 */
export interface ResumableStep<State> {
    /**
     * Checked each time the step is about to run, before its config edit: a condition that may
     * have changed since the operation started (a registry approval revoked) stops it there.
     */
    readonly gate?: () => Promise<void>;
    /** Resolves with the stacks whose Pulumi.<stack>.yaml it changed. */
    readonly ensureConfig?: () => Promise<readonly string[]>;
    /** May resolve with fields to record in the state (the smoke test's outcome), saved with the step's completion. */
    readonly run?: () => Promise<Partial<State> | void>;
}

/**
 * Re-applies the config edits of the steps in `state.done`, then runs the others in `order`,
 * saving the state after each, so a rerun after a failure, from this checkout or another, starts
 * at the step that failed.
 */
export async function runResumableSteps<Step extends string, State extends { readonly done: readonly Step[] }>(
    order: readonly Step[],
    steps: Record<Step, ResumableStep<State>>,
    initial: State,
    hooks: { save(state: State): Promise<void>; log(message: string): void; started?(step: Step): void },
): Promise<State> {
    const caughtUp = new Set<string>();
    for (const step of order.filter((s) => initial.done.includes(s))) {
        for (const stack of (await steps[step].ensureConfig?.()) ?? []) caughtUp.add(stack);
    }
    if (caughtUp.size > 0) {
        hooks.log(
            `brought ${[...caughtUp].map((s) => `Pulumi.${s}.yaml`).join(", ")} up to date with the steps already done (` +
                `${initial.done.join(", ")}), as recorded in the backend; commit ${caughtUp.size > 1 ? "them" : "it"} with this operation's other changes`,
        );
    }
    let state = initial;
    for (const step of order) {
        if (state.done.includes(step)) continue;
        hooks.log(`step ${step}`);
        hooks.started?.(step);
        await steps[step].gate?.();
        await steps[step].ensureConfig?.();
        const recorded = await steps[step].run?.();
        state = { ...state, ...(recorded ?? {}), done: [...state.done, step] };
        await hooks.save(state);
    }
    return state;
}
