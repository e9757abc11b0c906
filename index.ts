/**
 * Entry point of every stack. The stack's `cross-account-models:program` selects the program in
 * `stacks/`; the configuration is validated first, so bad input fails before any resource exists.
 */
import { loadStackConfig } from "./lib/config/load";
import { runProgram } from "./stacks";

export = async () => runProgram(loadStackConfig());
