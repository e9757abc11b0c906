/**
 * The plan's page in a real browser: Debian's Chromium, headless, driven by playwright-core (which
 * downloads no browser). The shipped environment is planned in process, its report written to
 * reports/browser/ with a second page for a failing plan (one required path broken, a mandatory
 * finding), and each page opened from disk at 1440×900: no console error, nothing loaded but the
 * file, each view and toggle exercised, a path selected, the tables filtered, no panel over another
 * and no label outside its box. Screenshots are kept in reports/browser/screenshots/ (git-ignored).
 *
 * `npm run test:browser`; CI runs it after `npm run plan` (.ci/run). Not part of `npm test`, which
 * needs no browser. CHROMIUM_PATH names another Chromium.
 */
import { strict as assert } from "assert";
import * as fs from "fs";
import * as path from "path";
import { pathToFileURL } from "url";
import { Browser, Page, chromium } from "playwright-core";
import { PlanResult, plan } from "../../proof/plan/plan";
import { writeReport } from "../../proof/report";
import { htmlReport } from "../../proof/report/html";
import { PROJECT_DIR, listStacks } from "../../ops/project";

const OUT = path.join(PROJECT_DIR, "reports", "browser");
const SHOTS = path.join(OUT, "screenshots");
const VIEWPORT = { width: 1440, height: 900 };

/** Debian's Chromium, or the one CHROMIUM_PATH names. */
function chromiumPath(): string {
    const candidates = [process.env.CHROMIUM_PATH, "/usr/bin/chromium", "/usr/bin/chromium-browser"].filter((p): p is string => !!p);
    const found = candidates.find((p) => fs.existsSync(p));
    if (!found)
        throw new Error(
            `no Chromium at ${candidates.join(", ")}: install Debian's (apt-get install chromium) or set CHROMIUM_PATH; playwright-core downloads none`,
        );
    return found;
}

/** The plan with one required path broken (refused) and a mandatory finding on prod, as a failing plan's page shows them. */
function failing(result: PlanResult): PlanResult {
    const index = result.access.findIndex((r) => r.path.architecture === "sagemaker" && r.path.expect === "allowed" && r.path.endpointId);
    const broken = result.access[index];
    const problem = `REQUIRED path refused (${broken.path.why}): the test's broken path`;
    return {
        ...result,
        access: result.access.map((r, i) =>
            i === index
                ? {
                      ...r,
                      holds: false,
                      problem,
                      decision: {
                          allowed: false,
                          result: "ImplicitlyDenied",
                          denials: [{ policyType: "resource", explicit: false, policy: "research: BucketPolicy artifacts" }],
                      },
                  }
                : r,
        ),
        stacks: result.stacks.map((s) =>
            s.stack === "prod"
                ? {
                      ...s,
                      diagnostics: [
                          {
                              policyName: "sagemaker-vpc-only",
                              message: "the test's finding: SageMaker model x has no VPC configuration",
                              enforcementLevel: "mandatory",
                              urn: "urn:pulumi:prod::cross-account-models::cross-account-models:sagemaker:SageMakerEndpoint$aws:sagemaker/model:Model::x",
                              severity: 0,
                          } as never,
                      ],
                  }
                : s,
        ),
        problems: [problem, "stack prod: mandatory policy sagemaker-vpc-only violated by x"],
    };
}

interface Box {
    readonly name: string;
    readonly x: number;
    readonly y: number;
    readonly w: number;
    readonly h: number;
}
const overlapArea = (a: Box, b: Box) =>
    Math.max(0, Math.min(a.x + a.w, b.x + b.w) - Math.max(a.x, b.x)) * Math.max(0, Math.min(a.y + a.h, b.y + b.h) - Math.max(a.y, b.y));

/** The page's visible panels, by their bounding boxes in the page. */
const panels = (page: Page): Promise<Box[]> =>
    page.evaluate(() => {
        const win = globalThis as any;
        const doc = win.document;
        return Array.from(doc.querySelectorAll(".panel"))
            .map((el: any) => {
                const r = el.getBoundingClientRect();
                return { name: String(el.className), x: r.x + win.scrollX, y: r.y + win.scrollY, w: r.width, h: r.height };
            })
            .filter((b) => b.w > 0 && b.h > 0);
    });

/** What the visible drawing shows badly: nodes over nodes, text outside its box, text too small to read. */
const drawingFaults = (page: Page): Promise<string[]> =>
    page.evaluate(() => {
        const win = globalThis as any;
        const doc = win.document;
        const svgs = Array.from(doc.querySelectorAll("svg.diagram")).filter((s: any) => s.getBoundingClientRect().width > 0) as any[];
        const faults: string[] = [];
        if (svgs.length !== 1) faults.push(`${svgs.length} drawings visible`);
        for (const svg of svgs) {
            const scale = svg.getBoundingClientRect().width / svg.viewBox.baseVal.width;
            const within = (inner: any, outer: any) =>
                inner.left >= outer.left - 0.5 &&
                inner.right <= outer.right + 0.5 &&
                inner.top >= outer.top - 0.5 &&
                inner.bottom <= outer.bottom + 0.5;
            const nodes = Array.from(svg.querySelectorAll(".node")) as any[];
            const rects = nodes.map((n) => n.querySelector("rect").getBoundingClientRect());
            rects.forEach((a, i) =>
                rects.slice(i + 1).forEach((b, j) => {
                    if (a.left < b.right && b.left < a.right && a.top < b.bottom && b.top < a.bottom)
                        faults.push(`nodes ${nodes[i].dataset.node} and ${nodes[i + 1 + j].dataset.node} overlap`);
                }),
            );
            for (const [group, box] of [
                [".node", "rect"],
                [".subnet", "rect"],
                [".workload", "rect"],
                [".account", ".account-box"],
                [".vpc", ".vpc-box"],
            ])
                for (const g of Array.from(svg.querySelectorAll(group)) as any[]) {
                    const outer = g.querySelector(box).getBoundingClientRect();
                    for (const text of Array.from(g.querySelectorAll(":scope > text, :scope > g > text")) as any[])
                        if (!text.closest(".scp-tag") && !within(text.getBoundingClientRect(), outer))
                            faults.push(`"${text.textContent}" spills out of its ${group.slice(1)}`);
                }
            for (const text of Array.from(svg.querySelectorAll("text")) as any[]) {
                const size = parseFloat(win.getComputedStyle(text).fontSize) * scale;
                if (text.getBoundingClientRect().width > 0 && size < 8.9) faults.push(`"${text.textContent}" is ${size.toFixed(1)} px`);
            }
        }
        return faults;
    });

describe("plan page in Chromium (index.html from disk)", function () {
    let browser: Browser;
    let page: Page;
    let result: PlanResult;
    const problems: string[] = [];
    const requests: string[] = [];
    const shot = (name: string) => page.screenshot({ path: path.join(SHOTS, `${name}.png`) });
    const views = ["cmi", "rek", "sm"];

    before(async function () {
        fs.rmSync(OUT, { recursive: true, force: true });
        fs.mkdirSync(SHOTS, { recursive: true });
        const started = Date.now();
        result = await plan({ stacks: listStacks(), environment: listStacks() });
        assert.deepEqual(result.problems, []);
        await writeReport(result, OUT);
        fs.writeFileSync(path.join(OUT, "failing.html"), htmlReport(failing(result)).html);
        console.log(`      (planned and written in ${Date.now() - started} ms)`);
        browser = await chromium.launch({
            executablePath: chromiumPath(),
            args: [
                "--no-sandbox",
                "--disable-gpu",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                "--no-first-run",
            ],
        });
        page = await browser.newPage({ viewport: VIEWPORT });
        page.on("console", (m) => m.type() === "error" && problems.push(`console: ${m.text()}`));
        page.on("pageerror", (e) => problems.push(`page error: ${e.message}`));
        page.on("request", (r) => requests.push(r.url()));
        await page.goto(pathToFileURL(path.join(OUT, "index.html")).href);
    });

    after(async () => {
        await browser?.close();
    });

    it("opens from disk with no console error, loading nothing but itself", async () => {
        assert.equal(await page.title(), "Offline plan: PASS");
        assert.deepEqual(problems, []);
        assert.deepEqual(
            requests.filter((u) => !u.startsWith("file:") && !u.startsWith("data:")),
            [],
        );
    });

    it("shows each architecture's view at 1440×900 without zooming or scrolling sideways", async () => {
        for (const code of views) {
            await page.click(`button[data-tab="${code}"]`);
            assert.equal(await page.getAttribute(`button[data-tab="${code}"]`, "aria-selected"), "true");
            assert.ok(await page.isVisible(`.view[data-view="${code}"] .required-only svg`));
            for (const other of views.filter((v) => v !== code)) assert.ok(!(await page.isVisible(`.view[data-view="${other}"]`)));
            const fit = await page.evaluate(() => {
                const doc = (globalThis as any).document;
                const panel = doc.querySelector(".diagram-panel");
                const svg = Array.from(doc.querySelectorAll("svg.diagram")).find((s: any) => s.getBoundingClientRect().width > 0) as any;
                return {
                    page: doc.documentElement.scrollWidth,
                    panel: panel.scrollWidth - panel.clientWidth,
                    bottom: svg.getBoundingClientRect().bottom,
                    badges: svg.querySelectorAll(".badge").length,
                    listed: doc.querySelectorAll(`.view-list[data-view="${body()}"] ol.steps li`).length,
                };
                function body() {
                    return doc.body.dataset.view;
                }
            });
            assert.ok(fit.page <= VIEWPORT.width, `page ${fit.page} px wide`);
            assert.ok(fit.panel <= 1, `the drawing scrolls sideways by ${fit.panel} px`);
            assert.ok(fit.bottom <= VIEWPORT.height, `${code}: the drawing ends at ${fit.bottom} px, below the first screen`);
            assert.ok(fit.badges > 0 && fit.badges === fit.listed, `${code}: ${fit.badges} numbers drawn, ${fit.listed} listed`);
            assert.deepEqual(await drawingFaults(page), []);
            await shot(code);
        }
    });

    it("shows the forbidden paths behind their toggle", async () => {
        await page.click('button[data-tab="cmi"]');
        const forbiddenLinks = () => page.locator(".view:not([hidden]) svg.diagram:visible .link.forbidden").count();
        assert.equal(await forbiddenLinks(), 0);
        assert.ok(!(await page.isVisible(".view-list:not([hidden]) .forbidden-list")));
        await page.check("#toggle-forbidden");
        for (const code of views) {
            await page.click(`button[data-tab="${code}"]`);
            assert.ok(await page.isVisible(`.view[data-view="${code}"] .with-forbidden svg`));
            assert.ok((await forbiddenLinks()) > 0, `${code}: forbidden links drawn`);
            assert.ok(await page.isVisible(".view-list:not([hidden]) .forbidden-list"));
            assert.ok(
                (await page.locator(".view:not([hidden]) svg.diagram:visible .node.standin").count()) > 0,
                `${code}: stand-ins drawn`,
            );
            assert.deepEqual(await drawingFaults(page), []);
            await shot(`${code}-forbidden`);
        }
        await page.uncheck("#toggle-forbidden");
        assert.equal(await forbiddenLinks(), 0);
    });

    it("shows the SCP panel behind its toggle, and the accounts the SCPs guard", async () => {
        assert.ok(!(await page.isVisible("#scp-panel")));
        assert.ok(!(await page.isVisible(".scp-tag")));
        await page.check("#toggle-scp");
        assert.ok(await page.isVisible("#scp-panel"));
        const tags = await page.locator(".view:not([hidden]) svg.diagram:visible .scp-tag").count();
        assert.equal(tags, 2, "dev and prod are guarded");
        const text = await page.textContent("#scp-panel");
        assert.match(text!, /deny-rekognition-project-changes|deny-sagemaker-outside-vpc/);
        await page.locator("#scp-panel").scrollIntoViewIfNeeded();
        await shot("scp-panel");
        await page.click(".guardrail-paths li >> nth=0");
        assert.match((await page.textContent("#details"))!, /Deciding statements/);
        await page.uncheck("#toggle-scp");
        await page.evaluate(() => (globalThis as any).scrollTo(0, 0));
    });

    it("shows the policy statements that decide a path when it is selected", async () => {
        await page.click('button[data-tab="cmi"]');
        // The second step: the CMI role reads the artifacts through its S3 endpoint.
        await page.click('.view[data-view="cmi"] .required-only .badge >> text="2"');
        const details = (await page.textContent("#details"))!;
        assert.match(details, /^2\. BedrockCMIExecutionRole-777788889999 → model-artifacts-111122223333 via s3 endpoint/);
        assert.match(details, /Deciding statements/);
        assert.match(details, /"Effect": "Allow"/);
        assert.match(details, /bucket policy/);
        assert.equal(await page.locator('.view[data-view="cmi"] .required-only .link.selected').count(), 1);
        assert.equal(await page.locator(".view-list:not([hidden]) li.selected").count(), 1);
        await shot("selected-required");
        // A forbidden path, from the list: selecting it shows the forbidden paths and the statement that refuses it.
        await page.check("#toggle-forbidden");
        await page.click(".view-list:not([hidden]) .forbidden-list li >> nth=0");
        assert.match((await page.textContent("#details"))!, /refused/);
        assert.match((await page.textContent("#details"))!, /Deny|no Allow/);
        await shot("selected-forbidden");
        await page.uncheck("#toggle-forbidden");
    });

    it("filters the findings and the access matrix by architecture, account and outcome", async () => {
        const rows = () => page.locator("#matrix tbody tr").count();
        const total = result.access.length;
        assert.equal(await rows(), total);
        await page.selectOption("#f-arch", "sagemaker");
        assert.equal(await rows(), result.access.filter((r) => r.path.architecture === "sagemaker").length);
        await page.selectOption("#f-account", "prod");
        const prodSageMaker = await rows();
        assert.ok(prodSageMaker > 0 && prodSageMaker < result.access.filter((r) => r.path.architecture === "sagemaker").length);
        await page.selectOption("#f-outcome", "denied");
        const ids = await page.locator("#matrix tbody tr td:first-child").allTextContents();
        assert.ok(ids.length > 0);
        for (const id of ids) {
            const r = result.access.find((a) => a.path.id === id)!;
            assert.equal(r.path.architecture, "sagemaker");
            assert.equal(r.path.expect, "denied");
        }
        assert.match((await page.textContent("#f-count"))!, new RegExp(`^${ids.length} of ${total} paths`));
        await page.selectOption("#f-outcome", "broken");
        assert.equal(await rows(), 0);
        await page.selectOption("#f-outcome", "");
        await page.fill("#f-text", "model-artifacts");
        assert.ok((await rows()) > 0 && (await rows()) < prodSageMaker);
        await page.locator("#tables").scrollIntoViewIfNeeded();
        await shot("tables-filtered");
        // A path's ID in the table selects it in its view.
        await page.click("#matrix tbody tr >> nth=0 >> .path-id");
        assert.match((await page.textContent("#details"))!, /Deciding statements|No statement/);
        for (const [select, value] of [
            ["#f-arch", ""],
            ["#f-account", ""],
        ])
            await page.selectOption(select, value);
        await page.fill("#f-text", "");
        assert.equal(await rows(), total);
        await page.evaluate(() => (globalThis as any).scrollTo(0, 0));
    });

    it("keeps its panels apart, with every toggle on and off", async () => {
        for (const [forbidden, scp] of [
            [false, false],
            [true, true],
        ]) {
            await page.setChecked("#toggle-forbidden", forbidden);
            await page.setChecked("#toggle-scp", scp);
            for (const code of views) {
                await page.click(`button[data-tab="${code}"]`);
                const boxes = await panels(page);
                assert.ok(boxes.length >= 5, boxes.map((b) => b.name).join(", "));
                boxes.forEach((a, i) =>
                    boxes.slice(i + 1).forEach((b) => assert.ok(overlapArea(a, b) < 1, `${a.name} overlaps ${b.name} (${code})`)),
                );
            }
        }
        await page.setChecked("#toggle-forbidden", false);
        await page.setChecked("#toggle-scp", false);
        await page.click('button[data-tab="cmi"]');
        await shot("overview");
        assert.deepEqual(problems, []);
    });

    it("shows a failing plan: FAIL, its problems, the broken path and the finding, which the filters find", async () => {
        const failingPage = await browser.newPage({ viewport: VIEWPORT });
        const errors: string[] = [];
        failingPage.on("console", (m) => m.type() === "error" && errors.push(m.text()));
        failingPage.on("pageerror", (e) => errors.push(e.message));
        await failingPage.goto(pathToFileURL(path.join(OUT, "failing.html")).href);
        assert.equal(await failingPage.title(), "Offline plan: FAIL");
        assert.match((await failingPage.textContent(".problems"))!, /the test's broken path/);
        await failingPage.click('button[data-tab="sm"]');
        assert.equal(await failingPage.locator('.view[data-view="sm"] .required-only .link.broken').count(), 1);
        await failingPage.selectOption("#f-outcome", "broken");
        assert.equal(await failingPage.locator("#matrix tbody tr").count(), 1);
        await failingPage.selectOption("#f-outcome", "mandatory");
        assert.equal(await failingPage.locator("#findings tbody tr").count(), 1);
        await failingPage.selectOption("#f-account", "dev");
        assert.equal(await failingPage.locator("#findings tbody tr").count(), 0);
        await failingPage.selectOption("#f-account", "prod");
        await failingPage.selectOption("#f-arch", "sagemaker");
        assert.equal(await failingPage.locator("#findings tbody tr").count(), 1);
        await failingPage.screenshot({ path: path.join(SHOTS, "failing.png") });
        assert.deepEqual(errors, []);
        await failingPage.close();
    });
});
