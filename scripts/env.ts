/** `npm run env -- <command> [stack ...]`: operates an environment (ops/env/). */
import { cli } from "../ops/cli/args";
import { SPEC, main } from "../ops/env";

if (require.main === module) cli(SPEC, main);
