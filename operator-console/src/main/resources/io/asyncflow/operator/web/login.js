/* AsyncFlow operator console: log-in page. POSTs /api/login as JSON and goes to / on success. */
'use strict';

(function () {
  const form = document.getElementById('login-form');
  const button = document.getElementById('login-button');
  const errorEl = document.getElementById('login-error');

  function showError(text) {
    errorEl.textContent = text;
    errorEl.hidden = false;
  }

  form.addEventListener('submit', async (ev) => {
    ev.preventDefault();
    errorEl.hidden = true;
    button.disabled = true;
    try {
      const res = await fetch('/api/login', {
        method: 'POST',
        credentials: 'same-origin',
        headers: { 'Accept': 'application/json', 'Content-Type': 'application/json' },
        body: JSON.stringify({
          user: document.getElementById('username').value,
          password: document.getElementById('password').value
        })
      });
      if (res.ok) {
        location.assign('/');
        return;
      }
      let text = 'Log-in failed (HTTP ' + res.status + ')';
      try {
        const body = await res.json();
        if (body && body.error) text = body.error;
      } catch (e) { /* not JSON: keep the generic text */ }
      showError(text);
    } catch (e) {
      showError('Cannot reach the server: ' + e.message);
    } finally {
      button.disabled = false;
    }
  });
})();
