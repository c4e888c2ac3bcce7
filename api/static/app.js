// claimcheck try-it page: plain DOM building only (textContent, never innerHTML), so no server text is ever parsed as HTML.
"use strict";

(() => {
  const TOKEN_KEY = "claimcheck.token";
  const CONTEXT_CHARS = 200;
  const LIMIT = 20;
  const LANGUAGES = {
    en: "English", nb: "Norwegian (Bokmål)", nn: "Norwegian (Nynorsk)", no: "Norwegian", sv: "Swedish",
    da: "Danish", de: "German", fr: "French", es: "Spanish", ru: "Russian", ar: "Arabic", und: "undetermined",
  };

  const $ = (id) => document.getElementById(id);
  const form = $("compare-form");
  const input = $("claim");
  const fieldError = $("claim-error");
  const statusLine = $("status");
  const errorBox = $("error");
  const results = $("results");
  const authBox = $("auth");
  const documents = new Map(); // document_id -> Promise<{doc, chars} | null>, fetched once per id
  let controller = null;
  let lastClaim = "";

  class ApiError extends Error {
    constructor(status, problem) {
      super(problem.title || `HTTP ${status}`);
      this.status = status;
      this.problem = problem;
    }
  }

  /** Build an element: el("p", {class: "x", lang: "nb"}, "text", childNode, ...). */
  function el(tag, attrs, ...children) {
    const node = document.createElement(tag);
    for (const [key, value] of Object.entries(attrs || {})) {
      if (value === null || value === undefined || value === false) continue;
      if (key === "hidden") node.hidden = true;
      else node.setAttribute(key, value === true ? "" : String(value));
    }
    for (const child of children) {
      if (child === null || child === undefined || child === false) continue;
      node.append(child instanceof Node ? child : document.createTextNode(String(child)));
    }
    return node;
  }

  const languageName = (code) => LANGUAGES[code] || code || "unknown";
  // passage roles other than the article's own text, as the card labels them
  const ROLE_LABELS = {
    headline: "headline", caption: "photo caption or map legend", comment: "reader comment",
    quote_box: "pull quote", fact_box: "fact box",
  };
  const plural = (n, word, many = `${word}s`) => `${n} ${n === 1 ? word : many}`;
  const token = () => sessionStorage.getItem(TOKEN_KEY) || "";

  async function api(path, options = {}) {
    const headers = { Accept: "application/json", ...(options.headers || {}) };
    if (options.body) headers["Content-Type"] = "application/json";
    if (token()) headers.Authorization = `Bearer ${token()}`;
    const response = await fetch(path, { ...options, headers, credentials: "same-origin" });
    const type = response.headers.get("Content-Type") || "";
    const body = type.includes("json") ? await response.json().catch(() => null) : null;
    if (!response.ok) {
      const problem = body && typeof body === "object" ? body : { title: response.statusText || "Error" };
      throw new ApiError(response.status, problem);
    }
    if (body === null) throw new ApiError(response.status, { title: "Unexpected response", detail: "The server did not answer with JSON." });
    return body;
  }

  /** The document once per id; null (and forgotten, so a later search retries) when the fetch fails. */
  function loadDocument(id) {
    if (!documents.has(id)) {
      const pending = api(`/v1/documents/${encodeURIComponent(id)}`)
        .then((doc) => (typeof doc.text === "string" ? { doc, chars: Array.from(doc.text) } : null))
        .catch(() => null)
        .then((entry) => {
          if (entry === null) documents.delete(id);
          return entry;
        });
      documents.set(id, pending);
    }
    return documents.get(id);
  }

  async function loadDocuments(passages) {
    const ids = [...new Set(passages.map((p) => p.document_id))];
    const entries = await Promise.all(ids.map(loadDocument));
    return new Map(ids.map((id, i) => [id, entries[i]]));
  }

  /** The passage inside ~200 characters of its article on each side; null when offsets do not match the text. */
  function context(entry, p) {
    if (!entry) return null;
    // start/end count Unicode code points (Python), so slice code points, not UTF-16 units
    const { chars } = entry;
    if (chars.slice(p.start, p.end).join("") !== p.text) return null;
    const from = Math.max(0, p.start - CONTEXT_CHARS);
    const to = Math.min(chars.length, p.end + CONTEXT_CHARS);
    let before = chars.slice(from, p.start).join("");
    let after = chars.slice(p.end, to).join("");
    if (from > 0) before = `…${before.replace(/^\S*\s+/, "")}`;
    if (to < chars.length) {
      after = after.replace(/\s+\S*$/, "");
      after += /[.!?:;]$/.test(after) ? " …" : "…";
    }
    return { before: before.replace(/^\s+/, ""), after: after.replace(/\s+$/, "") };
  }

  function attribution(a) {
    if (!a) return null;
    const cue = a.cue ? `“${a.cue}”` : "";
    const text = a.who ? `According to ${a.who}${cue ? ` (${cue})` : ""}` : `Attributed: ${cue || "unnamed source"}`;
    return el("p", { class: "attribution" }, text);
  }

  function meta(term, description) {
    return [el("dt", { class: "visually-hidden" }, term), el("dd", {}, description)];
  }

  function card(p, entry) {
    const doc = entry && entry.doc;
    const around = context(entry, p);
    const docLang = doc && doc.language && doc.language !== p.language ? doc.language : null;
    const quote = el("blockquote", { class: "quote", lang: p.language || null },
      around && around.before ? el("span", { class: "context", lang: docLang }, around.before, " ") : null,
      el("mark", {}, p.text),
      around && around.after ? el("span", { class: "context", lang: docLang }, " ", around.after) : null);
    const published = p.published ? el("time", { datetime: p.published }, p.published) : "undated";
    const comment = p.role === "comment";
    const outlet = comment ? `reader comment${p.outlet ? ` on ${p.outlet}` : ""}` : p.outlet || "unknown outlet";
    const details = el("dl", { class: "meta" },
      ...meta("Outlet", el("span", { class: p.outlet && !comment ? "outlet" : "outlet unknown" }, outlet)),
      ...(ROLE_LABELS[p.role] ? meta("Part of the article", el("span", { class: `role role-${p.role}` }, ROLE_LABELS[p.role])) : []),
      ...meta("Published", el("span", { class: "date" }, published)),
      ...meta("Language", el("abbr", { class: "lang", title: languageName(p.language) }, p.language || "?")),
      ...(typeof p.confidence === "number" && p.stance !== "neither"
        ? meta("Model probability", el("span", { class: "confidence",
          title: "The stance model's calibrated probability that the passage takes this side (not that the claim is true)" },
          `model ${Math.round(p.confidence * 100)}% ${p.stance}`))
        : []),
      ...(p.stance === "neither" && p.leaning
        ? meta("Leaning", el("span", { class: "leaning",
          title: "The calibrated probability that the passage takes a position, and how far its side was below the side floor" },
          `leans ${p.leaning} · ${Math.round(p.position_probability * 100)}% a position · ${Math.round(p.to_side * 100)} points short`))
        : []));
    const source = el("p", { class: "source" }, "Document ", el("code", {}, p.document_id),
      doc && doc.title ? ` — ${doc.title}` : null,
      around ? null : " (passage shown without context)");
    return el("li", { class: "card", "data-document-id": p.document_id, "data-passage-id": p.passage_id || null },
      quote, details, attribution(p.attribution), source);
  }

  /** Passages grouped by origin, in the answer's order: each origin's first passage shown, its repeats folded. */
  function byOrigin(passages) {
    const groups = new Map();
    for (const p of passages) {
      const key = (p.origin && p.origin.id) || p.passage_id;
      if (!groups.has(key)) groups.set(key, []);
      groups.get(key).push(p);
    }
    return [...groups.values()];
  }

  function originNote(p) {
    const first = p.origin && p.origin.first;
    if (!first || !p.origin.repeat) return null;
    const who = first.outlet || `document ${first.document_id}`;
    return el("p", { class: "origin" }, `Repeats ${who}${first.published ? ` (${first.published})` : ""}`);
  }

  /** A side's summary in one line: sources, outlets, who reported it first, languages, one source repeated. */
  function summaryLine(summary) {
    if (!summary || !summary.passages) return "No passages on this side.";
    const parts = [plural(summary.independent_sources, "independent source")];
    if (summary.outlets.length) parts.push(summary.outlets.join(", "));
    const first = summary.earliest;
    if (first) parts.push(`first: ${first.outlet || `document ${first.document_id}`} ${first.published}`);
    if (summary.languages.length) parts.push(summary.languages.map(languageName).join(", "));
    if (summary.one_origin_repeated) parts.push("one source repeated");
    return parts.join(" · ");
  }

  function fillColumn(list, passages, docs) {
    if (!passages.length) {
      list.replaceChildren(el("li", { class: "empty" }, "No passages found"));
      return;
    }
    list.replaceChildren(...byOrigin(passages).map(([head, ...repeats]) => {
      const item = card(head, docs.get(head.document_id));
      const note = originNote(head);
      if (note) item.append(note);
      if (repeats.length) {
        const folded = el("details", { class: "repeats" },
          el("summary", {}, `${plural(repeats.length, "repeat")} of the same statement elsewhere`),
          el("ol", { class: "cards" }, ...repeats.map((r) => {
            const inner = card(r, docs.get(r.document_id));
            const rnote = originNote(r);
            if (rnote) inner.append(rnote);
            return inner;
          })));
        item.append(folded);
      }
      return item;
    }));
  }

  function entityItem(entity) {
    const docs = (entity.document_ids || []).length;
    const button = el("button", { type: "button", class: "secondary", "aria-controls": "entity-claims" },
      "Disputed statements");
    button.addEventListener("click", () => showEntityClaims(entity));
    return el("li", { class: "entity" },
      el("span", { class: "entity-name" }, entity.name),
      " ", el("span", { class: "entity-type" }, entity.type || "untyped"),
      " ", el("span", { class: "entity-docs" }, plural(docs, "document")),
      " ", button);
  }

  async function showEntityClaims(entity) {
    const target = $("entity-claims");
    const signal = start(`Looking for disputed statements about ${entity.name}…`);
    try {
      const body = await api(`/v1/entities/${encodeURIComponent(entity.id)}/claims?limit=5`, { signal });
      const statements = body.statements || [];
      const passages = statements.flatMap((s) => [s.statement, ...(s.supporting || []), ...(s.contradicting || [])]);
      const docs = await loadDocuments(passages);
      if (signal.aborted) return;
      const heading = el("h4", {}, `Statements about ${entity.name}`);
      const items = statements.map((s) => el("li", { class: "statement" },
        el("p", { class: "statement-label" }, s.disputed ? "Disputed statement" : "Statement"),
        el("ol", { class: "cards" }, card(s.statement, docs.get(s.statement.document_id))),
        el("div", { class: "columns" },
          el("section", { class: "column supports" }, el("h5", {}, `Supported by ${plural((s.supporting || []).length, "passage")}`),
            el("ol", { class: "cards" }, ...(s.supporting || []).map((p) => card(p, docs.get(p.document_id))))),
          el("section", { class: "column contradicts" }, el("h5", {}, `Contradicted by ${plural((s.contradicting || []).length, "passage")}`),
            el("ol", { class: "cards" }, ...(s.contradicting || []).map((p) => card(p, docs.get(p.document_id))))))));
      target.replaceChildren(heading, items.length ? el("ol", { class: "statements" }, ...items)
        : el("p", { class: "empty" }, "No disputed statements found"));
      finish(`${plural(statements.length, "statement")} about ${entity.name}.`);
    } catch (err) {
      fail(err);
    }
  }

  function start(message) {
    if (controller) controller.abort();
    controller = new AbortController();
    hideError();
    statusLine.textContent = message;
    statusLine.classList.add("busy");
    results.setAttribute("aria-busy", "true");
    return controller.signal;
  }

  function finish(message) {
    statusLine.classList.remove("busy");
    statusLine.textContent = message;
    results.setAttribute("aria-busy", "false");
  }

  function hideError() {
    errorBox.hidden = true;
    errorBox.replaceChildren();
  }

  function fail(err) {
    if (err && err.name === "AbortError") return;
    finish("");
    const problem = err instanceof ApiError ? err.problem
      : { title: "Could not reach the server", detail: String((err && err.message) || err) };
    const title = err instanceof ApiError ? `${problem.title || "Error"} (${err.status})` : problem.title;
    const fieldErrors = Array.isArray(problem.errors) ? problem.errors : [];
    errorBox.replaceChildren(
      el("p", { class: "error-title" }, title),
      problem.detail ? el("p", {}, problem.detail) : null,
      fieldErrors.length ? el("ul", {}, ...fieldErrors.map((e) => el("li", {}, `${e.field}: ${e.message}`))) : null);
    errorBox.hidden = false;
    if (err instanceof ApiError && err.status === 401) {
      authBox.hidden = false;
      $("auth-message").textContent = token()
        ? "The server refused this token. Enter another one; it is kept only in this browser tab."
        : "This server needs a token for reads. Enter your API token; it is kept only in this browser tab.";
      $("token").focus();
    }
  }

  /** A short input without sentence punctuation reads as a name (an entity), not as a claim. */
  const nameLike = (text) => text.split(/\s+/).filter(Boolean).length <= 4 && !/[.!?]$/.test(text);

  function showColumns(visible) {
    document.querySelector(".columns").hidden = !visible;
    $("side-summaries").hidden = !visible;
    $("method").hidden = !visible;
    if (!visible) $("comments-section").hidden = true;
  }

  /** Entities first for a name-like input; compare only when none matches or the reader asks for it. */
  async function lookUp(text) {
    if (!nameLike(text)) return compare(text);
    lastClaim = text;
    const signal = start(`Looking up entities named ${text}…`);
    try {
      const found = await api(`/v1/entities?q=${encodeURIComponent(text)}&limit=5`, { signal });
      if (signal.aborted) return;
      const entities = found.entities || [];
      if (!entities.length) return compare(text);
      const anyway = el("button", { type: "button", id: "compare-anyway", class: "secondary" }, "Compare as a claim anyway");
      anyway.addEventListener("click", () => compare(text));
      $("summary").replaceChildren(`“${text}” reads as a name: ${plural(entities.length, "matching entity", "matching entities")}. `, anyway);
      $("entities").hidden = false;
      $("entity-list").replaceChildren(...entities.map(entityItem));
      $("entity-claims").replaceChildren();
      showColumns(false);
      results.hidden = false;
      finish(`${plural(entities.length, "entity", "entities")} named like “${text}”; no claim comparison was run.`);
    } catch (err) {
      fail(err);
    }
  }

  async function compare(claim) {
    lastClaim = claim;
    const signal = start("Comparing… this can take a few seconds.");
    try {
      const body = await api("/v1/compare", { method: "POST", body: JSON.stringify({ claim, limit: LIMIT }), signal });
      const supporting = body.supporting || [];
      const contradicting = body.contradicting || [];
      const related = body.related || [];
      const comments = body.comments || [];
      const docs = await loadDocuments([...supporting, ...contradicting, ...related, ...comments]);
      if (signal.aborted) return;
      const outlets = body.outlets || {};
      $("summary").replaceChildren(
        "Claim language: ", el("strong", {}, `${languageName(body.claim_language)} (${body.claim_language || "?"})`),
        ` · Passages found that support it: ${supporting.length} (${plural(outlets.supporting || 0, "named outlet")})`,
        ` · that contradict it: ${contradicting.length} (${plural(outlets.contradicting || 0, "named outlet")})`,
        ` · related, no position: ${related.length}. Counts of passages in this archive, not a weight of evidence.`);
      const sources = body.independent_sources || {};
      const count = (n, k) => `${plural(n, "passage")} · ${plural(sources[k] || 0, "independent source")}`;
      $("supports-count").textContent = count(supporting.length, "supporting");
      $("contradicts-count").textContent = count(contradicting.length, "contradicting");
      $("related-count").textContent = count(related.length, "related");
      fillColumn($("supporting"), supporting, docs);
      fillColumn($("contradicting"), contradicting, docs);
      fillColumn($("related"), related, docs);
      const summary = body.summary || {};
      for (const [id, side] of [["supports", summary.supporting], ["contradicts", summary.contradicting]]) {
        $(`${id}-summary`).textContent = summaryLine(side);  // above its column (wide screens)
        $(`${id}-summary-top`).textContent = summaryLine(side);  // both above the columns (narrow screens)
      }
      $("comments-count").textContent = `(${comments.length})`;
      $("comments-section").hidden = !comments.length;
      fillColumn($("comments"), comments, docs);
      $("entities").hidden = true;
      $("entity-list").replaceChildren();
      $("entity-claims").replaceChildren();
      $("method").textContent = body.method ? `Method: ${body.method}` : "";
      showColumns(true);
      results.hidden = false;
      finish(`Passages taking a position: ${supporting.length} supporting, ${contradicting.length} contradicting`
        + ` (counts of passages found, not a weight of evidence); ${related.length} related.`);
    } catch (err) {
      fail(err);
    }
  }

  function invalid(message) {
    fieldError.textContent = message;
    fieldError.hidden = false;
    input.setAttribute("aria-invalid", "true");
    input.focus();
  }

  form.addEventListener("submit", (event) => {
    event.preventDefault();
    const claim = input.value.trim();
    if (!claim) {
      hideError();
      invalid("Type a claim or an entity name first.");
      return;
    }
    fieldError.hidden = true;
    input.removeAttribute("aria-invalid");
    const url = new URL(window.location.href);
    url.searchParams.set("q", claim);
    window.history.replaceState(null, "", url);
    lookUp(claim);
  });

  input.addEventListener("input", () => {
    if (!fieldError.hidden && input.value.trim()) {
      fieldError.hidden = true;
      input.removeAttribute("aria-invalid");
    }
  });

  $("token-form").addEventListener("submit", (event) => {
    event.preventDefault();
    const value = $("token").value.trim();
    if (!value) return;
    sessionStorage.setItem(TOKEN_KEY, value);
    $("token").value = "";
    documents.clear();
    $("auth-message").textContent = "Token saved for this browser tab.";
    if (lastClaim) lookUp(lastClaim);
  });

  $("forget-token").addEventListener("click", () => {
    sessionStorage.removeItem(TOKEN_KEY);
    documents.clear();
    $("auth-message").textContent = "Token forgotten.";
  });

  /** One watched claim: its counts and, first, its newest contradicting match. */
  function watchItem(watch) {
    const counts = watch.matches || {};
    const item = el("li", { class: "watch", "data-watch-id": watch.id },
      el("p", { class: "watch-claim" }, el("strong", {}, watch.claim), watch.label ? ` (${watch.label})` : null),
      el("p", { class: "watch-counts" },
        `${plural(counts.supports || 0, "supporting match", "supporting matches")} · `
        + `${plural(counts.contradicts || 0, "contradicting match", "contradicting matches")}`
        + (watch.backfill && watch.backfill.status !== "done" ? ` · backfill ${watch.backfill.status}` : "")));
    const newest = watch.newest_contradicting;
    if (newest && newest.passage) {
      const p = newest.passage;
      item.prepend(el("p", { class: "watch-newest" }, "Newest contradicting: ",
        el("q", { lang: p.language || null }, p.text),
        ` — ${p.outlet || "unknown outlet"}, ${p.published || "undated"}`));
    }
    return item;
  }

  /** The watched claims (at most 10), those with a contradicting match first, newest first; quietly nothing on error. */
  async function loadWatches() {
    try {
      const page = await api("/v1/watches?limit=10");
      const details = await Promise.all((page.watches || []).map((w) => api(`/v1/watches/${encodeURIComponent(w.id)}`)));
      const found = (w) => (w.newest_contradicting && w.newest_contradicting.found) || "";
      details.sort((a, b) => (found(b) > found(a) ? 1 : found(b) < found(a) ? -1 : 0));
      $("watch-list").replaceChildren(...details.map(watchItem));
      $("watches").hidden = details.length === 0;
    } catch (err) {
      $("watches").hidden = true;
    }
  }

  if (token()) authBox.hidden = false;
  loadWatches();
  const params = new URLSearchParams(window.location.search);
  const initial = params.get("q");
  if (initial && initial.trim()) {
    input.value = initial.trim();
    lookUp(initial.trim());
  }
})();
