/**
 * The project's own files: where it lives, its stack files and its policy pack. What the real
 * tools (env, doctor, policy, plan, bench) and the offline simulation both read.
 */
import * as path from "path";
import { PROJECT_DIR } from "../lib/config/stackFile";

export { PROJECT_DIR, listStackFiles as listStacks, readStackFile as readStackConfig } from "../lib/config/stackFile";

/** The CrossGuard pack every preview and update is gated with. */
export const DEFAULT_PACK_DIR = path.join(PROJECT_DIR, "policypacks", "cross-account-guard");
/** The shipped example of a `--policy-pack-config` file, which the project's own stacks are checked with. */
export const EXAMPLE_CONFIG_PATH = path.join(DEFAULT_PACK_DIR, "policy-config.example.json");
