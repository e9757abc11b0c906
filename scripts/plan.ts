/** `npm run plan`: the offline plan of an environment (proof/plan/command.ts). */
import { cli } from "../ops/cli/args";
import { SPEC, main } from "../proof/plan/command";

if (require.main === module) cli(SPEC, main);
