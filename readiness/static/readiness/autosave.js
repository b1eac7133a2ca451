/* Self-assessment page: each sub-item's draft (judgement, reason, notes) saves itself about a
   second after typing stops, and at once when a field changes or loses focus, through the same
   address and checks as its Save button (asked for JSON). The status next to the button says
   what the server answered; leaving the page with changes not yet saved asks first. The Save
   buttons keep working without this script; evidence files are attached only by their button. */
(function () {
  "use strict";
  var textEl = document.getElementById("autosave-text");
  if (!textEl) return;
  var text = JSON.parse(textEl.textContent);
  var DELAY = 1000;
  var drafts = [];

  function Draft(form) {
    this.form = form;
    this.status = form.querySelector("[data-save-state]");
    this.version = 0;      // bumped on every change
    this.savedVersion = 0; // the last version the server confirmed
    this.inflight = false;
    this.timer = null;
    this.submitting = false;
  }
  Draft.prototype.dirty = function () { return this.version !== this.savedVersion; };
  Draft.prototype.show = function (state, message) {
    if (!this.status) return;
    this.status.dataset.state = state;
    this.status.textContent = message;
  };
  Draft.prototype.changed = function () {
    this.version += 1;
    this.show("unsaved", text.unsaved);
    clearTimeout(this.timer);
    var self = this;
    this.timer = setTimeout(function () { self.send(); }, DELAY);
  };
  Draft.prototype.flush = function () {
    clearTimeout(this.timer);
    if (this.dirty()) this.send();
  };
  Draft.prototype.send = function () {
    var self = this;
    if (self.inflight || self.submitting || !self.dirty()) return;
    var version = self.version;
    self.inflight = true;
    self.show("saving", text.saving);
    fetch(self.form.action, {
      method: "POST",
      credentials: "same-origin",
      headers: { "Accept": "application/json" },
      body: new FormData(self.form)
    }).then(function (response) {
      return response.json().catch(function () { return {}; }).then(function (body) {
        if (response.ok && body.saved) {
          self.savedVersion = version;
          if (!self.dirty()) self.show("saved", body.status);
        } else if (response.redirected) {
          self.show("error", text.login);  // the session ended: the log-in page answered
        } else {
          self.show("error", body.error || text.failed);
        }
      });
    }).catch(function () {
      self.show("error", text.failed);
    }).then(function () {
      self.inflight = false;
      // Typed on while the request was out: the newer text goes next.
      if (self.dirty() && (!self.status || self.status.dataset.state !== "error")) self.send();
    });
  };

  document.querySelectorAll("form.judgement-form").forEach(function (form) {
    var draft = new Draft(form);
    drafts.push(draft);
    form.addEventListener("input", function () { draft.changed(); });
    form.addEventListener("change", function () { draft.flush(); });
    form.addEventListener("focusout", function () { draft.flush(); });
    // The Save button posts the form the ordinary way; its page answer says what happened.
    form.addEventListener("submit", function () {
      clearTimeout(draft.timer);
      draft.submitting = true;
    });
  });

  window.addEventListener("beforeunload", function (event) {
    var unsaved = drafts.some(function (d) { return !d.submitting && (d.dirty() || d.inflight); });
    if (!unsaved) return;
    event.preventDefault();
    event.returnValue = text.leave;
    return text.leave;
  });
})();
