// The console page: plain DOM, no framework, no network beyond this bridge. Server-sent events tell it when the
// sandbox changed (then it refetches) and hand it each delivery the receiver saw.

const TYPES = ["incoming", "outgoing", "activity", "template"];
const $ = (id) => document.getElementById(id);
let selected = null;
let selectedStatus = null;

function el(tag, { dataset = {}, ...props }, ...children) {
  const node = document.createElement(tag);
  Object.assign(node, props);
  // dataset itself cannot be replaced, only its keys set.
  Object.assign(node.dataset, dataset);
  for (const child of children) if (child != null) node.append(child);
  return node;
}

async function api(method, path, body) {
  const answer = await fetch(`/console/api/${path}`, {
    method,
    headers: body ? { "content-type": "application/json" } : {},
    body: body ? JSON.stringify(body) : undefined,
  });
  const json = await answer.json();
  if (!answer.ok) throw new Error(json.error || `${answer.status}`);
  return json;
}

async function loadConversations() {
  const list = await api("GET", "conversations");
  const ul = $("conversations");
  ul.replaceChildren();
  if (list.length === 0)
    ul.append(el("li", { className: "empty", textContent: "No conversation yet: POST /messages to start one." }));
  for (const c of list) {
    const who = c.contact.name || c.contact.identifier || "contact";
    const li = el(
      "li",
      { className: c.id === selected ? "selected" : "", dataset: { conversation: c.id } },
      `#${c.id} ${who} `,
      el("span", { className: `badge ${c.status}`, textContent: c.status }),
    );
    li.addEventListener("click", () => select(c.id));
    ul.append(li);
    if (c.id === selected) selectedStatus = c.status;
  }
  await loadContacts();
  if (selected === null && list.length > 0) return select(list[0].id);
  renderStatus();
}

async function loadContacts() {
  const list = await api("GET", "contacts");
  const select = $("new-contact");
  const chosen = select.value;
  select.replaceChildren(
    ...list.map((c) => el("option", { value: String(c.id), textContent: c.identifier || c.name || `contact ${c.id}` })),
  );
  if (chosen) select.value = chosen;
  $("new-conversation").hidden = list.length === 0;
}

function renderStatus() {
  $("toggle-status").textContent = selectedStatus === "resolved" ? "Reopen" : "Resolve";
  $("conversation-title").textContent =
    selected === null ? "Pick a conversation" : `Conversation #${selected} (${selectedStatus})`;
}

async function select(id) {
  selected = id;
  $("composer").hidden = false;
  await loadConversations();
  await loadMessages();
}

function messageNode(m) {
  const type = typeof m.message_type === "number" ? TYPES[m.message_type] : m.message_type;
  const attrs = m.content_attributes || {};
  const classes = ["message", type, m.private ? "private" : "", attrs.deleted ? "deleted" : ""];
  const who = m.sender ? m.sender.name || m.sender.identifier || m.sender.type : type === "template" ? "template" : "";
  const meta = el(
    "div",
    { className: "meta" },
    `${who}${m.private ? " · private note" : ""}`,
    type === "outgoing" || type === "template"
      ? el("span", { className: `badge status ${m.status}`, textContent: m.status })
      : null,
  );
  if ((type === "outgoing" || type === "template") && !attrs.deleted) {
    const remove = el("button", { type: "button", textContent: "delete", className: "delete" });
    remove.addEventListener("click", () => run(() => api("DELETE", `conversations/${selected}/messages/${m.id}`)));
    meta.append(remove);
  }
  const files = (m.attachments || []).map((a) =>
    el(
      "div",
      { className: "attachment" },
      a.data_url
        ? el("a", { href: a.data_url, target: "_blank", textContent: `attachment: ${a.file_type}` })
        : `attachment: ${a.file_type}`,
    ),
  );
  const error =
    m.status === "failed" && attrs.external_error
      ? el("div", { className: "error", textContent: `failed: ${attrs.external_error}` })
      : null;
  return el(
    "li",
    { className: classes.join(" "), dataset: { message: m.id } },
    meta,
    el("div", { className: "text", textContent: m.content ?? "" }),
    ...files,
    error,
  );
}

async function loadMessages() {
  if (selected === null) return;
  const messages = await api("GET", `conversations/${selected}/messages`);
  $("messages").replaceChildren(...messages.map(messageNode));
}

function deliveryNode(entry) {
  const body = entry.body || {};
  const data = body.data || {};
  const message = data.message || {};
  const verdict =
    entry.outcome === "refused"
      ? `refused ${entry.status}: ${entry.why}`
      : entry.outcome === "failed"
        ? `answered ${entry.status} (told to fail)`
        : "signature verified";
  const line = [
    body.type,
    data.user_id && `user ${data.user_id}`,
    data.conversation_id && `conversation ${data.conversation_id}`,
    data.status,
  ]
    .filter(Boolean)
    .join(" · ");
  return el(
    "li",
    { className: `delivery ${entry.outcome}`, dataset: { seq: entry.seq } },
    el(
      "div",
      { className: "meta" },
      el("span", { className: `badge ${entry.outcome}`, textContent: verdict }),
      ` ${new Date(entry.at).toLocaleTimeString()}`,
    ),
    el("div", {}, line || "delivery"),
    message.content ? el("div", { className: "text", textContent: message.content }) : null,
    (message.attachments || []).length ? el("div", {}, `${message.attachments.length} attachment(s)`) : null,
  );
}

function addDelivery(entry) {
  const ol = $("deliveries");
  ol.querySelector(".empty")?.remove();
  ol.prepend(deliveryNode(entry));
}

async function run(action) {
  $("composer-error").hidden = true;
  try {
    await action();
  } catch (error) {
    $("composer-error").textContent = error.message;
    $("composer-error").hidden = false;
  }
}

async function readFile(input) {
  const file = input.files[0];
  if (!file) return undefined;
  const bytes = new Uint8Array(await file.arrayBuffer());
  let binary = "";
  for (const byte of bytes) binary += String.fromCharCode(byte);
  return { filename: file.name, content_type: file.type, data: btoa(binary) };
}

async function send(kind) {
  const content = $("composer-text").value;
  const file = kind === "reply" ? await readFile($("composer-file")) : undefined;
  await run(async () => {
    await api("POST", `conversations/${selected}/${kind}`, { content, file });
    $("composer-text").value = "";
    $("composer-file").value = "";
    await loadMessages();
  });
}

let typing = false;
function setTyping(on) {
  if (typing === on || selected === null) return;
  typing = on;
  api("POST", `conversations/${selected}/typing`, { on }).catch(() => undefined);
}

$("composer").addEventListener("submit", (event) => {
  event.preventDefault();
  setTyping(false);
  send("reply");
});
$("new-conversation").addEventListener("submit", (event) => {
  event.preventDefault();
  run(async () => {
    const started = await api("POST", "conversations", {
      contact_id: Number($("new-contact").value),
      content: $("new-text").value,
    });
    $("new-text").value = "";
    await select(started.id);
  });
});
$("send-note").addEventListener("click", () => send("note"));
$("toggle-status").addEventListener("click", () =>
  run(() => api("POST", `conversations/${selected}/${selectedStatus === "resolved" ? "reopen" : "resolve"}`, {})),
);
$("composer-text").addEventListener("input", () => setTyping($("composer-text").value !== ""));
$("composer-text").addEventListener("blur", () => setTyping(false));

async function start() {
  const deliveries = await api("GET", "deliveries").catch(() => []);
  for (const entry of deliveries) addDelivery(entry);
  let lastSeq = deliveries.at(-1)?.seq ?? 0;
  await loadConversations().catch(() => undefined);
  const events = new EventSource("/console/events");
  events.addEventListener("hello", () => {
    $("live").textContent = "live";
  });
  events.addEventListener("error", () => {
    $("live").textContent = "reconnecting…";
  });
  events.addEventListener("sandbox", () => {
    loadConversations()
      .then(loadMessages)
      .catch(() => undefined);
  });
  events.addEventListener("delivery", (event) => {
    const entry = JSON.parse(event.data);
    if (entry.seq <= lastSeq) return;
    lastSeq = entry.seq;
    addDelivery(entry);
  });
}

start();
