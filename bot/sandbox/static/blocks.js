// Block Kit to DOM: header, section (text, fields, accessory), context, actions, divider, image,
// rich_text (as its text). Interactive elements call ctx.act(action) with the action as Slack
// puts it in a block_actions payload (action_id, block_id, type, value or selected_option).
"use strict";

const SiltaBlocks = (() => {
  const M = SiltaMrkdwn;

  function el(tag, cls, html) {
    const node = document.createElement(tag);
    if (cls) node.className = cls;
    if (html !== undefined) node.innerHTML = html;
    return node;
  }

  function imageSrc(url) {
    const found = M.safeUrl(url || "");
    return found && found.protocol !== "mailto:" ? found.href : null;
  }

  function image(url, alt, cls) {
    const src = imageSrc(url);
    if (!src) return el("span", "missing-image", M.escapeHtml(`[image: ${alt || "?"}]`));
    const node = el("img", cls);
    node.src = src;
    node.alt = alt || "";
    node.title = alt || "";
    node.loading = "lazy";
    return node;
  }

  function optionOf(option) {
    return { text: option.text, value: option.value };
  }

  // Interactive elements ---------------------------------------------------------------------

  function button(element, blockId, ctx) {
    const node = el("button", `btn ${element.style || ""}`.trim(), M.textObject(element.text));
    node.type = "button";
    node.dataset.actionId = element.action_id || "";
    if (element.url) node.title = M.plain(element.url);
    node.addEventListener("click", () => {
      const link = element.url && M.safeUrl(element.url);
      if (link) window.open(link.href, "_blank", "noopener,noreferrer");
      const action = {
        type: "button", action_id: element.action_id, block_id: blockId, text: element.text,
      };
      if (element.value !== undefined) action.value = element.value;
      if (element.style) action.style = element.style;
      ctx.act(action, node);
    });
    return node;
  }

  function addOptions(select, options) {
    for (const option of options || []) {
      const item = el("option");
      item.textContent = M.plain(option.text);
      item.value = option.value;
      select.appendChild(item);
    }
  }

  function staticSelect(element, blockId, ctx) {
    const node = el("select", "select");
    node.dataset.actionId = element.action_id || "";
    const placeholder = el("option");
    placeholder.textContent = M.plain(element.placeholder) || "Select an item";
    placeholder.value = "";
    placeholder.disabled = true;
    node.appendChild(placeholder);
    const all = [];
    if (element.option_groups) {
      for (const group of element.option_groups) {
        const optgroup = el("optgroup");
        optgroup.label = M.plain(group.label);
        addOptions(optgroup, group.options);
        node.appendChild(optgroup);
        all.push(...(group.options || []));
      }
    } else {
      addOptions(node, element.options);
      all.push(...(element.options || []));
    }
    node.value = element.initial_option ? element.initial_option.value : "";
    node.addEventListener("change", () => {
      const chosen = all.find((option) => option.value === node.value);
      if (!chosen) return;
      ctx.act({
        type: "static_select", action_id: element.action_id, block_id: blockId,
        selected_option: optionOf(chosen),
      }, node);
    });
    return node;
  }

  function overflow(element, blockId, ctx) {
    const node = el("select", "select overflow");
    node.title = "More actions";
    node.dataset.actionId = element.action_id || "";
    const dots = el("option");
    dots.textContent = "⋯";
    dots.value = "";
    node.appendChild(dots);
    addOptions(node, element.options);
    node.value = "";
    node.addEventListener("change", () => {
      const chosen = (element.options || []).find((option) => option.value === node.value);
      node.value = "";
      if (!chosen) return;
      ctx.act({
        type: "overflow", action_id: element.action_id, block_id: blockId,
        selected_option: optionOf(chosen),
      }, node);
    });
    return node;
  }

  function element(item, blockId, ctx) {
    switch (item.type) {
      case "button": return button(item, blockId, ctx);
      case "static_select": return staticSelect(item, blockId, ctx);
      case "overflow": return overflow(item, blockId, ctx);
      case "image": return image(item.image_url, item.alt_text, "accessory-image");
      case "mrkdwn": case "plain_text": return el("span", "text", M.textObject(item, ctx));
      default: return el("span", "unsupported", M.escapeHtml(`[${item.type} not in the sandbox]`));
    }
  }

  // Blocks -----------------------------------------------------------------------------------

  function section(block, blockId, ctx) {
    const node = el("div", "block section");
    const body = el("div", "section-body");
    if (block.text) body.appendChild(el("div", "section-text", M.textObject(block.text, ctx)));
    if (block.fields) {
      const fields = el("div", "fields");
      for (const field of block.fields) fields.appendChild(el("div", "field", M.textObject(field, ctx)));
      body.appendChild(fields);
    }
    node.appendChild(body);
    if (block.accessory) {
      const accessory = el("div", "accessory");
      accessory.appendChild(element(block.accessory, blockId, ctx));
      node.appendChild(accessory);
    }
    return node;
  }

  function context(block, ctx) {
    const node = el("div", "block context");
    for (const item of block.elements || []) {
      if (item.type === "image") node.appendChild(image(item.image_url, item.alt_text, "context-image"));
      else node.appendChild(el("span", "context-text", M.textObject(item, ctx)));
    }
    return node;
  }

  function actions(block, blockId, ctx) {
    const node = el("div", "block actions");
    for (const item of block.elements || []) node.appendChild(element(item, blockId, ctx));
    return node;
  }

  function imageBlock(block) {
    const node = el("figure", "block image");
    if (block.title) node.appendChild(el("figcaption", "", M.textObject(block.title)));
    node.appendChild(image(block.image_url, block.alt_text, "block-image"));
    return node;
  }

  function richText(block, ctx) {
    const parts = [];
    const walk = (item) => {
      if (item.text) parts.push(item.text);
      if (item.type === "user") parts.push("@" + ((ctx.names || {})[item.user_id] || item.user_id));
      if (item.type === "channel") {
        parts.push("#" + ((ctx.channelNames || {})[item.channel_id] || item.channel_id));
      }
      if (item.type === "link") parts.push(item.url);
      (item.elements || []).forEach(walk);
    };
    walk(block);
    return el("div", "block rich-text", M.escapeHtml(parts.join("")).replace(/\n/g, "<br>"));
  }

  function one(block, index, ctx) {
    const blockId = block.block_id || `sandbox-${index}`;
    switch (block.type) {
      case "header": return el("div", "block header", M.textObject(block.text));
      case "section": return section(block, blockId, ctx);
      case "context": return context(block, ctx);
      case "actions": return actions(block, blockId, ctx);
      case "divider": return el("hr", "block divider");
      case "image": return imageBlock(block);
      case "rich_text": return richText(block, ctx);
      default:
        return el("div", "block unsupported", M.escapeHtml(`[${block.type} block not in the sandbox]`));
    }
  }

  function render(blocks, ctx) {
    const node = el("div", "blocks");
    (blocks || []).forEach((block, index) => {
      try {
        node.appendChild(one(block, index, ctx));
      } catch (error) {
        node.appendChild(el("div", "block unsupported", M.escapeHtml(`[bad block: ${error}]`)));
      }
    });
    return node;
  }

  return { render, el };
})();
