/* Review mode: walk the page's records (all, those a pull request changed, or those lint flagged), accept or
   correct each with a reason, and download the verdicts as a file for `python -m dataset review apply FILE`.
   Plain script, no network, no server. Verdicts are kept in this browser's storage across the report's pages
   until they are downloaded and forgotten; where the browser keeps no storage for files, they last as long as
   the page. The verdict file's format is described in dataset/report/verdicts.py. */
(function () {
  "use strict";

  var source = document.getElementById("review-data");
  var panel = document.getElementById("review");
  var toggle = document.getElementById("review-toggle");
  if (!source || !panel || !toggle) return;

  var data = JSON.parse(source.textContent);
  var KEY = "kursk-claims-review";
  // A person's agent id: the schema's agent pattern (at most 64 characters) starting with "person-".
  var PERSON = /^person-[a-z0-9][a-z0-9._-]{0,56}$/;

  function $(id) { return document.getElementById(id); }
  var reviewer = $("review-reviewer");
  var filter = $("review-filter");
  var where = $("review-position");
  var shown = $("review-record");
  var fields = $("review-fields");
  var reason = $("review-reason");
  var status = $("review-status");
  var download = $("review-download");
  var forget = $("review-forget");

  /* -- what is kept: the reviewer's id and every verdict so far, by layer and id -------------------------- */

  function load() {
    try {
      var kept = JSON.parse(window.localStorage.getItem(KEY) || "null");
      if (kept && typeof kept === "object" && kept.verdicts && typeof kept.verdicts === "object") return kept;
    } catch (error) { /* no storage for this page: verdicts live as long as it */ }
    return { reviewer: "", verdicts: {} };
  }
  var store = load();

  function save() {
    try { window.localStorage.setItem(KEY, JSON.stringify(store)); } catch (error) { /* kept in memory */ }
    var count = Object.keys(store.verdicts).length;
    download.textContent = "Download verdicts (" + count + ")";
    download.disabled = count === 0;
  }

  function keyOf(item) { return item.layer + " " + item.id; }
  function targetOf(item) { return item.target || item.id; }

  /* -- how values are shown: control characters as visible symbols, as the pages draw them (text.py) ------ */

  function visible(text) {
    return String(text).replace(/[\u0000-\u0008\u000b-\u001f\u007f-\u009f\ufdd0-\ufdef\ufffe\uffff]/g, function (c) {
      var code = c.charCodeAt(0);
      if (code < 0x20) return String.fromCharCode(0x2400 + code);
      return code === 0x7f ? "\u2421" : "\ufffd";
    });
  }

  /* JSON with sorted keys, so two values compare equal whatever their key order. */
  function canonical(value) {
    if (Array.isArray(value)) return "[" + value.map(canonical).join(",") + "]";
    if (value && typeof value === "object") {
      return "{" + Object.keys(value).sort().map(function (k) {
        return JSON.stringify(k) + ":" + canonical(value[k]);
      }).join(",") + "}";
    }
    return JSON.stringify(value);
  }

  /* -- the queue ---------------------------------------------------------------------------------------- */

  var queue = [];
  var position = 0;
  var current = null;

  function select() {
    var chosen = filter.value;
    queue = data.items.filter(function (item) {
      if (chosen === "changed") return Boolean(item.change);
      if (chosen === "lint") return item.lint.length > 0;
      return true;
    });
    position = Math.max(0, Math.min(position, queue.length - 1));
  }

  function elements(target) {
    var found = [];
    var head = document.getElementById(target);
    if (head) found.push(head);
    document.querySelectorAll('[data-continues="' + CSS.escape(target) + '"]').forEach(function (el) {
      found.push(el);
    });
    return found;
  }

  function highlight(item, on) {
    if (!item) return;
    elements(targetOf(item)).forEach(function (el) { el.classList.toggle("under-review", on); });
  }

  function describe(item) {
    var verdict = store.verdicts[keyOf(item)];
    var text = "Record " + (position + 1) + " of " + queue.length + ": " + item.layer + " " + item.id;
    return verdict ? text + " (" + verdict.verdict + " by " + verdict.reviewer + ")" : text;
  }

  function control(spec, value) {
    var input;
    if (spec.kind === "choice") {
      input = document.createElement("select");
      var options = spec.nullable ? [null].concat(spec.options) : spec.options;
      options.forEach(function (option) {
        var choice = document.createElement("option");
        choice.value = option === null ? "" : option;
        choice.textContent = option === null ? "(none)" : option;
        input.appendChild(choice);
      });
      input.value = value === null || value === undefined ? "" : value;
    } else if (spec.kind === "json") {
      input = document.createElement("textarea");
      input.rows = 2;
      input.value = JSON.stringify(value === undefined ? null : value);
    } else if (spec.kind === "span-text") {
      input = document.createElement("output");
      input.textContent = visible(value);
    } else if (spec.kind === "text" && typeof value === "string" && value.length > 30) {
      input = document.createElement("textarea"); // a statement or a description: room to read and edit it
      input.rows = Math.min(6, Math.ceil(value.length / 40));
      input.value = visible(value);
    } else {
      input = document.createElement("input");
      input.type = spec.kind === "integer" || spec.kind === "number" ? "number" : "text";
      if (spec.kind === "number") input.step = "any";
      if (spec.kind === "list") input.value = (value || []).join(" ");
      else input.value = value === null || value === undefined ? "" : visible(value);
    }
    input.id = "review-field-" + spec.name;
    input.setAttribute("data-field", spec.name);
    return input;
  }

  function show() {
    highlight(current, false);
    fields.replaceChildren();
    shown.replaceChildren();
    current = queue[position] || null;
    if (!current) {
      where.textContent = "No record on this page is in this selection.";
      return;
    }
    where.textContent = describe(current);
    var quote = document.createElement("q");
    quote.textContent = visible(current.label || current.record.text);
    shown.appendChild(quote);
    if (current.change) {
      var flag = document.createElement("span");
      flag.className = "change-flag";
      flag.setAttribute("data-change", current.change);
      flag.textContent = current.change;
      shown.append(" ", flag);
    }
    if (current.lint.length) {
      var warnings = document.createElement("ul");
      warnings.className = "review-lint";
      current.lint.forEach(function (text) {
        var line = document.createElement("li");
        line.textContent = visible(text);
        warnings.appendChild(line);
      });
      shown.appendChild(warnings);
    }
    var kept = store.verdicts[keyOf(current)];
    var values = Object.assign({}, current.record, (kept && kept.changes) || {}); // a kept correction, shown again
    (data.forms[current.layer] || []).forEach(function (spec) {
      var label = document.createElement("label");
      label.htmlFor = "review-field-" + spec.name;
      label.textContent = spec.name;
      fields.append(label, control(spec, values[spec.name]));
    });
    spanText();
    reason.value = kept ? kept.reason : "";
    highlight(current, true);
    var head = document.getElementById(targetOf(current));
    if (head && head.scrollIntoView) head.scrollIntoView({ block: "center" });
  }

  /* The span's new text, from the page's seed text (offsets count code points, as the data's do). */
  function spanText() {
    var output = fields.querySelector('output[data-field="text"]');
    var seed = document.getElementById("seed-text");
    if (!output || !seed) return;
    var start = Number(fields.querySelector('[data-field="start"]').value);
    var end = Number(fields.querySelector('[data-field="end"]').value);
    output.textContent = Array.from(seed.textContent).slice(start, end).join("");
  }
  fields.addEventListener("input", spanText);

  /* -- verdicts ----------------------------------------------------------------------------------------- */

  function say(text) { status.textContent = text; }

  function parsed(spec, input, original) {
    var raw = input.value;
    if (spec.kind === "choice") return raw === "" && spec.nullable ? null : raw;
    if (spec.kind === "list") return raw.split(/\s+/).filter(Boolean);
    if (spec.kind === "json") return JSON.parse(raw);
    if (spec.kind === "integer" || spec.kind === "number") {
      if (raw.trim() === "") return spec.nullable ? null : raw;
      var value = Number(raw);
      if (!isFinite(value) || (spec.kind === "integer" && !Number.isInteger(value))) throw new Error("not a number");
      return value;
    }
    if (raw === "" && spec.nullable) return null;
    return original !== null && original !== undefined && raw === visible(original) ? original : raw;
  }

  function changes() {
    var changed = {};
    (data.forms[current.layer] || []).forEach(function (spec) {
      if (spec.kind === "span-text") return; // follows the offsets: review apply takes it from the seed
      var input = fields.querySelector('[data-field="' + spec.name + '"]');
      var original = current.record[spec.name];
      var value;
      try {
        value = parsed(spec, input, original);
      } catch (error) {
        throw new Error(spec.name + ": " + (spec.kind === "json" ? "not valid JSON" : error.message));
      }
      if (canonical(value) !== canonical(original === undefined ? null : original)) changed[spec.name] = value;
    });
    return changed;
  }

  function decide(verdict) {
    if (!current) return;
    var id = reviewer.value.trim();
    if (!PERSON.test(id)) {
      say("Give your id first: a person's id starts with person- (lower-case letters, digits, . _ -).");
      reviewer.focus();
      return;
    }
    var why = reason.value.replace(/\s+/g, " ").trim();
    if (!why) {
      say("Say why, in a line: the reason goes into the record's note.");
      reason.focus();
      return;
    }
    var changed;
    try {
      changed = changes();
    } catch (error) {
      say("Not saved: " + error.message + ".");
      return;
    }
    var made = Object.keys(changed).length > 0;
    if (verdict === "accepted" && made) {
      say("You changed " + Object.keys(changed).join(", ") + ": save it as a correction, or undo the change.");
      return;
    }
    if (verdict === "corrected" && !made) {
      say("Nothing is changed: change a field to correct the record, or accept it.");
      return;
    }
    var entry = {
      reviewer: id, layer: current.layer, id: current.id, verdict: verdict, reason: why, digest: current.digest
    };
    if (made) entry.changes = changed;
    store.reviewer = id;
    store.verdicts[keyOf(current)] = entry;
    save();
    say((verdict === "accepted" ? "Accepted " : "Corrected ") + current.layer + " " + current.id + ".");
    if (position < queue.length - 1) position += 1;
    show();
  }

  function file() {
    var lines = Object.keys(store.verdicts).sort().map(function (key) {
      return JSON.stringify(store.verdicts[key]) + "\n";
    });
    var blob = new Blob(lines, { type: "application/jsonl" });
    var link = document.createElement("a");
    link.href = URL.createObjectURL(blob);
    link.download = "verdicts-" + (store.reviewer || "review") + ".jsonl";
    document.body.appendChild(link);
    link.click();
    link.remove();
    window.setTimeout(function () { URL.revokeObjectURL(link.href); }, 10000);
    say("Downloaded " + lines.length + " verdict(s). Apply them with: python -m dataset review apply FILE");
  }

  var forgetting = false;
  function forgetAll() {
    var count = Object.keys(store.verdicts).length;
    if (!forgetting) {
      forgetting = true;
      forget.textContent = "Forget " + count + " verdict(s)? Press again";
      return;
    }
    forgetting = false;
    forget.textContent = "Forget verdicts";
    store.verdicts = {};
    save();
    say("Forgot every verdict kept in this browser.");
    show();
  }

  /* -- wiring ------------------------------------------------------------------------------------------- */

  function open(on) {
    panel.hidden = !on;
    toggle.setAttribute("aria-expanded", String(on));
    document.body.classList.toggle("reviewing", on);
    if (on) {
      select();
      show();
      (reviewer.value ? reason : reviewer).focus();
    } else {
      highlight(current, false);
    }
  }

  reviewer.value = store.reviewer || "";
  save();
  toggle.hidden = false;
  toggle.addEventListener("click", function () { open(panel.hidden); });
  filter.addEventListener("change", function () { position = 0; select(); show(); });
  $("review-form").addEventListener("submit", function (event) { event.preventDefault(); });
  $("review-accept").addEventListener("click", function () { decide("accepted"); });
  $("review-correct").addEventListener("click", function () { decide("corrected"); });
  $("review-previous").addEventListener("click", function () {
    if (position > 0) { position -= 1; show(); }
  });
  $("review-next").addEventListener("click", function () {
    if (position < queue.length - 1) { position += 1; show(); }
  });
  download.addEventListener("click", file);
  forget.addEventListener("click", forgetAll);
  reviewer.addEventListener("change", function () { store.reviewer = reviewer.value.trim(); save(); });

  /* In review mode, clicking a record on the page brings it up (the innermost one the queue holds). */
  document.addEventListener("click", function (event) {
    if (panel.hidden || panel.contains(event.target)) return;
    for (var el = event.target; el && el !== document.body; el = el.parentElement) {
      var target = el.getAttribute("data-id") || el.getAttribute("data-continues") || el.id;
      var index = target ? queue.findIndex(function (item) { return targetOf(item) === target; }) : -1;
      if (index >= 0) {
        position = index;
        show();
        return;
      }
    }
  });
})();
