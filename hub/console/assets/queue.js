// The queue page's live list: the server sends the list again whenever it changes (server-sent events).

(() => {
  const status = document.getElementById("queue-status");
  const items = document.getElementById("queue-items");
  if (!status || !items || !("EventSource" in window)) return;
  const source = new EventSource(status.dataset.events);
  // The fragment is the hub's own server-rendered, escaped markup (same origin, CSP script-src 'self').
  source.addEventListener("queue", (event) => {
    items.innerHTML = event.data;
  });
  // Reconnecting failed for good (the session ended: the hub answered with the sign-in page): go there.
  source.addEventListener("error", () => {
    if (source.readyState === EventSource.CLOSED) window.location.assign("/console");
  });
  window.addEventListener("pagehide", () => source.close());
})();
