"use strict";
(() => {
  // docs/viewer/dom.ts
  function h(tag, attributes = {}, ...children) {
    const element = document.createElement(tag);
    for (const [name, value] of Object.entries(attributes)) element.setAttribute(name, value);
    for (const child of children.flat()) {
      if (child === null || child === void 0 || child === false) continue;
      element.append(typeof child === "string" ? document.createTextNode(child) : child);
    }
    return element;
  }
  function all(selector, root = document) {
    return [...root.querySelectorAll(selector)];
  }
  function one(selector, root = document) {
    return root.querySelector(selector);
  }
  function attributeIs(name, value) {
    return `[${name}="${CSS.escape(value)}"]`;
  }

  // docs/viewer/highlight.ts
  function clearHighlight() {
    for (const element of all(".hit")) element.classList.remove("hit");
    for (const badge of all("#sidebar .hits")) badge.textContent = "";
    for (const link of all("#sidebar .matches")) link.classList.remove("matches");
  }
  function markCounts() {
    for (const view of all(".view")) {
      const count = all(".hit", view).length;
      const link = one(`#sidebar a[data-view="${CSS.escape(view.dataset["view"] ?? "")}"]`);
      const badge = link ? one(".hits", link) : null;
      if (badge) badge.textContent = count > 0 ? String(count) : "";
      link?.classList.toggle("matches", count > 0);
    }
  }
  function highlightRequirement(id) {
    clearHighlight();
    const hits = all(`[data-requirements~="${CSS.escape(id)}"]`, one("#stage") ?? document);
    for (const element of hits) element.classList.add("hit");
    for (const link of all(`#sidebar [data-requirement="${CSS.escape(id)}"]`)) link.classList.add("matches");
    markCounts();
    return hits.length;
  }
  function highlightStates(text) {
    clearHighlight();
    const needle = text.toLowerCase();
    const hits = all("[data-state]").filter((g) => (g.dataset["state"] ?? "").toLowerCase().includes(needle));
    for (const element of hits) element.classList.add("hit");
    markCounts();
    return hits.map((g) => g.dataset["state"] ?? "");
  }

  // docs/viewer/routes.ts
  var kinds = { machine: "machine", state: "state", transition: "transition", req: "requirement", flow: "flow" };
  function parseRoute(hash) {
    const [prefix, ...rest] = hash.replace(/^#/, "").split("/");
    const value = decodeURIComponent(rest.join("/"));
    const kind = kinds[prefix];
    if (kind === void 0 || value === "") return { kind: "home" };
    switch (kind) {
      case "machine":
      case "flow":
        return { kind, name: value };
      case "state":
      case "requirement":
        return { kind, id: value };
      case "transition":
        return { kind, key: value };
    }
  }
  function href(route) {
    switch (route.kind) {
      case "home":
        return "#";
      case "machine":
        return `#machine/${encodeURIComponent(route.name)}`;
      case "state":
        return `#state/${encodeURIComponent(route.id)}`;
      case "transition":
        return `#transition/${encodeURIComponent(route.key)}`;
      case "requirement":
        return `#req/${encodeURIComponent(route.id)}`;
      case "flow":
        return `#flow/${encodeURIComponent(route.name)}`;
    }
  }

  // docs/viewer/panels.ts
  var Panels = class {
    constructor(data2) {
      this.data = data2;
      this.requirements = new Map(data2.requirements.map((r) => [r.id, r]));
      this.transitionList = Object.values(data2.transitions);
    }
    link(route, text, className = "") {
      return h("a", { href: href(route), ...className ? { class: className } : {} }, text);
    }
    requirementChip(id) {
      const requirement = this.requirements.get(id);
      return h(
        "li",
        { class: "requirement" },
        this.link({ kind: "requirement", id }, id, "chip"),
        requirement ? h("span", { class: "summary" }, ` ${requirement.summary}`) : null
      );
    }
    stateName(id) {
      return this.data.states[id]?.name ?? id;
    }
    transitionItem(transition, direction) {
      const other = direction === "out" ? transition.targets.map((t) => `→ ${this.stateName(t)}`).join(", ") : direction === "in" ? `← ${this.stateName(transition.source)}` : "stays";
      return h(
        "li",
        {},
        this.link({ kind: "transition", key: transition.key }, transition.label, "transition-label"),
        h("span", { class: "muted" }, ` ${other}`),
        transition.requirements.length > 0 ? h("span", { class: "ids" }, ` ${transition.requirements.join(" · ")}`) : null,
        transition.clause ? h("span", { class: "clause" }, ` ${transition.clause}`) : null
      );
    }
    flowList(names) {
      if (names.length === 0) return h("p", { class: "muted" }, "No call flow passes here.");
      return h("ul", { class: "flows" }, names.map((name) => {
        const flow = this.data.flows.find((f) => f.name === name);
        return h("li", {}, this.link({ kind: "flow", name }, flow?.title ?? name));
      }));
    }
    section(title, ...content) {
      return h("section", {}, h("h3", {}, title), ...content);
    }
    home() {
      return h(
        "div",
        {},
        h("h2", {}, "CR 9.1.1.x at the Controlling Function"),
        h("p", {}, "Large Message Mode CPM Message to a CPM Pre-defined Group, as the state machines of cpm-cf realise it. Everything here is generated from the machines and the model-based paths."),
        h(
          "ol",
          { class: "howto" },
          h("li", {}, "Pick a step of the CR on the left: its states, transitions and call flows are listed here and highlighted in the diagrams."),
          h("li", {}, "Click a state in a diagram: its requirement IDs, transitions and the call flows that pass through it appear here."),
          h("li", {}, "Type a step ID (INV-5) or part of a state name in the search box to see where it lives.")
        ),
        h(
          "p",
          { class: "legend" },
          h("span", { class: "swatch rejecting" }),
          " rejecting branch  ",
          h("span", { class: "swatch timer" }),
          " timer event  ",
          h("span", { class: "swatch final" }),
          " final state"
        )
      );
    }
    machine(name) {
      const machine = this.data.machines.find((m) => m.name === name);
      if (!machine) return this.notFound(`machine ${name}`);
      return h(
        "div",
        {},
        h("p", { class: "kicker" }, machine.group),
        h("h2", {}, machine.name),
        machine.description ? h("p", {}, machine.description) : null,
        this.section("States", h("ul", { class: "states" }, machine.states.map((id) => {
          const state = this.data.states[id];
          return h(
            "li",
            {},
            this.link({ kind: "state", id }, state?.name ?? id),
            state && state.requirements.length > 0 ? h("span", { class: "ids" }, ` ${state.requirements.join(" · ")}`) : null
          );
        })))
      );
    }
    state(state) {
      const outgoing = this.transitionList.filter((t) => t.source === state.id && t.targets.length > 0);
      const internal = this.transitionList.filter((t) => t.source === state.id && t.targets.length === 0);
      const incoming = this.transitionList.filter((t) => t.targets.includes(state.id));
      return h(
        "div",
        { class: "state-panel", "data-panel-state": state.id },
        h("p", { class: "kicker" }, this.link({ kind: "machine", name: state.machine }, `machine ${state.machine}`)),
        h("h2", {}, state.name),
        h("p", { class: "muted mono" }, state.id),
        state.description ? h("p", {}, state.description) : null,
        state.clause ? h("p", { class: "clause" }, `Follows ${state.clause}`) : null,
        this.section("Requirements", state.requirements.length > 0 ? h("ul", { class: "requirements" }, state.requirements.map((id) => this.requirementChip(id))) : h("p", { class: "muted" }, "This state carries no step of the CR (see its clause or its transitions).")),
        state.entry.length + state.exit.length > 0 ? this.section("Activities", h(
          "ul",
          {},
          state.entry.length > 0 ? h("li", {}, `entry / ${state.entry.join(", ")}`) : null,
          state.exit.length > 0 ? h("li", {}, `exit / ${state.exit.join(", ")}`) : null
        )) : null,
        this.section(
          "Transitions",
          h(
            "ul",
            { class: "transitions" },
            outgoing.map((t) => this.transitionItem(t, "out")),
            internal.map((t) => this.transitionItem(t, "internal")),
            incoming.map((t) => this.transitionItem(t, "in"))
          )
        ),
        this.section("Call flows through this state", this.flowList(state.flows))
      );
    }
    transition(transition) {
      return h(
        "div",
        {},
        h("p", { class: "kicker" }, this.link({ kind: "machine", name: transition.machine }, `machine ${transition.machine}`)),
        h("h2", { class: "mono" }, transition.label),
        h(
          "p",
          {},
          this.link({ kind: "state", id: transition.source }, this.stateName(transition.source)),
          transition.targets.length > 0 ? " → " : " (internal)",
          ...transition.targets.map((t) => this.link({ kind: "state", id: t }, this.stateName(t)))
        ),
        transition.description ? h("p", {}, transition.description) : null,
        transition.clause ? h("p", { class: "clause" }, `Follows ${transition.clause}`) : null,
        this.section("Requirements", transition.requirements.length > 0 ? h("ul", { class: "requirements" }, transition.requirements.map((id) => this.requirementChip(id))) : h("p", { class: "muted" }, "No step of the CR.")),
        h("p", { class: "muted mono small" }, transition.key)
      );
    }
    requirement(requirement) {
      const transitions = requirement.transitions.map((key) => this.data.transitions[key]).filter((t) => t !== void 0);
      return h(
        "div",
        { class: "requirement-panel", "data-panel-requirement": requirement.id },
        h("p", { class: "kicker" }, `${requirement.block}, step ${requirement.step} · ${requirement.level}`),
        h("h2", {}, requirement.id),
        h("p", {}, requirement.summary),
        h("p", { class: "muted" }, `${requirement.paths} generated model-based paths pass through it.`),
        this.section("Realised by the states", requirement.states.length > 0 ? h("ul", { class: "states" }, requirement.states.map((id) => h("li", {}, this.link({ kind: "state", id }, this.stateName(id)), h("span", { class: "muted" }, ` ${this.data.states[id]?.machine ?? ""}`)))) : h("p", { class: "muted" }, "No state: the step is empty in the CR.")),
        this.section("Shown in the call flows", this.flowList(requirement.flows)),
        transitions.length > 0 ? this.section("And the transitions", h("ul", { class: "transitions" }, transitions.map((t) => this.transitionItem(t, "out")))) : null,
        requirement.openQuestions.length > 0 ? this.section("Open questions", h("ul", {}, requirement.openQuestions.map((q) => h("li", {}, h("a", { href: q.href }, `Q${q.number}`), ` ${q.title}`)))) : null
      );
    }
    flow(name) {
      const flow = this.data.flows.find((f) => f.name === name);
      if (!flow) return this.notFound(`call flow ${name}`);
      const machines = [...new Set(flow.states.map((id) => this.data.states[id]?.machine ?? ""))].filter((m) => m !== "");
      return h(
        "div",
        {},
        h("p", { class: "kicker" }, `call flow · final answer ${flow.answer}`),
        h("h2", {}, flow.title),
        h("p", {}, flow.summary),
        this.section("Steps of the CR it shows", h("ul", { class: "requirements" }, flow.requirements.map((id) => this.requirementChip(id)))),
        this.section("Machines it runs through", h("ul", {}, machines.map((m) => h("li", {}, this.link({ kind: "machine", name: m }, m)))))
      );
    }
    searchResults(text, states) {
      return h(
        "div",
        {},
        h("h2", {}, `States matching “${text}”`),
        states.length > 0 ? h("ul", { class: "states" }, states.map((id) => h("li", {}, this.link({ kind: "state", id }, id)))) : h("p", { class: "muted" }, "No state and no step ID matches.")
      );
    }
    notFound(what) {
      return h("p", { class: "muted" }, `No ${what} in these docs.`);
    }
  };

  // docs/viewer/views.ts
  function showView(view) {
    for (const section of all(".view")) section.hidden = section.dataset["view"] !== view;
    for (const link of all("#sidebar a")) link.classList.toggle("current", link.dataset["view"] === view);
  }
  function currentView() {
    return one(".view:not([hidden])");
  }
  function select(attribute, value = "") {
    for (const element of all(".selected")) element.classList.remove("selected");
    if (attribute === null) return;
    const view = currentView();
    const target = view ? one(attributeIs(attribute, value), view) : null;
    if (!target) return;
    target.classList.add("selected");
    target.scrollIntoView({ block: "center", inline: "center" });
  }
  function revealFirstHit() {
    const view = currentView();
    const hit = view ? one(".hit", view) : null;
    hit?.scrollIntoView({ block: "center", inline: "center" });
  }
  function setZoom(view, fit) {
    view.classList.toggle("fit", fit);
    for (const button of all("[data-zoom]", view)) button.setAttribute("aria-pressed", String(button.dataset["zoom"] === "fit" === fit));
  }

  // docs/viewer/main.ts
  function required(value, what) {
    if (value === null) throw new Error(`viewer: the page has no ${what}; regenerate it with npm run docs`);
    return value;
  }
  var data = JSON.parse(required(one("#viewer-data"), "embedded data").textContent ?? "");
  var panels = new Panels(data);
  var panel = required(one("#panel"), "side panel");
  var search = required(one("#search"), "search box");
  var stage = required(one("#stage"), "stage");
  var HOME_VIEW = "machine/session";
  function showPanel(content) {
    panel.replaceChildren(content);
    panel.scrollTop = 0;
  }
  function go(route) {
    const target = href(route);
    if (location.hash === target) render();
    else location.hash = target;
  }
  function showRequirement(id) {
    const requirement = data.requirements.find((r) => r.id === id);
    if (!requirement) {
      showPanel(panels.notFound(`step ${id}`));
      return;
    }
    search.value = requirement.id;
    highlightRequirement(requirement.id);
    const firstState = requirement.states[0];
    const home = firstState === void 0 ? void 0 : data.states[firstState]?.machine;
    const view = currentView();
    if ((view === null || !one(".hit", view)) && home !== void 0) showView(`machine/${home}`);
    select(null);
    revealFirstHit();
    showPanel(panels.requirement(requirement));
  }
  function render() {
    const route = parseRoute(location.hash);
    switch (route.kind) {
      case "home":
        showView(HOME_VIEW);
        select(null);
        showPanel(panels.home());
        return;
      case "machine":
        showView(`machine/${route.name}`);
        select(null);
        showPanel(panels.machine(route.name));
        return;
      case "state": {
        const state = data.states[route.id];
        if (!state) return showPanel(panels.notFound(`state ${route.id}`));
        showView(`machine/${state.machine}`);
        select("data-state", state.id);
        showPanel(panels.state(state));
        return;
      }
      case "transition": {
        const transition = data.transitions[route.key];
        if (!transition) return showPanel(panels.notFound(`transition ${route.key}`));
        showView(`machine/${transition.machine}`);
        select("data-transition", transition.key);
        showPanel(panels.transition(transition));
        return;
      }
      case "requirement":
        showRequirement(route.id);
        return;
      case "flow":
        showView(`flow/${route.name}`);
        select(null);
        revealFirstHit();
        showPanel(panels.flow(route.name));
        return;
    }
  }
  function onSearch() {
    const text = search.value.trim();
    if (text === "") {
      clearHighlight();
      return;
    }
    const requirement = data.requirements.find((r) => r.id.toLowerCase() === text.toLowerCase());
    if (requirement) {
      go({ kind: "requirement", id: requirement.id });
      return;
    }
    const states = highlightStates(text);
    const first = states[0];
    const view = currentView();
    if (first !== void 0 && (view === null || !one(".hit", view))) showView(`machine/${data.states[first]?.machine ?? ""}`);
    revealFirstHit();
    showPanel(panels.searchResults(text, states));
  }
  function routeOf(target) {
    const transition = target.closest("[data-transition]");
    if (transition) return { kind: "transition", key: transition.getAttribute("data-transition") ?? "" };
    const state = target.closest("[data-state]");
    if (state) return { kind: "state", id: state.getAttribute("data-state") ?? "" };
    const note = target.closest(".note[data-requirements]");
    const id = note?.getAttribute("data-requirements")?.split(" ")[0];
    return id === void 0 ? void 0 : { kind: "requirement", id };
  }
  stage.addEventListener("click", (event) => {
    const target = event.target;
    const zoom = target.closest("[data-zoom]");
    const view = currentView();
    if (zoom && view) return setZoom(view, zoom.dataset["zoom"] === "fit");
    const route = routeOf(target);
    if (route) go(route);
  });
  stage.addEventListener("keydown", (event) => {
    const route = event.key === "Enter" ? routeOf(event.target) : void 0;
    if (route) go(route);
  });
  for (const element of all("[data-state], [data-transition], .note[data-requirements]", stage)) element.setAttribute("tabindex", "0");
  search.addEventListener("input", onSearch);
  window.addEventListener("hashchange", render);
  render();
})();
