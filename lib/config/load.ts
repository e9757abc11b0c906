import * as pulumi from "@pulumi/pulumi";
import { StackConfig, parseStackConfig } from "./stackConfig";

/** Reads and validates the current stack's configuration; the program's only use of Pulumi config. */
export function loadStackConfig(): StackConfig {
    return parseStackConfig(pulumi.getStack(), pulumi.runtime.allConfig());
}
