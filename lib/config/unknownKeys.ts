/**
 * Keys of this project that the program never read: a typo (with the nearest setting), a setting
 * of another program, or a key in a misspelt namespace. Other namespaces (aws:, pulumi:) belong to
 * providers and the engine, which check their own.
 */
import { ConfigReader } from "./reader";
import { closest, didYouMean } from "./suggest";
import { PROJECT } from "../naming";

export function reportUnknownKeys<P extends string>(
    reader: ConfigReader,
    program: P,
    programs: readonly P[],
    settingsOf: (program: P) => ReadonlySet<string>,
): void {
    const prefix = `${PROJECT}:`;
    const own = [...settingsOf(program)].filter((k) => k.startsWith(prefix)).map((k) => k.slice(prefix.length));
    for (const unknown of reader.unaskedKeys(prefix)) {
        const owner = programs.find((p) => p !== program && settingsOf(p).has(unknown));
        reader.issues.add(
            unknown,
            owner
                ? `is a setting of ${owner} stacks, not of this ${program} stack; expected it in a ${owner} stack file, or ${prefix}program: ${owner} if this stack is one`
                : `is not a setting of ${program} stacks; ${didYouMean(unknown.slice(prefix.length), own)}expected one of ${own.join(", ")}`,
        );
    }
    for (const other of reader.unaskedKeys("")) {
        const [namespace, name] = other.split(":", 2);
        if (name !== undefined && namespace !== PROJECT && closest(namespace, [PROJECT])) {
            reader.issues.add(other, `is not in this project's namespace; did you mean "${prefix}${name}"? expected ${prefix}<setting>`);
        }
    }
}
