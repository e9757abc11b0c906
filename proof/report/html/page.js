// The plan's page (proof/report/html): views, toggles, the selection of a path, the table filters.
// Plain browser JavaScript inlined into index.html; it reads the JSON the page carries and loads nothing.
(function () {
    "use strict";
    const data = JSON.parse(document.getElementById("plan-data").textContent);
    // Each string is carried once; a path holds indexes into data.strings.
    for (const p of data.paths) for (const field of data.stringFields) if (field in p) p[field] = data.strings[p[field]];
    const body = document.body;
    const $ = (selector, root) => (root || document).querySelector(selector);
    const $$ = (selector, root) => Array.from((root || document).querySelectorAll(selector));
    const el = (tag, attrs, children) => {
        const node = document.createElement(tag);
        for (const [k, v] of Object.entries(attrs || {})) {
            if (k === "text") node.textContent = v;
            else if (k === "className") node.className = v;
            else node.setAttribute(k, v);
        }
        for (const child of children || []) node.append(child);
        return node;
    };

    // Views: one tab each; the drawing, the list of its paths.
    function showView(code) {
        for (const tab of $$(".tabs button")) tab.setAttribute("aria-selected", String(tab.dataset.tab === code));
        for (const view of $$(".view, .view-list")) view.hidden = view.dataset.view !== code;
        body.dataset.view = code;
    }
    for (const tab of $$(".tabs button")) tab.addEventListener("click", () => showView(tab.dataset.tab));

    // Toggles: the forbidden paths (the second drawing of each view, and their list), the SCP panel.
    const forbidden = $("#toggle-forbidden");
    const scp = $("#toggle-scp");
    forbidden.addEventListener("change", () => body.classList.toggle("show-forbidden", forbidden.checked));
    scp.addEventListener("change", () => body.classList.toggle("show-scp", scp.checked));

    const indented = (text) => {
        try {
            return JSON.stringify(JSON.parse(text), null, 2);
        } catch (e) {
            return text;
        }
    };

    // A path's details: what it is, its verdict, and the statements that decide it.
    function pathDetail(index) {
        const p = data.paths[index];
        const row = (term, value) => [el("dt", { text: term }), el("dd", { text: value || "—" })];
        const verdict = p.holds ? "holds: " : "BROKEN: ";
        const outcome = p.result === "Allowed" ? "allowed" : "refused";
        const statements = p.statements.map((i) => {
            const s = data.statements[i];
            const effect = s.effect.split(" ")[0];
            return el("div", { className: "statement" }, [
                el("div", { className: "policy" }, [el("span", { className: "effect-" + effect, text: s.effect }), " · " + s.policy]),
                el("pre", { text: indented(s.text) }),
            ]);
        });
        return el("div", { className: "path-detail", "data-path-detail": p.id }, [
            el("div", {}, [
                el("code", { text: p.id }),
                " ",
                el("span", { className: p.holds ? "verdict-holds" : "verdict-broken", text: verdict + outcome }),
            ]),
            el("dl", {}, [
                ...row("why", p.why),
                ...row("principal", p.principalArn),
                ...row("action", p.action),
                ...row("resource", p.resourceArn),
                ...row("through", p.through),
                ...row("decided by", p.decidedBy),
                ...(p.problem ? row("problem", p.problem) : []),
            ]),
            el("h3", { text: statements.length ? "Deciding statements" : "No statement to show" }),
            ...statements,
        ]);
    }

    function showDetails(title, indexes) {
        const details = $("#details");
        details.replaceChildren(el("h3", { text: title }), ...indexes.map(pathDetail));
        details.scrollTop = 0;
    }

    function clearSelection() {
        for (const node of $$(".selected")) node.classList.remove("selected");
    }

    function selectLink(id) {
        const link = data.links[id];
        if (!link) return;
        if (link.forbidden && !forbidden.checked) {
            forbidden.checked = true;
            body.classList.add("show-forbidden");
        }
        showView(link.view);
        clearSelection();
        for (const node of $$('[data-link="' + id + '"]')) node.classList.add("selected");
        showDetails((link.step ? link.step + ". " : "") + link.title, link.paths);
    }

    function selectPath(index) {
        const p = data.paths[index];
        if (p.link) {
            selectLink(p.link);
            const detail = $('[data-path-detail="' + p.id + '"]');
            if (detail) detail.scrollIntoView({ block: "nearest" });
        } else {
            clearSelection();
            for (const node of $$('[data-path="' + index + '"]')) node.classList.add("selected");
            showDetails(p.id, [index]);
        }
    }

    const activate = (node, fn) => {
        node.addEventListener("click", fn);
        node.addEventListener("keydown", (event) => {
            if (event.key === "Enter" || event.key === " ") {
                event.preventDefault();
                fn();
            }
        });
    };
    for (const node of $$("[data-link]")) activate(node, () => selectLink(node.dataset.link));
    for (const node of $$("[data-path]")) activate(node, () => selectPath(Number(node.dataset.path)));

    // The tables, filtered by architecture, account, outcome and text.
    const filters = { arch: $("#f-arch"), account: $("#f-account"), outcome: $("#f-outcome"), text: $("#f-text") };
    const archName = {};
    for (const option of $$("#f-arch option")) archName[option.value] = option.textContent;

    function matches(row) {
        const arch = filters.arch.value;
        const account = filters.account.value;
        const outcome = filters.outcome.value;
        const text = filters.text.value.trim().toLowerCase();
        if (arch && row.arch !== arch && row.arch !== "*") return false;
        if (account && !row.accounts.includes(account)) return false;
        if (outcome && !row.outcomes.includes(outcome)) return false;
        if (text && !row.text.includes(text)) return false;
        return true;
    }

    const pathRows = data.paths.map((p, index) => ({
        index,
        arch: p.arch,
        accounts: p.accounts,
        outcomes: [p.holds ? "holds" : "broken", p.expect],
        text: [p.id, p.why, p.principalArn, p.action, p.resourceArn, p.through, p.decidedBy].join(" ").toLowerCase(),
        p,
    }));
    const findingRows = data.findings.map((f) => ({
        arch: f.arch,
        accounts: [f.stack],
        outcomes: [f.level],
        text: [f.stack, f.policy, f.resource, f.message].join(" ").toLowerCase(),
        f,
    }));

    function render() {
        const findings = findingRows.filter(matches);
        $("#findings tbody").replaceChildren(
            ...findings.map(({ f }) =>
                el("tr", { className: f.level }, [
                    el("td", { text: f.stack }),
                    el("td", { text: f.level }),
                    el("td", { text: f.policy }),
                    el("td", { text: f.resource }),
                    el("td", { text: f.message }),
                ]),
            ),
        );
        $("#findings-empty").hidden = findings.length > 0;
        $("#findings").hidden = findings.length === 0;
        const paths = pathRows.filter(matches);
        $("#matrix tbody").replaceChildren(
            ...paths.map(({ p, index }) => {
                const id = el("button", { className: "path-id", type: "button", text: p.id, title: "show in the view" });
                id.addEventListener("click", () => {
                    selectPath(index);
                    $(".workspace").scrollIntoView({ block: "start" });
                });
                return el("tr", { className: p.holds ? "holds" : "broken", "data-row": p.id }, [
                    el("td", {}, [id]),
                    el("td", { text: p.why }),
                    el("td", { text: p.principal }),
                    el("td", { text: p.action }),
                    el("td", { text: p.resource }),
                    el("td", { text: p.through || "—" }),
                    el("td", { text: p.decidedBy }),
                    el("td", {
                        className: "verdict-cell",
                        text: (p.holds ? "✅ holds" : "❌ BROKEN") + (p.expect === "allowed" ? " (required)" : " (forbidden)"),
                    }),
                ]);
            }),
        );
        $("#f-count").textContent =
            paths.length + " of " + pathRows.length + " paths · " + findings.length + " of " + findingRows.length + " findings";
    }
    for (const input of Object.values(filters)) input.addEventListener("input", render);
    render();
    showView(data.views.length ? data.views[0].code : "");
})();
