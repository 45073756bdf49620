// Slack mrkdwn to safe HTML. Message text is never trusted: the text between Slack's control
// sequences (<…>) is HTML-escaped before any formatting is applied, control sequences become
// fixed markup with escaped contents, and links only keep http(s) and mailto URLs.
"use strict";

const SiltaMrkdwn = (() => {
  const EMOJI = {
    white_check_mark: "✅", warning: "⚠️", rotating_light: "🚨", red_circle: "🔴",
    large_yellow_circle: "🟡", large_green_circle: "🟢", white_circle: "⚪", black_circle: "⚫",
    slightly_smiling_face: "🙂", slightly_frowning_face: "🙁", neutral_face: "😐", zzz: "💤",
    thread: "🧵", ok_hand: "👌", link: "🔗", grey_question: "❔", eyes: "👀", arrow_right: "➡️",
    mag: "🔍", bell: "🔔", bar_chart: "📊", chart_with_upwards_trend: "📈", tada: "🎉",
    heavy_check_mark: "✔️", x: "❌", information_source: "ℹ️", speech_balloon: "💬",
    fire: "🔥", star: "⭐", memo: "📝", inbox_tray: "📥", calendar: "📅", clock3: "🕒",
  };
  const MARK = "\u0001";

  function escapeHtml(text) {
    return String(text)
      .replace(/&/g, "&amp;")
      .replace(/</g, "&lt;")
      .replace(/>/g, "&gt;")
      .replace(/"/g, "&quot;")
      .replace(/'/g, "&#39;");
  }

  // Slack escapes &, < and > in message text; undo that before escaping for HTML.
  function unslack(text) {
    return String(text).replace(/&lt;/g, "<").replace(/&gt;/g, ">").replace(/&amp;/g, "&");
  }

  function emoji(html) {
    return html.replace(/:([a-z0-9_+-]+):/g, (all, name) => EMOJI[name] || all);
  }

  function safeUrl(raw) {
    try {
      const url = new URL(unslack(raw));
      return ["http:", "https:", "mailto:"].includes(url.protocol) ? url : null;
    } catch (error) {
      return null;
    }
  }

  function control(inner, ctx) {
    const bar = inner.indexOf("|");
    const target = bar < 0 ? inner : inner.slice(0, bar);
    const label = bar < 0 ? "" : inner.slice(bar + 1);
    const span = (cls, text) => `<span class="${cls}">${escapeHtml(unslack(text))}</span>`;
    if (target.startsWith("@")) {
      const id = target.slice(1);
      return span("mention", "@" + (label || (ctx.names || {})[id] || id));
    }
    if (target.startsWith("#")) {
      const id = target.slice(1);
      return span("mention", "#" + (label || (ctx.channelNames || {})[id] || id));
    }
    if (target.startsWith("!")) {
      const word = target.slice(1).split("^")[0];
      // broadcasts are shown as the plain words: the sandbox pings no one
      if (["here", "channel", "everyone"].includes(word)) return span("broadcast", "@" + word);
      return span("broadcast", label || word);
    }
    const url = safeUrl(target);
    const text = label || target;
    if (!url) return escapeHtml(unslack(`<${inner}>`));
    return `<a href="${escapeHtml(url.href)}" title="${escapeHtml(url.href)}" target="_blank"` +
      ` rel="noopener noreferrer nofollow">${escapeHtml(unslack(text))}</a>`;
  }

  function inline(html) {
    return html
      .replace(/(^|[^\w*])\*(?=\S)([^*\n]*?\S)\*(?![\w*])/g, "$1<b>$2</b>")
      .replace(/(^|[^\w_])_(?=\S)([^_\n]*?\S)_(?![\w_])/g, "$1<i>$2</i>")
      .replace(/(^|[^\w~])~(?=\S)([^~\n]*?\S)~(?![\w~])/g, "$1<s>$2</s>");
  }

  function quotes(html) {
    const out = [];
    let quote = [];
    const flush = () => {
      if (quote.length) out.push(`<blockquote>${quote.join("<br>")}</blockquote>`);
      quote = [];
    };
    for (const line of html.split("\n")) {
      const found = /^&gt;\s?(.*)$/.exec(line);
      if (found) {
        quote.push(found[1]);
      } else {
        flush();
        out.push(line + "<br>");
      }
    }
    flush();
    return out.join("").replace(/<br>$/, "");
  }

  // mrkdwn → HTML that contains no markup from the text itself.
  function render(text, ctx = {}) {
    const saved = [];
    const keep = (html) => `${MARK}${saved.push(html) - 1}${MARK}`;
    const source = String(text == null ? "" : text).split(MARK).join("");
    // 1. Control sequences (<…>) become fixed markup; everything else is escaped.
    let html = "";
    let last = 0;
    for (const found of source.matchAll(/<([^<>\n]*)>/g)) {
      html += escapeHtml(unslack(source.slice(last, found.index)));
      html += keep(control(found[1], ctx));
      last = found.index + found[0].length;
    }
    html += escapeHtml(unslack(source.slice(last)));
    // 2. Code is kept as it is; then bold, italic, strike, quotes, line breaks.
    html = html.replace(/```\n?([\s\S]*?)```/g, (all, code) => keep(`<pre>${code}</pre>`));
    html = html.replace(/`([^`\n]+)`/g, (all, code) => keep(`<code>${code}</code>`));
    html = quotes(emoji(inline(html)));
    const restore = new RegExp(`${MARK}(\\d+)${MARK}`, "g");
    const pending = new RegExp(`${MARK}\\d+${MARK}`);
    for (let i = 0; i < 3 && pending.test(html); i += 1) {
      html = html.replace(restore, (all, n) => saved[Number(n)]);
    }
    // block elements end a line by themselves
    return html.replace(/(<\/pre>|<\/blockquote>)<br>/g, "$1").replace(/<br>(<pre>)/g, "$1");
  }

  // Text objects: mrkdwn, or plain_text (escaped; emoji shortcodes when asked).
  function textObject(object, ctx) {
    if (!object) return "";
    if (typeof object === "string") return render(object, ctx);
    if (object.type === "mrkdwn") return render(object.text, ctx);
    const html = escapeHtml(object.text || "");
    return object.emoji === false ? html : emoji(html);
  }

  function plain(object) {
    if (!object) return "";
    return typeof object === "string" ? object : String(object.text || "");
  }

  return { render, textObject, plain, escapeHtml, safeUrl };
})();
