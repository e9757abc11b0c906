/**
 * The research stack's `perimeter` setting: how other accounts' requests to the shared artifacts,
 * key and model must reach them (see lib/policies/perimeter.ts for the two forms).
 */
import { ConfigReader } from "./reader";
import { PROJECT } from "../naming";

export const PERIMETER_MODES = ["endpoint-owner", "endpoint-id"] as const;
export type PerimeterMode = (typeof PERIMETER_MODES)[number];

export interface PerimeterConfig {
    /**
     * `endpoint-owner` (default): through a VPC endpoint of the requester's own account; research
     * reads no other stack. `endpoint-id`: through the consumer VPC's named endpoints, which
     * research reads back from every consumer stack (the stricter, cyclic form).
     */
    readonly mode: PerimeterMode;
    /** With `endpoint-owner`, endpoints must also belong to an account of this organization. */
    readonly organizationId?: string;
    /** Consumer stacks pinned to their endpoint IDs although the mode is `endpoint-owner`. */
    readonly pinnedStacks: readonly string[];
}

const ORGANIZATION_ID = /^o-[a-z0-9]{10,32}$/;
const STACK_NAME = /^[A-Za-z0-9_.-]{1,100}$/;

export function parsePerimeter(reader: ConfigReader): PerimeterConfig {
    const at = `${PROJECT}:perimeter`;
    const expected = `a map {mode?: ${PERIMETER_MODES.join(" | ")}, organizationId?, pinnedStacks?: [stack names]}`;
    const fields = reader.map(at, reader.json(at, { expected }) ?? {}, ["mode", "organizationId", "pinnedStacks"], expected) ?? {};
    const mode =
        fields.mode === undefined
            ? "endpoint-owner"
            : (reader.stringValue(`${at}.mode`, fields.mode, PERIMETER_MODES.join(" or "), (v) =>
                  (PERIMETER_MODES as readonly string[]).includes(v)
                      ? undefined
                      : `"${v}" is not a perimeter mode; expected ${PERIMETER_MODES.join(" or ")}`,
              ) as PerimeterMode | undefined);
    const organizationId =
        fields.organizationId === undefined
            ? undefined
            : reader.stringValue(`${at}.organizationId`, fields.organizationId, "an organization ID", (v) =>
                  ORGANIZATION_ID.test(v)
                      ? undefined
                      : `"${v}" is not an organization ID; expected o- followed by 10 to 32 lowercase letters or digits, e.g. "o-a1b2c3d4e5"`,
              );
    if (organizationId && mode === "endpoint-id") {
        reader.issues.add(
            `${at}.organizationId`,
            `applies to mode endpoint-owner only; with endpoint-id the named endpoints already decide. Expected no organizationId, or mode endpoint-owner`,
        );
    }
    const pinned =
        fields.pinnedStacks === undefined
            ? []
            : (reader.list(`${at}.pinnedStacks`, fields.pinnedStacks, "a list of consumer stack names") ?? [])
                  .map((s, i) =>
                      reader.stringValue(`${at}.pinnedStacks[${i}]`, s, "a consumer stack name", (v) =>
                          STACK_NAME.test(v) ? undefined : `"${v}" is not a stack name`,
                      ),
                  )
                  .filter((s): s is string => !!s);
    return { mode: mode ?? "endpoint-owner", organizationId, pinnedStacks: pinned };
}

/** Whether research pins a consumer stack to its endpoint IDs, and so reads them back from it. */
export function isPinned(perimeter: PerimeterConfig, stack: string): boolean {
    return perimeter.mode === "endpoint-id" || perimeter.pinnedStacks.includes(stack);
}
