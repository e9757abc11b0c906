/** `npm run doctor -- <hosting stack>`: checks a deployed hosting stack (ops/doctor/command.ts). */
import { cli } from "../ops/cli/args";
import { SPEC, main } from "../ops/doctor/command";

if (require.main === module) cli(SPEC, main);
