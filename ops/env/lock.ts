/** `npm run env -- unlock`: releases a stale environment lock (ops/stacks/lock.ts). */
import { listStacks } from "../project";
import { unlockEnvironment } from "../stacks/lock";
import { BACKEND_OPTION, CommandGroup, defineCommand, environmentLock, usageError } from "./shared";

export const LOCK_COMMANDS: CommandGroup = {
    commands: [
        defineCommand({
            name: "unlock",
            options: BACKEND_OPTION,
            help: `  unlock    release a stale environment lock (its holder's process is gone): the lock record
            in the backend and this machine's lock file`,
            check: (stacks) => {
                if (stacks.length > 0) throw usageError("unlock takes no stack names: it releases the environment's lock");
            },
            run: async (_stacks, _values, backendUrl) => {
                const released = await unlockEnvironment(environmentLock(backendUrl, listStacks()));
                console.log(released.length > 0 ? `released ${released.join("; ")}` : "no lock was held");
                return 0;
            },
        }),
    ],
};
