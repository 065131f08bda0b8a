// Streams chat answers into the page; without this script the form posts and the page shows
// the finished answer. Only the two chat routes stream; the others post as a form.
(function () {
  "use strict";
  var form = document.getElementById("copilot-form");
  var live = document.getElementById("live-answer");
  if (!form || !live || !window.fetch || !window.TextDecoder) { return; }

  function csrf() {
    var field = form.querySelector("input[name=csrf_token]");
    return field ? field.value : "";
  }

  function body() {
    var data = new FormData(form);
    var ids = data.getAll("document_ids").map(function (v) { return parseInt(v, 10); });
    return JSON.stringify({route: data.get("route"), text: data.get("text"), document_ids: ids});
  }

  function show(output) {
    live.textContent = "";
    var answer = document.createElement("p");
    answer.textContent = output.text;
    var model = document.createElement("p");
    model.className = "muted";
    model.textContent = output.model + " · " + output.template;
    live.appendChild(answer);
    live.appendChild(model);
    var list = document.createElement("ol");
    (output.links || []).forEach(function (s) {
      var item = document.createElement("li");
      var link = document.createElement("a");
      link.href = "/copilot/documents/" + s.document_id + "#page-" + s.page;
      link.textContent = form.dataset.source.replace("{file}", s.filename)
        .replace("{page}", s.page) + (s.cited ? " — " + form.dataset.cited : "");
      item.appendChild(link);
      list.appendChild(item);
    });
    if (list.children.length) { live.appendChild(list); }
  }

  function handle(block, text) {
    var name = (block.match(/^event: (.*)$/m) || [])[1];
    var data = (block.match(/^data: (.*)$/m) || [])[1];
    if (!name || !data) { return text; }
    var value = JSON.parse(data);
    if (name === "delta") { live.textContent = text + value.text; return text + value.text; }
    if (name === "output") { show(value); }
    if (name === "error") { live.textContent = value.message; }
    return text;
  }

  var run = document.getElementById("copilot-run");
  var progress = document.getElementById("copilot-progress");

  // While the model works the button is disabled and a status line says so; both are
  // restored however the request ends.
  function busy(working) {
    if (run) { run.disabled = working; }
    live.setAttribute("aria-busy", String(working));
    if (progress) { progress.textContent = working ? progress.dataset.working : progress.dataset.done; }
  }

  form.addEventListener("submit", function (event) {
    var route = form.querySelector("select[name=route]").value;
    if (route !== "chat" && route !== "documents") {
      if (run) { run.disabled = true; }  // a plain form post: one click, one task
      if (progress) { progress.textContent = progress.dataset.working; }
      return;
    }
    event.preventDefault();
    if (run && run.disabled) { return; }
    busy(true);
    live.textContent = "";
    fetch(form.dataset.streamUrl, {
      method: "POST", credentials: "same-origin", body: body(),
      headers: {"Content-Type": "application/json", "X-CSRF-Token": csrf()}
    }).then(function (response) {
      if (!response.ok) {
        return response.json().then(function (problem) {
          live.textContent = (problem.error && problem.error.message) || response.statusText;
        });
      }
      var reader = response.body.getReader();
      var decoder = new TextDecoder();
      var buffer = "", text = "";
      function pump() {
        return reader.read().then(function (step) {
          if (step.done) { return; }
          buffer += decoder.decode(step.value, {stream: true});
          var blocks = buffer.split("\n\n");
          buffer = blocks.pop();
          blocks.forEach(function (b) { text = handle(b, text); });
          return pump();
        });
      }
      return pump();
    }).catch(function () {
      live.textContent = form.dataset.failed;
    }).then(function () { busy(false); });
  });
}());
