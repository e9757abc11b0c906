/** `npm run bench`: the policy pack, the offline plan, the access proof and program loads measured (proof/bench/command.ts). */
import { cli } from "../ops/cli/args";
import { SPEC, main } from "../proof/bench/command";

if (require.main === module) cli(SPEC, main);
