/** `npm run policy`: the project's stacks checked with the policy pack offline (proof/pack/command.ts). */
import { cli } from "../ops/cli/args";
import { SPEC, main } from "../proof/pack/command";

if (require.main === module) cli(SPEC, main);
