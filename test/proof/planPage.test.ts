/**
 * The plan's page (`index.html`) from a small hand-made plan result, without a browser: it is
 * self-contained (nothing loaded from a network), well formed, has a view per drawn architecture,
 * fits 1440 pixels beside its side panel, and its layout puts no box over another. The page in a
 * real browser is `npm run test:browser` (test/browser/planPage.browser.ts).
 */
import { strict as assert } from "assert";
import { htmlReport } from "../../proof/report/html";
import { Rect, SIZES, layoutView } from "../../proof/report/html/layout";
import { textWidth, wrapName } from "../../proof/report/html/text";
import { planPageFixture } from "../support/planPageFixture";

const overlap = (a: Rect, b: Rect) => a.x < b.x + b.w && b.x < a.x + a.w && a.y < b.y + b.h && b.y < a.y + a.h;
const inside = (a: Rect, b: Rect) => a.x >= b.x && a.y >= b.y && a.x + a.w <= b.x + b.w && a.y + a.h <= b.y + b.h;

/** Opening and closing tags outside scripts and styles, checked to nest properly. */
function checkNesting(html: string): void {
    const body = html.replace(/<script\b[^>]*>[\s\S]*?<\/script>/g, "").replace(/<style>[\s\S]*?<\/style>/g, "");
    const VOID = new Set(["meta", "input", "br", "path", "rect", "circle", "link", "img"]);
    const open: string[] = [];
    for (const match of body.matchAll(/<(\/?)([a-zA-Z][a-zA-Z0-9]*)\b[^>]*?(\/?)>/g)) {
        const [, closing, name, selfClosing] = match;
        const tag = name.toLowerCase();
        if (closing) assert.equal(open.pop(), tag, `</${tag}> closes <${open[open.length] ?? "nothing"}>`);
        else if (!selfClosing && !VOID.has(tag)) open.push(tag);
    }
    assert.deepEqual(open, [], "every element is closed");
}

describe("plan page (index.html)", () => {
    const { html, views } = htmlReport(planPageFixture());

    it("is self-contained: no address to load, no external script, style or font", () => {
        assert.doesNotMatch(html, /https?:\/\//);
        assert.doesNotMatch(html, /\b(src|href)\s*=\s*["']?\s*(\/\/|[a-z]+:)/i);
        assert.doesNotMatch(html, /<link\b|<script\b[^>]*\bsrc=|@import|url\((?!#)/i);
        // The data cannot end its script element.
        const json = /<script type="application\/json" id="plan-data">([\s\S]*?)<\/script>/.exec(html)![1];
        assert.doesNotMatch(json, /<\//);
        assert.ok(JSON.parse(json).paths.length > 0);
    });

    it("is well formed: one document, elements closed in order, IDs unique", () => {
        assert.ok(html.startsWith('<!DOCTYPE html>\n<html lang="en">'));
        for (const tag of ["html", "head", "body", "main"]) assert.equal(html.match(new RegExp(`<${tag}[ >]`, "g"))?.length, 1, tag);
        checkNesting(html);
        const ids = [...html.matchAll(/\sid="([^"]+)"/g)].map((m) => m[1]);
        assert.deepEqual(ids, [...new Set(ids)]);
    });

    it("has a view for every drawn architecture, with a tab, both drawings and its list of paths", () => {
        assert.deepEqual(
            views.map((v) => v.architecture),
            ["bedrock-cmi", "rekognition-shared", "sagemaker"],
        );
        for (const view of views) {
            assert.ok(html.includes(`data-tab="${view.code}"`), view.code);
            assert.equal(html.match(new RegExp(`<div class="view" data-view="${view.code}"`, "g"))?.length, 1);
            assert.ok(html.includes(`<div class="view-list" data-view="${view.code}"`));
        }
        assert.equal(html.match(/<svg class="diagram"/g)?.length, views.length * 2);
        // The VPCs, their subnets and endpoints, what runs there; the SCP panel and the tables.
        for (const part of [
            "VPC 10.20.0.0/16",
            "10.30.16.0/20",
            "s3 endpoint",
            "gateway endpoint",
            "SageMaker endpoint cross-account-models-dev",
        ])
            assert.ok(html.includes(part), part);
        for (const id of ["toggle-forbidden", "toggle-scp", "scp-panel", "f-arch", "f-account", "f-outcome", "findings", "matrix"])
            assert.ok(html.includes(`id="${id}"`), id);
    });

    it("numbers the required links, draws a request through the endpoint it uses, and shows deciding statements", () => {
        const cmi = views.find((v) => v.architecture === "bedrock-cmi")!;
        const required = cmi.links.filter((l) => l.expect === "allowed");
        assert.deepEqual(
            required.map((l) => l.step),
            required.map((_, i) => i + 1),
        );
        const read = cmi.links.find((l) => l.results.some((r) => r.path.id === "dev-cmi-02"))!;
        assert.equal(read.via, "vpce_vpce_dev_s3");
        const data = JSON.parse(/id="plan-data">([\s\S]*?)<\/script>/.exec(html)![1]);
        const text = (p: { statements: number[] }) => p.statements.map((i: number) => data.statements[i].text).join("\n");
        const byId = (id: string) => data.paths.find((p: { id: string }) => p.id === id);
        assert.match(text(byId("dev-cmi-02")), /"Sid":"HostingReads"/);
        assert.match(text(byId("dev-cmi-02")), /"Sid":"ReadArtifacts"/);
        assert.match(text(byId("dev-cmi-03")), /"Sid":"DenyOutsideEndpoints","Effect":"Deny"/);
        assert.match(text(byId("dev-cmi-04")), /refused by default/);
        assert.match(text(byId("dev-scp-01")), /"Sid":"DenyProjectChanges"/);
        for (const link of Object.values(data.links) as { paths: number[] }[])
            for (const p of link.paths) assert.ok(data.paths[p], "a link's paths are on the page");
    });

    it("lays out each view inside 1440 pixels beside the side panel, with no box over another", () => {
        for (const view of views) {
            for (const forbidden of [false, true]) {
                const drawing = layoutView(view, { forbidden });
                assert.ok(drawing.width <= 1440 - 340 - 3 * 12 - 16, `${view.code}: ${drawing.width} px wide`);
                const nodes = drawing.nodes.map((n) => n.rect);
                nodes.forEach((a, i) => nodes.slice(i + 1).forEach((b) => assert.ok(!overlap(a, b), `${view.code}: nodes overlap`)));
                for (const fixture of drawing.fixtures)
                    for (const n of nodes) assert.ok(!overlap(fixture, n), `${view.code}: a node over a subnet or note`);
                drawing.boxes.forEach((a, i) =>
                    drawing.boxes.slice(i + 1).forEach((b) => assert.ok(!overlap(a.rect, b.rect), `${view.code}: accounts overlap`)),
                );
                for (const { node, rect, name } of drawing.nodes) {
                    const box = drawing.boxes.find((b) => b.box.stack === node.box)!;
                    assert.ok(inside(rect, node.lane === "vpc" ? box.vpc! : box.rect), `${node.id} inside its ${node.lane}`);
                    for (const line of name) assert.ok(textWidth(line, SIZES.font.name, true) <= rect.w - 7, `${line} fits`);
                }
                // Every drawn link has its path; every required one a number.
                for (const link of drawing.links) {
                    assert.ok(link.d.length === (link.link.via ? 2 : 1));
                    assert.equal(link.badge !== undefined, link.link.step !== undefined);
                }
            }
        }
    });

    it("wraps long names at their natural breaks", () => {
        assert.deepEqual(wrapName("SageMakerModelExecutionRole-777788889999", 140, 11, true, 3), [
            "SageMakerModel",
            "ExecutionRole-",
            "777788889999",
        ]);
        assert.deepEqual(wrapName("model-version-arn", 140, 11, true), ["model-version-arn"]);
        const cut = wrapName("a".repeat(80), 100, 11, true, 2);
        assert.ok(cut.length <= 2 && cut[cut.length - 1].endsWith("…"));
    });

    it("says FAIL, lists the problems and marks the broken link on a failing plan", () => {
        const failing = htmlReport(planPageFixture({ broken: true }));
        assert.match(failing.html, /<title>Offline plan: FAIL<\/title>/);
        assert.match(failing.html, /<section class="panel problems">/);
        assert.match(failing.html, /class="link broken"/);
        assert.ok(failing.html.length < 120_000, `${failing.html.length} bytes`);
    });

    it("is the same page for the same plan", () => {
        assert.equal(htmlReport(planPageFixture()).html, html);
    });
});
