/**
 * Renders DOT to SVG with Graphviz compiled to WebAssembly: no browser, no native binary, no
 * network. The instance is made once and reused, since loading the module is most of the cost.
 */
import { performance } from "perf_hooks";
import { Viz, instance } from "@viz-js/viz";

let viz: Promise<Viz> | undefined;

export async function renderSvg(dot: string): Promise<{ svg: string; ms: number }> {
    const started = performance.now();
    viz ??= instance();
    const svg = (await viz).renderString(dot, { format: "svg", engine: "dot" });
    return { svg, ms: performance.now() - started };
}
