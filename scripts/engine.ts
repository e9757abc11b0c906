/** `npm run engine -- <build|test>`: the real Pulumi engine tier (proof/engine/command.ts). */
import { cli } from "../ops/cli/args";
import { SPEC, main } from "../proof/engine/command";

cli(SPEC, main);
