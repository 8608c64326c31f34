// NaiveStrategy dashboard: the symbols from /api/symbols, kept live by the Server-Sent Events of /api/events.
// No framework, no build step: the page, this script and its style are embedded in NaiveStrategy.AspNetCore.
"use strict";

const TOKEN_KEY = "naiveStrategyToken";
const SETTINGS = [["budget", "budget"], ["chunks", "chunks"], ["buyDownInterval", "buy down"], ["profitInterval", "profit"], ["rebuyInterval", "rebuy"]];
// The risk guards: empty is off (sent as null); the action is a choice.
const GUARDS = [["stopLossPrice", "stop loss"], ["takeProfitPrice", "take profit"], ["maxDrawdown", "max drawdown"], ["maxDailyLoss", "max daily loss"]];
const charts = {};   // symbol -> { prices: [[t, price, side]], equity: [[t, pnl]] }
let token = null;
let refreshTimer = null;

function takeToken() {
  const match = /(?:^|[#&])token=([^&]+)/.exec(location.hash);
  if (match) {
    sessionStorage.setItem(TOKEN_KEY, decodeURIComponent(match[1]));
    window.history.replaceState(null, "", location.pathname + location.search); // the token leaves the address bar
  }
  return sessionStorage.getItem(TOKEN_KEY);
}

function askToken(message) {
  const form = document.getElementById("login");
  form.hidden = false;
  document.getElementById("login-error").textContent = message || "";
  setConnection("no token", "off");
}

document.getElementById("login").addEventListener("submit", (e) => {
  e.preventDefault();
  const value = document.getElementById("token").value.trim();
  if (!value) return;
  sessionStorage.setItem(TOKEN_KEY, value);
  token = value;
  document.getElementById("login").hidden = true;
  start();
});

async function api(method, path, body) {
  const response = await fetch(path, {
    method,
    headers: Object.assign({ Authorization: "Bearer " + token }, body ? { "Content-Type": "application/json" } : {}),
    body: body ? JSON.stringify(body) : undefined,
  });
  if (response.status === 401) {
    sessionStorage.removeItem(TOKEN_KEY);
    askToken("the token was refused: enter the API token (NAIVE_API_TOKEN or the one printed at start)");
    throw new Error("unauthorized");
  }
  const json = await response.json().catch(() => null);
  if (!response.ok) {
    const error = new Error((json && (json.detail || json.title)) || response.statusText);
    error.errors = (json && json.errors) || {}; // a validation problem's messages by field
    throw error;
  }
  return json;
}

function setConnection(text, cls) {
  const el = document.getElementById("connection");
  el.textContent = text;
  el.className = "badge " + cls;
}

function el(tag, attrs, ...children) {
  const node = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs || {})) {
    if (k === "class") node.className = v; else if (k.startsWith("on")) node.addEventListener(k.slice(2), v); else node.setAttribute(k, v);
  }
  for (const c of children) if (c !== null && c !== undefined) node.append(c instanceof Node ? c : String(c));
  return node;
}

function order(o) {
  if (!o) return "–";
  return el("span", { class: o.side }, `${o.side.toUpperCase()} ${o.executedQuantity}/${o.quantity} @ ${o.price} ${o.status}`);
}

function render(symbols) {
  const main = document.getElementById("symbols");
  for (const s of symbols) {
    const h = charts[s.symbol] || (charts[s.symbol] = { prices: [], equity: [] });
    const now = Date.now();
    const last = h.equity[h.equity.length - 1];
    if (!last || last[1] !== Number(s.realizedPnl) || now - last[0] > 5000) h.equity.push([now, Number(s.realizedPnl)]);
    if (!h.seeded) { // before any event: the orders the traders hold
      h.seeded = true;
      for (const t of s.traders) for (const o of [t.buyOrder, t.sellOrder]) if (o) notePrice(s.symbol, now, Number(o.price), "placed-" + o.side);
    }

    let card = document.getElementById("symbol-" + s.symbol);
    if (!card) {
      card = el("section", { class: "symbol", id: "symbol-" + s.symbol });
      main.append(card);
    }
    const editing = card.contains(document.activeElement) && document.activeElement.tagName === "INPUT";
    const form = card.querySelector("form.settings");
    const status = el("span", { id: "status-" + s.symbol, class: "badge " + s.status, "data-status": s.status }, s.status);
    const header = el("header", {},
      el("h2", {}, s.symbol), status,
      s.waitingForFunds ? el("span", { class: "badge waiting" }, "waiting for funds") : null,
      el("button", { "data-action": "start", "data-symbol": s.symbol, onclick: () => control(s.symbol, "start") }, "Start"),
      el("button", { "data-action": "stop", "data-symbol": s.symbol, onclick: () => control(s.symbol, "stop") }, "Stop"),
      el("button", { "data-action": "shutdown", "data-symbol": s.symbol, onclick: () => control(s.symbol, "shutdown") }, "Shutdown"));
    const q = s.quoteAsset || "";
    const figures = el("div", { class: "figures" },
      el("div", {}, el("span", {}, "realized PnL"), el("b", { id: "pnl-" + s.symbol }, `${s.realizedPnl} ${q}`)),
      el("div", {}, el("span", {}, "dust"), `${s.dust} ${s.baseAsset || ""}`),
      el("div", {}, el("span", {}, "trader budget"), `${s.traderBudget} ${q}`),
      el("div", {}, el("span", {}, "free quote"), s.freeQuote === undefined ? "unknown" : `${s.freeQuote} ${q}`),
      s.waitingTraders ? el("div", {}, el("span", {}, "waiting traders"), s.waitingTraders) : null,
      s.refusal ? el("div", { class: "error" }, s.refusal) : null,
      s.guardFired ? el("div", { class: "error", id: "guard-" + s.symbol },
        `${s.guardFired.guard} guard fired at ${s.guardFired.price} (${s.guardFired.figure} vs ${s.guardFired.threshold}), ${s.guardFired.action}` +
        (s.guardFired.action === "exit" ? `: sold ${s.guardFired.sold} ${s.baseAsset || ""} for ${s.guardFired.proceeds} ${q}` : "") +
        (s.guardFired.done ? "; off until started again" : "; under way")) : null);
    const traders = el("table", { class: "traders" },
      el("thead", {}, el("tr", {}, el("th", {}, "trader"), el("th", {}, "phase"), el("th", {}, "budget"), el("th", {}, "BUY"), el("th", {}, "SELL"))),
      el("tbody", {}, ...s.traders.map((t) => el("tr", { "data-trader-id": t.id },
        el("td", { class: "trader-id" }, t.id), el("td", {}, t.phase), el("td", {}, t.budget), el("td", {}, order(t.buyOrder)), el("td", {}, order(t.sellOrder))))));
    const orders = el("table", { class: "orders" },
      el("thead", {}, el("tr", {}, el("th", {}, "order"), el("th", {}, "trader"), el("th", {}, "side"), el("th", {}, "price"), el("th", {}, "quantity"), el("th", {}, "executed"), el("th", {}, "status"))),
      el("tbody", {}, ...s.openOrders.map((o) => el("tr", {},
        el("td", {}, o.clientOrderId), el("td", {}, o.traderId), el("td", { class: o.side }, o.side.toUpperCase()), el("td", {}, o.price), el("td", {}, o.quantity), el("td", {}, o.executedQuantity), el("td", {}, o.status)))));
    const settings = editing && form ? form : settingsForm(s);
    const shownGuards = card.querySelector("form.guards");
    const guards = shownGuards && (shownGuards.contains(document.activeElement) || shownGuards.dataset.keep) ? shownGuards : guardsForm(s);
    const canvas = card.querySelector("canvas") || el("canvas", { width: 800, height: 180 });
    card.replaceChildren(header, figures, el("h3", {}, "price and equity"), canvas, el("h3", {}, `traders (${s.traders.length}/${s.settings.chunks})`), traders,
      el("h3", {}, `open orders (${s.openOrders.length})`), orders, el("h3", {}, "settings"), settings, el("h3", {}, "risk guards"), guards);
    draw(canvas, h);
  }
  document.getElementById("updated").textContent = "updated " + new Date().toLocaleTimeString();
}

function settingsForm(s) {
  const error = el("span", { class: "error" });
  const form = el("form", { class: "settings", "data-symbol": s.symbol });
  for (const [name, label] of SETTINGS) form.append(el("label", {}, label, el("input", { name, value: String(s.settings[name]), inputmode: "decimal" })));
  form.append(el("button", { type: "submit" }, "Apply"), error);
  form.addEventListener("submit", async (e) => {
    e.preventDefault();
    const patch = {};
    for (const [name] of SETTINGS) {
      const value = form.elements[name].value.trim();
      if (value !== String(s.settings[name])) patch[name] = value;
    }
    if (Object.keys(patch).length === 0) { error.textContent = "nothing changed"; return; }
    try {
      await api("PATCH", `/api/symbols/${s.symbol}/settings`, patch);
      error.textContent = "";
      document.activeElement.blur();
      refresh();
    } catch (ex) { error.textContent = ex.message; }
  });
  return form;
}

// The symbol's risk guards through PATCH /api/symbols/{symbol}/settings: only what changed is sent; each refusal is
// shown next to its field (the form is kept, as typed, until it is applied).
function guardsForm(s) {
  const problem = el("span", { class: "error", "data-error-for": "form" });
  const form = el("form", { class: "guards", "data-symbol": s.symbol });
  const shown = (v) => (v === undefined || v === null ? "" : String(v));
  for (const [name, label] of GUARDS) {
    form.append(el("label", {}, label, el("input", { name, value: shown(s.settings[name]), inputmode: "decimal", placeholder: "off" }),
      el("span", { class: "error", "data-error-for": name })));
  }
  const action = el("select", { name: "guardAction" }, el("option", { value: "stop" }, "stop"), el("option", { value: "exit" }, "exit"));
  action.value = s.settings.guardAction || "stop";
  form.append(el("label", {}, "action", action, el("span", { class: "error", "data-error-for": "guardAction" })), el("button", { type: "submit" }, "Apply guards"), problem);
  form.addEventListener("input", () => { form.dataset.keep = "1"; });
  form.addEventListener("submit", async (e) => {
    e.preventDefault();
    for (const span of form.querySelectorAll("[data-error-for]")) span.textContent = "";
    const patch = {};
    for (const [name] of GUARDS) {
      const value = form.elements[name].value.trim();
      if (value !== shown(s.settings[name])) patch[name] = value === "" || value.toLowerCase() === "off" ? null : value;
    }
    if (form.elements.guardAction.value !== (s.settings.guardAction || "stop")) patch.guardAction = form.elements.guardAction.value;
    if (Object.keys(patch).length === 0) { problem.textContent = "nothing changed"; return; }
    try {
      await api("PATCH", `/api/symbols/${s.symbol}/settings`, patch);
      delete form.dataset.keep;
      if (form.contains(document.activeElement)) document.activeElement.blur();
      log(`${s.symbol} guards: ${JSON.stringify(patch)}`);
      refresh();
    } catch (ex) {
      form.dataset.keep = "1";
      let placed = false;
      for (const [field, messages] of Object.entries(ex.errors || {})) {
        const span = form.querySelector(`[data-error-for="${field}"]`);
        if (span) { span.textContent = messages.join(" "); placed = true; }
      }
      if (!placed) problem.textContent = ex.message;
    }
  });
  return form;
}

async function control(symbol, action) {
  try {
    const result = await api("POST", `/api/symbols/${symbol}/${action}`);
    const badge = document.getElementById("status-" + symbol);
    if (badge) { badge.textContent = result.status; badge.className = "badge " + result.status; badge.dataset.status = result.status; }
    log(`${symbol} ${action}: ${result.status}`);
    refresh();
  } catch (ex) { log(`${symbol} ${action} failed: ${ex.message}`); }
}

// kind: "fill-buy" / "fill-sell" / "rebuy" (prices the market traded at) or "placed-buy" / "placed-sell" (order limits).
function notePrice(symbol, time, price, kind) {
  const h = charts[symbol] || (charts[symbol] = { prices: [], equity: [] });
  h.prices.push([time, price, kind]);
  if (h.prices.length > 2000) h.prices.splice(0, h.prices.length - 2000);
}

// The market (a line through fills and rebuy prices) with order limits as markers (left axis), and realized PnL
// (right axis), drawn by hand on a canvas.
function draw(canvas, h) {
  const ctx = canvas.getContext("2d");
  const w = canvas.width, hgt = canvas.height, pad = 40;
  ctx.clearRect(0, 0, w, hgt);
  ctx.font = "11px sans-serif";
  const times = h.prices.map((p) => p[0]).concat(h.equity.map((e) => e[0]));
  if (times.length < 1) { ctx.fillStyle = "#8a96a3"; ctx.fillText("no prices yet", pad, hgt / 2); return; }
  const t0 = Math.min(...times), t1 = Math.max(...times, t0 + 1);
  const x = (t) => pad + ((t - t0) / (t1 - t0)) * (w - 2 * pad);
  const axis = (values) => { const lo = Math.min(...values), hi = Math.max(...values); const d = (hi - lo) * 0.05 || Math.abs(hi) * 0.001 || 1; return [lo - d, hi + d]; };
  const scale = (lo, hi) => (v) => hgt - pad / 2 - ((v - lo) / (hi - lo)) * (hgt - pad);
  const line = (points, y, color) => {
    if (!points.length) return;
    ctx.strokeStyle = color; ctx.lineWidth = 1.5; ctx.beginPath();
    points.forEach((p, i) => (i ? ctx.lineTo(x(p[0]), y(p[1])) : ctx.moveTo(x(p[0]), y(p[1]))));
    ctx.stroke();
  };
  if (h.prices.length) {
    const [lo, hi] = axis(h.prices.map((p) => p[1]));
    const y = scale(lo, hi);
    line(h.prices.filter((p) => !p[2].startsWith("placed")), y, "#58a6ff");
    for (const [t, v, kind] of h.prices) {
      const color = kind.endsWith("sell") ? "#f85149" : kind.endsWith("buy") ? "#3fb950" : "#58a6ff";
      if (kind.startsWith("placed")) { ctx.strokeStyle = color; ctx.lineWidth = 1; ctx.strokeRect(x(t) - 3, y(v) - 3, 6, 6); }
      else { ctx.fillStyle = color; ctx.beginPath(); ctx.arc(x(t), y(v), 3, 0, 2 * Math.PI); ctx.fill(); }
    }
    ctx.fillStyle = "#58a6ff"; ctx.fillText(String(+hi.toPrecision(6)), 2, 12); ctx.fillText(String(+lo.toPrecision(6)), 2, hgt - 4);
  }
  if (h.equity.length) {
    const [lo, hi] = axis(h.equity.map((e) => e[1]).concat([0]));
    line(h.equity.concat([[t1, h.equity[h.equity.length - 1][1]]]), scale(lo, hi), "#d29922");
    ctx.fillStyle = "#d29922"; ctx.textAlign = "right"; ctx.fillText("PnL " + +hi.toPrecision(6), w - 2, 12); ctx.fillText(String(+lo.toPrecision(6)), w - 2, hgt - 4); ctx.textAlign = "left";
  }
}

function log(text) {
  document.getElementById("log-section").hidden = false;
  const list = document.getElementById("log");
  list.prepend(el("li", {}, `${new Date().toLocaleTimeString()} ${text}`));
  while (list.children.length > 100) list.lastChild.remove();
}

async function refresh() {
  try {
    render(await api("GET", "/api/symbols"));
  } catch (ex) {
    if (ex.message !== "unauthorized") setConnection("error: " + ex.message, "shutdown");
  }
}

function scheduleRefresh() {
  if (refreshTimer) return;
  refreshTimer = setTimeout(() => { refreshTimer = null; refresh(); }, 250);
}

function onEvent(type, e) {
  const time = Date.parse(e.time) || Date.now();
  if (e.price !== undefined && e.symbol) {
    const kind = type === "orderFilled" ? "fill-" + e.side : type === "orderPlaced" ? "placed-" + e.side : type === "rebuyTriggered" ? "rebuy" : null;
    if (kind) notePrice(e.symbol, time, Number(e.price), kind);
  }
  const parts = [e.symbol, type, e.traderId, e.side, e.price !== undefined ? "@ " + e.price : null, e.quantity, e.orderStatus, e.reason, e.detail].filter((p) => p !== undefined && p !== null);
  log(parts.join(" "));
  scheduleRefresh();
}

// EventSource cannot send a bearer token: read the stream with fetch and parse the SSE frames by hand.
async function listen() {
  for (;;) {
    try {
      const response = await fetch("/api/events", { headers: { Authorization: "Bearer " + token, Accept: "text/event-stream" } });
      if (response.status === 401) { askToken("the token was refused"); return; }
      setConnection("live", "on");
      const reader = response.body.getReader();
      const decoder = new TextDecoder();
      let buffer = "";
      for (;;) {
        const { value, done } = await reader.read();
        if (done) break;
        buffer += decoder.decode(value, { stream: true });
        let end;
        while ((end = buffer.indexOf("\n\n")) >= 0) {
          const frame = buffer.slice(0, end);
          buffer = buffer.slice(end + 2);
          let type = "message", data = "";
          for (const line of frame.split("\n")) {
            if (line.startsWith("event: ")) type = line.slice(7);
            else if (line.startsWith("data: ")) data += line.slice(6);
          }
          if (data) onEvent(type, JSON.parse(data));
        }
      }
    } catch (ex) { /* reconnect below */ }
    setConnection("reconnecting…", "shutdown");
    await new Promise((r) => setTimeout(r, 2000));
  }
}

function start() {
  refresh();
  listen();
  setInterval(refresh, 5000);
}

token = takeToken();
if (token) start(); else askToken();
