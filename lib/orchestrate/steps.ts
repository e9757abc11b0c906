/** Running an operation's steps in order, resumably: what promotions and rollouts share. */

/**
 * Runs the steps not yet in `state.done`, in `order`, saving the state after each, so a rerun
 * after a failure starts at the step that failed. A step may resolve with fields to record in the
 * state (the smoke test's outcome), saved with its completion.
 */
export async function runResumableSteps<Step extends string, State extends { readonly done: readonly Step[] }>(
    order: readonly Step[],
    steps: Record<Step, () => Promise<Partial<State> | void>>,
    initial: State,
    hooks: { save(state: State): Promise<void>; log(message: string): void; started?(step: Step): void },
): Promise<State> {
    let state = initial;
    for (const step of order) {
        if (state.done.includes(step)) continue;
        hooks.log(`step ${step}`);
        hooks.started?.(step);
        const recorded = await steps[step]();
        state = { ...state, ...(recorded ?? {}), done: [...state.done, step] };
        await hooks.save(state);
    }
    return state;
}
