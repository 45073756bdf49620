// The sandbox's browser UI: long-polls /ui/state, shows channels, DMs and App Home with Block Kit
// rendered, and sends messages, /silta commands and clicks through /ui/... endpoints.
"use strict";

(() => {
  const M = SiltaMrkdwn;
  const B = SiltaBlocks;
  const HOME = "home";
  const COMMANDS = ["/silta"];
  const $ = (id) => document.getElementById(id);

  let state = null;
  let selected = localStorage.getItem("sandbox.selected") || "C0GENERAL";
  // ?channel=support (a name or an id) opens that conversation first, as `silta demo` asks
  let wanted = new URLSearchParams(location.search).get("channel");
  const lastRead = JSON.parse(localStorage.getItem("sandbox.read") || "{}");
  const expanded = new Set();

  // time stamps "1764165600.000012" compare as (seconds, counter)
  function tsKey(ts) {
    const [seconds, counter] = String(ts || "0").split(".");
    return [Number(seconds) || 0, Number(counter) || 0];
  }
  function newer(a, b) {
    const x = tsKey(a);
    const y = tsKey(b);
    return x[0] !== y[0] ? x[0] > y[0] : x[1] > y[1];
  }

  async function call(path, body) {
    const reply = await fetch(path, {
      method: "POST",
      headers: { "Content-Type": "application/json" },
      body: JSON.stringify(body || {}),
    });
    const answer = await reply.json().catch(() => ({ ok: false, error: `HTTP ${reply.status}` }));
    if (!answer.ok) toast(answer.notice || `Failed: ${answer.error || reply.status}`);
    return answer;
  }

  function toast(text) {
    const node = B.el("div", "toast");
    node.textContent = `⚠️ ${text}`;
    $("toasts").appendChild(node);
    setTimeout(() => node.remove(), 8000);
  }

  // State -------------------------------------------------------------------------------------

  async function poll() {
    let version = -1;
    for (;;) {
      try {
        const reply = await fetch(`/ui/state?since=${version}&wait=${version < 0 ? 0 : 20}`);
        if (!reply.ok) throw new Error(`HTTP ${reply.status}`);
        const next = await reply.json();
        if (next.version !== version) {
          version = next.version;
          state = next;
          render(false);
        }
        document.body.classList.remove("offline");
      } catch (error) {
        document.body.classList.add("offline");
        await new Promise((resolve) => setTimeout(resolve, 1000));
      }
    }
  }

  function conversation(id) {
    return (state.conversations || []).find((c) => c.id === id);
  }

  function ctx() {
    return { names: state.names || {}, channelNames: state.channel_names || {} };
  }

  function unread(conv) {
    const since = lastRead[conv.id] || "0";
    return conv.messages.filter(
      (m) => newer(m.ts, since) && m.user !== state.me.id && !(m.sandbox || {}).notice,
    ).length;
  }

  function markRead(conv) {
    const latest = conv.messages.length ? conv.messages[conv.messages.length - 1].ts : "0";
    if (newer(latest, lastRead[conv.id] || "0")) {
      lastRead[conv.id] = latest;
      localStorage.setItem("sandbox.read", JSON.stringify(lastRead));
    }
  }

  // Sidebar ------------------------------------------------------------------------------------

  function entry(id, label, count, cls) {
    const item = B.el("li", `entry ${cls || ""} ${id === selected ? "selected" : ""}`.trim());
    item.dataset.id = id;
    const name = B.el("span", "label");
    name.textContent = label;
    item.appendChild(name);
    if (count) {
      const badge = B.el("span", "unread");
      badge.textContent = String(count);
      item.appendChild(badge);
      item.classList.add("has-unread");
    }
    item.addEventListener("click", () => select(id));
    return item;
  }

  function renderSidebar() {
    $("me").textContent = `You are @${state.me.name}`;
    $("connection").textContent = state.connected ? "● connected to Silta" : "○ no bot connected";
    $("connection").className = `connection ${state.connected ? "on" : "off"}`;
    const lists = { channels: [], dms: [], others: [] };
    for (const conv of state.conversations) {
      const count = conv.id === selected ? 0 : unread(conv);
      if (conv.kind === "channel") {
        lists.channels.push(entry(conv.id, `# ${conv.name}`, count, conv.member ? "" : "not-member"));
      } else {
        lists[conv.mine ? "dms" : "others"].push(entry(conv.id, conv.label, conv.mine ? count : 0));
      }
    }
    for (const [id, items] of Object.entries(lists)) $(id).replaceChildren(...items);
    $("others-title").hidden = lists.others.length === 0;
    $("apps").replaceChildren(entry(HOME, "Silta (Home)", 0, "app"));
  }

  // Messages -----------------------------------------------------------------------------------

  function author(message) {
    if (message.sandbox && message.sandbox.notice) return "Sandbox";
    if (message.bot_id) return "Silta";
    return (state.names || {})[message.user] || message.user || "someone";
  }

  function timeOf(ts) {
    const date = new Date(tsKey(ts)[0] * 1000);
    return date.toLocaleTimeString([], { hour: "2-digit", minute: "2-digit" });
  }

  function files(message) {
    const node = B.el("div", "files");
    for (const file of message.files || []) {
      const name = String(file.name || file.title || file.id);
      const href = `/files/${encodeURIComponent(file.id)}/${encodeURIComponent(name)}`;
      const link = B.el("a", "file");
      link.href = href;
      link.target = "_blank";
      link.rel = "noopener";
      if (/\.(png|jpe?g|gif|webp)$/i.test(name)) {
        const img = B.el("img", "file-image");
        img.src = href;
        img.alt = String(file.title || name);
        link.appendChild(img);
      }
      const caption = B.el("span", "file-title");
      caption.textContent = `📎 ${file.title || name}`;
      link.appendChild(caption);
      node.appendChild(link);
    }
    return node;
  }

  function messageNode(conv, message, replies) {
    const extra = message.sandbox || {};
    const cls = ["message"];
    if (extra.ephemeral) cls.push("ephemeral");
    if (extra.notice) cls.push("notice");
    const node = B.el("article", cls.join(" "));
    node.dataset.ts = message.ts;
    const who = author(message);
    const avatar = B.el("div", "avatar");
    avatar.textContent = who.slice(0, 1).toUpperCase();
    node.appendChild(avatar);
    const body = B.el("div", "body");
    const meta = B.el("div", "meta");
    const name = B.el("span", "author");
    name.textContent = who;
    meta.appendChild(name);
    if (message.bot_id) meta.appendChild(B.el("span", "badge", "APP"));
    const time = B.el("span", "time");
    time.textContent = timeOf(message.ts);
    meta.appendChild(time);
    body.appendChild(meta);
    if (extra.ephemeral) body.appendChild(B.el("div", "only-you", "👁 Only visible to you"));
    const act = (action, control) => click(conv, message, action, control);
    if (message.blocks && message.blocks.length) {
      body.appendChild(B.render(message.blocks, { ...ctx(), act }));
    } else {
      body.appendChild(B.el("div", "text", M.render(message.text, ctx())));
    }
    if (message.files && message.files.length) body.appendChild(files(message));
    if (replies) body.appendChild(thread(conv, message, replies));
    node.appendChild(body);
    return node;
  }

  function thread(conv, parent, replies) {
    const open = expanded.has(parent.ts);
    const node = B.el("div", replies.length || open ? "thread" : "thread no-replies");
    const toggle = B.el("button", "replies-toggle");
    toggle.type = "button";
    const count = replies.length;
    toggle.textContent = open ? "Hide replies" : `${count} ${count === 1 ? "reply" : "replies"}`;
    if (!count && !open) toggle.textContent = "Reply in thread";
    toggle.addEventListener("click", () => {
      if (open) expanded.delete(parent.ts);
      else expanded.add(parent.ts);
      render();
    });
    node.appendChild(toggle);
    if (!open) return node;
    const list = B.el("div", "replies");
    for (const reply of replies) list.appendChild(messageNode(conv, reply, null));
    node.appendChild(list);
    const form = B.el("form", "reply-form");
    const input = B.el("input", "reply-input");
    input.placeholder = "Reply…";
    form.appendChild(input);
    form.addEventListener("submit", async (event) => {
      event.preventDefault();
      const text = input.value.trim();
      if (!text) return;
      input.value = "";
      await call("/ui/message", { channel: conv.id, text, thread_ts: parent.ts });
    });
    node.appendChild(form);
    return node;
  }

  function renderConversation(conv) {
    const title = $("title");
    title.textContent = conv.kind === "channel" ? `# ${conv.name}` : conv.label;
    if (!conv.member && conv.kind === "channel") {
      title.appendChild(B.el("span", "hint", " — Silta is not a member"));
    }
    const top = [];
    const replies = {};
    for (const message of conv.messages) {
      if (message.thread_ts && message.thread_ts !== message.ts) {
        (replies[message.thread_ts] = replies[message.thread_ts] || []).push(message);
      } else {
        top.push(message);
      }
    }
    const list = $("messages");
    const atBottom = list.scrollHeight - list.scrollTop - list.clientHeight < 40;
    const nodes = [];
    let day = null;
    for (const message of top) {
      const date = new Date(tsKey(message.ts)[0] * 1000);
      const label = date.toLocaleDateString([], { weekday: "long", month: "long", day: "numeric" });
      if (label !== day) {
        const divider = B.el("div", "day");
        divider.textContent = label;
        nodes.push(divider);
        day = label;
      }
      nodes.push(messageNode(conv, message, message.sandbox ? null : replies[message.ts] || []));
    }
    if (!nodes.length) nodes.push(B.el("div", "empty", "No messages yet."));
    list.replaceChildren(...nodes);
    const stick = atBottom || list.dataset.conv !== conv.id;
    if (stick) {
      list.scrollTop = list.scrollHeight;
      for (const img of list.querySelectorAll("img")) {
        img.addEventListener("load", () => { list.scrollTop = list.scrollHeight; }, { once: true });
      }
    }
    list.dataset.conv = conv.id;
    $("input").placeholder = `Message ${title.textContent} — or /silta help`;
    $("composer").hidden = false;
    markRead(conv);
  }

  function renderHome() {
    $("title").textContent = "Silta (Home)";
    const list = $("messages");
    list.dataset.conv = HOME;
    const view = state.home;
    if (!view) {
      list.replaceChildren(B.el("div", "empty", "Silta has not published a Home view for you yet."));
    } else {
      const act = (action) => click(null, null, action, null, true);
      const node = B.el("div", "home");
      node.appendChild(B.render(view.blocks || [], { ...ctx(), act }));
      list.replaceChildren(node);
    }
    $("composer").hidden = true;
    $("hint").hidden = true;
  }

  let shown = null;

  // Redraw the conversation only when what it shows changed (or when asked): a change in
  // another channel only updates the sidebar, so a menu being used here stays put.
  function render(force = true) {
    if (!state) return;
    if (wanted) {
      const name = wanted.replace(/^#/, "");
      const found = (state.conversations || []).find((c) => c.id === name || c.name === name);
      if (found) {
        selected = found.id;
        wanted = null;
      }
    }
    if (selected !== HOME && !conversation(selected)) selected = "C0GENERAL";
    const conv = selected === HOME ? null : conversation(selected);
    const key = JSON.stringify([selected, conv ? conv.messages : state.home, state.names]);
    if (!force && key === shown) {
      renderSidebar();
      return;
    }
    shown = key;
    // keep a reply being typed across a re-render
    const typing = document.activeElement;
    const draft = typing && typing.classList.contains("reply-input")
      ? { ts: typing.closest(".message").dataset.ts, value: typing.value } : null;
    if (conv) renderConversation(conv);
    else renderHome();
    renderSidebar();
    if (draft) {
      const again = document.querySelector(`.message[data-ts="${CSS.escape(draft.ts)}"] .reply-input`);
      if (again) {
        again.value = draft.value;
        again.focus();
      }
    }
  }

  function select(id) {
    selected = id;
    localStorage.setItem("sandbox.selected", id);
    render();
    if (id === HOME) call("/ui/home");
    $("input").focus();
  }

  // Sending ------------------------------------------------------------------------------------

  async function click(conv, message, action, control, home) {
    if (control) control.disabled = true;
    try {
      await call("/ui/action", home ? { home: true, action } : {
        channel: conv.id, ts: message.ts, action,
      });
    } finally {
      if (control) control.disabled = false;
    }
  }

  async function send(text) {
    if (!text.trim() || selected === HOME) return;
    if (text.startsWith("/")) {
      const command = text.split(/\s/, 1)[0];
      if (!COMMANDS.includes(command)) {
        toast(`${command} is not a valid command. Try /silta help.`);
        return;
      }
      await call("/ui/command", { channel: selected, text });
    } else {
      await call("/ui/message", { channel: selected, text });
    }
  }

  function setup() {
    const input = $("input");
    $("composer").addEventListener("submit", (event) => {
      event.preventDefault();
      const text = input.value;
      input.value = "";
      $("hint").hidden = true;
      send(text);
    });
    input.addEventListener("input", () => {
      const text = input.value;
      const command = text.startsWith("/") ? text.split(/\s/, 1)[0] : null;
      $("hint").hidden = !command;
      if (!command) return;
      $("hint").textContent = COMMANDS.some((known) => known.startsWith(command))
        ? "Enter sends this to Silta as a slash command, signed as Slack signs it. Try /silta help."
        : `${command} is not a command here: only /silta is.`;
    });
    input.addEventListener("keydown", (event) => {
      if (event.key === "Enter" && !event.shiftKey) {
        event.preventDefault();
        $("composer").requestSubmit();
      }
    });
    poll();
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", setup);
  else setup();
})();
