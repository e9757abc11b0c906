/**
 * Access decisions in worker processes (proof/runtime/workerPool.ts): a batch of queries decided by
 * the simulator, in order, as {@link simulateOnce} in the parent would.
 */
import { AccessDecision, AccessQuery, simulateOnce } from "./simulator";

export interface DecisionTask {
    readonly queries: readonly AccessQuery[];
}

/** In the worker: each query simulated in turn; the first that the simulator rejects fails the batch. */
export async function handle({ queries }: DecisionTask): Promise<AccessDecision[]> {
    const decisions: AccessDecision[] = [];
    for (const query of queries) decisions.push(await simulateOnce(query));
    return decisions;
}

/** In the worker, before its first batch: loads the simulator's reference data by deciding one request. */
export async function warm(): Promise<void> {
    await simulateOnce({
        principal: "arn:aws:iam::111122223333:role/warm-up",
        action: "s3:GetObject",
        resource: "arn:aws:s3:::warm-up/key",
        resourceAccount: "111122223333",
    });
}
