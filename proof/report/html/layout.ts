/**
 * A view drawn as SVG with a fixed, deterministic layout, as AWS's guides draw their architectures:
 * research in the middle column, the hosting accounts left and right of it, each hosting account
 * with its roles and resources in the outer lane and its VPC (subnets, what runs there, the
 * endpoints the view's requests go through) in the lane facing research; the proof's outsiders
 * under research. Edges are curves between facing sides, passing through the VPC endpoint a request
 * uses; the required ones are numbered as the guides number their steps. No layout library: the
 * same input gives the same picture, and every box's size is known here, so the tests can check
 * that nothing overlaps.
 */
import { AccountBox, Side, View, ViewLink, ViewNode } from "./views";
import { escapeHtml, fit, textWidth, wrapName } from "./text";
import { NodeKind } from "../graph";

export interface Rect {
    readonly x: number;
    readonly y: number;
    readonly w: number;
    readonly h: number;
}

/** Sizes in pixels: the SVG is shown at its natural size, so these are what the reader sees. */
export const SIZES = {
    margin: 24,
    gap: 80,
    sideWidth: 300,
    centerWidth: 240,
    accountLane: 156,
    vpcLane: 118,
    pad: 8,
    laneGap: 10,
    nodeGap: 10,
    header: 42,
    boxGap: 18,
    top: 6,
    font: { name: 11, detail: 9.5, title: 12.5, small: 9.5 },
} as const;

export interface PlacedNode {
    readonly node: ViewNode;
    readonly rect: Rect;
    readonly name: readonly string[];
    readonly detail: string;
}

export interface PlacedBox {
    readonly box: AccountBox;
    readonly rect: Rect;
    readonly vpc?: Rect;
}

export interface DrawnLink {
    readonly link: ViewLink;
    readonly d: readonly string[];
    readonly badge?: { readonly x: number; readonly y: number };
}

export interface Drawing {
    readonly width: number;
    readonly height: number;
    readonly nodes: readonly PlacedNode[];
    readonly boxes: readonly PlacedBox[];
    /** Everything else drawn in a box that must not overlap a node: subnets, workloads, texts. */
    readonly fixtures: readonly Rect[];
    readonly links: readonly DrawnLink[];
    readonly svg: string;
}

const KIND_ORDER: readonly NodeKind[] = [
    "service",
    "role",
    "bucket",
    "key",
    "project",
    "registry",
    "repository",
    "parameter",
    "model",
    "other",
    "endpoint",
];
const rank = (n: ViewNode) => (n.standIn ? 100 : 0) + KIND_ORDER.indexOf(n.kind);

const NAME_LINE = 13;
const DETAIL_LINE = 12;

function measure(node: ViewNode, width: number): { name: string[]; detail: string; h: number } {
    const inner = width - 14;
    const name = wrapName(node.label, inner, SIZES.font.name, true, 3);
    const detail = fit(node.detail, inner, SIZES.font.detail);
    return { name, detail, h: 10 + name.length * NAME_LINE + DETAIL_LINE };
}

/** The column each side's boxes stand in. */
function columnX(side: Side): number {
    const { margin, gap, sideWidth, centerWidth } = SIZES;
    return side === "left" ? margin : side === "center" ? margin + sideWidth + gap : margin + sideWidth + gap + centerWidth + gap;
}
const columnWidth = (side: Side) => (side === "center" ? SIZES.centerWidth : SIZES.sideWidth);

const cx = (r: Rect) => r.x + r.w / 2;
const cy = (r: Rect) => r.y + r.h / 2;

type Port = "W" | "E";
interface Segment {
    readonly link: ViewLink;
    readonly from: string;
    readonly to: string;
    readonly fromPort: Port;
    readonly toPort: Port;
    readonly last: boolean;
}

function bezier(x1: number, y1: number, c1x: number, c1y: number, c2x: number, c2y: number, x2: number, y2: number, t: number) {
    const u = 1 - t;
    return {
        x: u * u * u * x1 + 3 * u * u * t * c1x + 3 * u * t * t * c2x + t * t * t * x2,
        y: u * u * u * y1 + 3 * u * u * t * c1y + 3 * u * t * t * c2y + t * t * t * y2,
    };
}

const round = (n: number) => Math.round(n * 10) / 10;
const overlaps = (a: Rect, b: Rect) => a.x < b.x + b.w && b.x < a.x + a.w && a.y < b.y + b.h && b.y < a.y + a.h;

export function layoutView(view: View, options: { forbidden: boolean; scpsOf?: ReadonlyMap<string, readonly string[]> }): Drawing {
    const { pad, nodeGap, header, boxGap, top, font } = SIZES;
    const links = view.links.filter((l) => options.forbidden || l.expect === "allowed");
    const shown = new Set(links.flatMap((l) => [l.from, l.to, ...(l.via ? [l.via] : [])]));
    const nodes = view.nodes.filter((n) => shown.has(n.id));
    const order = new Map<string, number>();
    links.forEach((l, i) => [l.from, l.via, l.to].forEach((id) => id && !order.has(id) && order.set(id, i)));
    const placed = new Map<string, PlacedNode>();
    const boxes: PlacedBox[] = [];
    const fixtures: Rect[] = [];
    const parts: string[] = [];
    const sideOfBox = new Map(view.boxes.map((b) => [b.stack, b.side]));
    const inBox = (stack: string, lane?: string) =>
        nodes
            .filter((n) => n.box === stack && (lane === undefined || n.lane === lane))
            .sort((a, b) => rank(a) - rank(b) || (order.get(a.id) ?? 0) - (order.get(b.id) ?? 0));

    const boxHeader = (box: AccountBox, rect: Rect) => {
        const scps = options.scpsOf?.get(box.stack) ?? [];
        const tagText = scps.length > 0 ? `guarded by ${scps.length} SCP${scps.length > 1 ? "s" : ""}` : "";
        const tagW = tagText ? textWidth(tagText, font.small, true) + 12 : 0;
        const titleMax = rect.w - 2 * pad - (tagW ? tagW + 6 : 0);
        parts.push(
            `<g class="account${box.outside ? " outside" : ""}" data-stack="${escapeHtml(box.stack)}">`,
            `<rect class="account-box" x="${rect.x}" y="${rect.y}" width="${rect.w}" height="${rect.h}" rx="8"/>`,
            `<text class="account-title" x="${rect.x + pad}" y="${rect.y + 17}">${escapeHtml(fit(box.title, titleMax, font.title, true))}</text>`,
            `<text class="account-subtitle" x="${rect.x + pad}" y="${rect.y + 31}">${escapeHtml(fit(box.subtitle, rect.w - 2 * pad, font.small))}</text>`,
            ...(tagText
                ? [
                      `<g class="scp-tag"><title>${escapeHtml(scps.join(", "))}</title><rect x="${round(rect.x + rect.w - pad - tagW)}" y="${rect.y + 6}" width="${round(tagW)}" height="16" rx="8"/>`,
                      `<text x="${round(rect.x + rect.w - pad - tagW / 2)}" y="${rect.y + 18}" text-anchor="middle">${escapeHtml(tagText)}</text></g>`,
                  ]
                : []),
            "</g>",
        );
    };

    /** Stacks nodes top-down from `y` in a lane, each no higher than `want` asks (its neighbours' middle), returns the bottom. */
    const stack = (list: readonly ViewNode[], x: number, width: number, y: number, want?: (n: ViewNode) => number | undefined) => {
        let cursor = y;
        for (const node of list) {
            const m = measure(node, width);
            const wanted = want?.(node);
            const at = wanted === undefined ? cursor : Math.max(cursor, Math.min(wanted - m.h / 2, cursor + 70));
            placed.set(node.id, { node, rect: { x, y: round(at), w: width, h: m.h }, name: m.name, detail: m.detail });
            cursor = at + m.h + nodeGap;
        }
        return cursor - nodeGap;
    };

    const hostingBox = (box: AccountBox, y: number): number => {
        const x = columnX(box.side);
        const w = columnWidth(box.side);
        const left = box.side !== "right";
        const accountX = left ? x + pad : x + w - pad - SIZES.accountLane;
        const vpcX = left ? x + pad + SIZES.accountLane + SIZES.laneGap : x + pad;
        const vpcW = w - 2 * pad - SIZES.accountLane - SIZES.laneGap;
        const bottomAccount = stack(inBox(box.stack, "account"), accountX, SIZES.accountLane, y + header);
        // The VPC: its range, its subnets, what runs there, the endpoints drawn, the others named.
        const vpc = box.vpc!;
        const vpcParts: string[] = [];
        const inner = vpcW - 12;
        let vy = y + header;
        vpcParts.push(
            `<text class="vpc-title" x="${vpcX + 6}" y="${vy + 14}">${escapeHtml(fit(`VPC ${vpc.cidr}`, inner, font.name, true))}</text>`,
            `<text class="vpc-note" x="${vpcX + 6}" y="${vy + 26}">${escapeHtml(fit("no internet, no NAT", inner, font.small))}</text>`,
        );
        vy += 32;
        for (const subnet of vpc.subnets) {
            const rect = { x: vpcX + 6, y: vy, w: inner, h: 16 };
            fixtures.push(rect);
            const zone = subnet.az.replace(/^[a-z]+-[a-z]+-\d/, "");
            const text = [`subnet ${subnet.az} · ${subnet.cidr}`, `subnet ${zone} · ${subnet.cidr}`, `${zone} · ${subnet.cidr}`].find(
                (t) => textWidth(t, font.small) <= inner - 8,
            );
            vpcParts.push(
                `<g class="subnet"><title>private subnet ${escapeHtml(subnet.az)} ${escapeHtml(subnet.cidr)}</title><rect x="${rect.x}" y="${rect.y}" width="${rect.w}" height="${rect.h}" rx="3"/>`,
                `<text x="${rect.x + 5}" y="${rect.y + 12}">${escapeHtml(fit(text ?? `${zone} · ${subnet.cidr}`, inner - 8, font.small))}</text></g>`,
            );
            vy += 19;
        }
        for (const workload of vpc.workloads) {
            const lines = wrapName(workload, inner - 10, font.small, false, 2);
            const rect = { x: vpcX + 6, y: vy + 2, w: inner, h: 6 + lines.length * 12 };
            fixtures.push(rect);
            vpcParts.push(
                `<g class="workload"><title>${escapeHtml(workload)}</title><rect x="${rect.x}" y="${rect.y}" width="${rect.w}" height="${rect.h}" rx="4"/>`,
                ...lines.map((l, i) => `<text x="${rect.x + 5}" y="${rect.y + 13 + i * 12}">${escapeHtml(l)}</text>`),
                "</g>",
            );
            vy += rect.h + 4;
        }
        vy += 6;
        const endpoints = inBox(box.stack, "vpc");
        vy = endpoints.length > 0 ? stack(endpoints, vpcX + 6, inner, vy) + 6 : vy;
        const drawn = new Set(endpoints.map((e) => e.label.replace(/ endpoint$/, "")));
        const others = vpc.endpoints.filter((e) => !drawn.has(e));
        if (others.length > 0) {
            const lines = wrapName(`other endpoints: ${others.join(", ")}`, inner, font.small - 0.5, false, 6);
            const rect = { x: vpcX + 6, y: vy, w: inner, h: lines.length * 11 + 2 };
            fixtures.push(rect);
            vpcParts.push(
                `<text class="vpc-note">${lines.map((l, i) => `<tspan x="${rect.x}" y="${rect.y + 9 + i * 11}">${escapeHtml(l)}</tspan>`).join("")}</text>`,
            );
            vy += rect.h;
        }
        const vpcRect = { x: vpcX, y: y + header, w: vpcW, h: round(vy + 6 - (y + header)) };
        const rect = { x, y, w, h: round(Math.max(bottomAccount, vpcRect.y + vpcRect.h) + pad - y) };
        boxHeader(box, rect);
        parts.push(
            `<g class="vpc"><rect class="vpc-box" x="${vpcRect.x}" y="${vpcRect.y}" width="${vpcRect.w}" height="${vpcRect.h}" rx="6"/>`,
            ...vpcParts,
            "</g>",
        );
        boxes.push({ box, rect, vpc: vpcRect });
        return rect.y + rect.h;
    };

    const plainBox = (box: AccountBox, y: number, want?: (n: ViewNode) => number | undefined): number => {
        const x = columnX(box.side);
        const w = columnWidth(box.side);
        const bottom = stack(inBox(box.stack), x + pad, w - 2 * pad, y + header, want);
        const rect = { x, y, w, h: round(Math.max(bottom, y + header) + pad - y) };
        boxHeader(box, rect);
        boxes.push({ box, rect });
        return rect.y + rect.h;
    };

    // The sides first, so the middle column can place each node near the nodes it is linked to.
    const boxesShown = view.boxes.filter((b) => nodes.some((n) => n.box === b.stack));
    for (const side of ["left", "right"] as const) {
        let y = top;
        for (const box of boxesShown.filter((b) => b.side === side)) {
            const bottom = box.vpc ? hostingBox(box, y) : plainBox(box, y);
            y = bottom + boxGap;
        }
    }
    const neighbours = (id: string) =>
        links.flatMap((l) => {
            const chain = [l.from, ...(l.via ? [l.via] : []), l.to];
            return chain.flatMap((n, i) => (n === id ? [chain[i - 1], chain[i + 1]].filter((m): m is string => !!m) : []));
        });
    const want = (node: ViewNode) => {
        const ys = neighbours(node.id)
            .map((id) => placed.get(id))
            .filter((p): p is PlacedNode => p !== undefined && sideOfBox.get(p.node.box) !== "center")
            .map((p) => cy(p.rect));
        return ys.length > 0 ? ys.reduce((a, b) => a + b, 0) / ys.length : undefined;
    };
    let y = top;
    for (const box of boxesShown.filter((b) => b.side === "center")) y = plainBox(box, y, box.outside ? undefined : want) + boxGap;

    // Edges: one segment per hop (a request through an endpoint has two), each end on the side facing the other end.
    const sideOf = (id: string) => sideOfBox.get(placed.get(id)!.node.box) ?? "center";
    const stackSide = (link: ViewLink): Port => (sideOfBox.get(link.results[0]?.path.stack ?? "") === "right" ? "E" : "W");
    const segments: Segment[] = links.flatMap((link) => {
        const chain = [link.from, ...(link.via ? [link.via] : []), link.to];
        return chain.slice(1).map((to, i) => {
            const from = chain[i];
            const a = placed.get(from)!.rect;
            const b = placed.get(to)!.rect;
            const apart = a.x + a.w <= b.x || b.x + b.w <= a.x;
            let fromPort: Port;
            let toPort: Port;
            if (apart) {
                fromPort = cx(b) > cx(a) ? "E" : "W";
                toPort = fromPort === "E" ? "W" : "E";
            } else {
                // One above the other: a loop out on the account's outer side (for the middle, the side of the path's stack).
                const side = sideOf(from);
                fromPort = toPort = side === "left" ? "W" : side === "right" ? "E" : stackSide(link);
            }
            return { link, from, to, fromPort, toPort, last: i === chain.length - 2 };
        });
    });
    // Ports spread along each side, ordered by where the other end is, so edges do not cross at a node.
    const ports = new Map<string, { segment: Segment; end: "from" | "to"; other: number }[]>();
    for (const segment of segments) {
        for (const end of ["from", "to"] as const) {
            const key = `${segment[end]}|${end === "from" ? segment.fromPort : segment.toPort}`;
            const other = placed.get(end === "from" ? segment.to : segment.from)!.rect;
            ports.set(key, [...(ports.get(key) ?? []), { segment, end, other: cy(other) }]);
        }
    }
    const at = new Map<Segment, { from?: number; to?: number }>();
    for (const [key, list] of ports) {
        const rect = placed.get(key.split("|")[0])!.rect;
        list.sort((p, q) => p.other - q.other);
        list.forEach((p, i) => {
            const yy = rect.y + (rect.h * (i + 1)) / (list.length + 1);
            at.set(p.segment, { ...at.get(p.segment), [p.end]: round(yy) });
        });
    }
    const badges: { x: number; y: number }[] = [];
    const obstacles = [...placed.values()].map((p) => p.rect);
    const drawn: DrawnLink[] = links.map((link) => {
        const d: string[] = [];
        let badge: { x: number; y: number } | undefined;
        for (const segment of segments.filter((s) => s.link === link)) {
            const a = placed.get(segment.from)!.rect;
            const b = placed.get(segment.to)!.rect;
            const x1 = segment.fromPort === "E" ? a.x + a.w : a.x;
            const x2 = segment.toPort === "E" ? b.x + b.w : b.x;
            const y1 = at.get(segment)!.from!;
            const y2 = at.get(segment)!.to!;
            const s1 = segment.fromPort === "E" ? 1 : -1;
            const s2 = segment.toPort === "E" ? 1 : -1;
            const loop = segment.fromPort === segment.toPort;
            const dx = loop ? 18 + Math.min(30, Math.abs(y2 - y1) * 0.08) : Math.max(20, Math.abs(x2 - x1) * 0.5);
            const c = [x1 + s1 * dx, y1, x2 + s2 * dx, y2] as const;
            d.push(`M${round(x1)},${y1} C${round(c[0])},${c[1]} ${round(c[2])},${c[3]} ${round(x2)},${y2}`);
            if (segment.last && link.step !== undefined) {
                // The step's number on the edge, where it is clear of nodes and other numbers.
                for (const t of [0.5, 0.4, 0.6, 0.3, 0.7, 0.22, 0.78, 0.5]) {
                    const p = bezier(x1, y1, c[0], c[1], c[2], c[3], x2, y2, t);
                    const box = { x: p.x - 10, y: p.y - 10, w: 20, h: 20 };
                    badge = { x: round(p.x), y: round(p.y) };
                    if (!obstacles.some((o) => overlaps(o, box)) && !badges.some((q) => Math.hypot(q.x - p.x, q.y - p.y) < 21)) break;
                }
                badges.push(badge!);
            }
        }
        return { link, d, badge };
    });

    const width = columnX("right") + SIZES.sideWidth + SIZES.margin;
    const height = round(Math.max(...boxes.map((b) => b.rect.y + b.rect.h)) + top);
    const linkClass = (l: ViewLink) => (!l.holds ? "broken" : l.expect === "allowed" ? "required" : "forbidden");
    const svg = [
        `<svg class="diagram" viewBox="0 0 ${width} ${height}" width="${width}" height="${height}" role="img" aria-label="${escapeHtml(`${view.title}: accounts, VPCs and access paths`)}">`,
        "<defs>",
        ...["required", "forbidden", "broken", "selected"].map(
            (k) =>
                `<marker id="arrow-${view.code}-${options.forbidden ? "all" : "req"}-${k}" class="arrow-${k}" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="7" markerHeight="7" orient="auto-start-reverse"><path d="${k === "forbidden" ? "M8,0 L8,10 M0,5 L8,5" : "M0,0 L10,5 L0,10 z"}"/></marker>`,
        ),
        "</defs>",
        `<g class="boxes">`,
        ...parts,
        "</g>",
        `<g class="links">`,
        ...drawn.map(({ link, d }) => {
            const marker = `url(#arrow-${view.code}-${options.forbidden ? "all" : "req"}-${linkClass(link)})`;
            const title = `${link.step !== undefined ? `${link.step}. ` : ""}${placed.get(link.from)!.node.label} → ${placed.get(link.to)!.node.label}: ${link.actions}`;
            return [
                `<g class="link ${linkClass(link)}" data-link="${link.id}" tabindex="0"><title>${escapeHtml(title)}</title>`,
                ...d.map((path) => `<path class="hit" d="${path}"/>`),
                ...d.map((path, i) => `<path class="line" d="${path}"${i === d.length - 1 ? ` marker-end="${marker}"` : ""}/>`),
                "</g>",
            ].join("");
        }),
        "</g>",
        `<g class="nodes">`,
        ...[...placed.values()].map(({ node, rect, name, detail }) =>
            [
                `<g class="node k-${node.kind}${node.standIn ? " standin" : ""}" data-node="${escapeHtml(node.id)}"><title>${escapeHtml(node.ref)}</title>`,
                `<rect x="${rect.x}" y="${rect.y}" width="${rect.w}" height="${rect.h}" rx="${node.kind === "role" || node.kind === "service" ? 8 : 3}"/>`,
                ...name.map(
                    (line, i) =>
                        `<text class="name" x="${rect.x + 7}" y="${round(rect.y + 16 + i * NAME_LINE)}">${escapeHtml(line)}</text>`,
                ),
                `<text class="detail" x="${rect.x + 7}" y="${round(rect.y + 16 + name.length * NAME_LINE)}">${escapeHtml(detail)}</text>`,
                "</g>",
            ].join(""),
        ),
        "</g>",
        `<g class="badges">`,
        ...drawn
            .filter((l) => l.badge)
            .map(
                ({ link, badge }) =>
                    `<g class="badge ${linkClass(link)}" data-link="${link.id}"><circle cx="${badge!.x}" cy="${badge!.y}" r="9"/><text x="${badge!.x}" y="${round(badge!.y + 3.6)}" text-anchor="middle">${link.step}</text></g>`,
            ),
        "</g>",
        "</svg>",
    ].join("\n");
    return { width, height, nodes: [...placed.values()], boxes, fixtures, links: drawn, svg };
}
