/**
 * The playground's own browser code, served as static files (not inline) so the page works under
 * a strict Content-Security-Policy (script-src 'self'). Plain ES2017, no build step: it drives the
 * UMD globals React, ReactDOM and GraphiQL, and reads its settings from the page's JSON block.
 */

export const PLAYGROUND_SCRIPT = String.raw`(function () {
  'use strict';
  var config = JSON.parse(document.getElementById('cs-config').textContent);
  var form = document.getElementById('cs-login');
  var logoutButton = document.getElementById('cs-logout');
  var status = document.getElementById('cs-status');
  var root = ReactDOM.createRoot(document.getElementById('graphiql'));
  var fetcher = GraphiQL.createFetcher({ url: config.endpoint });
  var session = null; // { token, refreshToken, name, roles, expiresAt }

  function headersText() {
    return session ? JSON.stringify({ Authorization: 'Bearer ' + session.token }, null, 2) : '{}';
  }

  function render() {
    var headers = headersText();
    root.render(
      React.createElement(GraphiQL, {
        fetcher: fetcher,
        defaultTabs: config.tabs,
        // "headers" updates the open tab; "defaultHeaders" is what new tabs start with.
        headers: headers,
        defaultHeaders: headers,
        shouldPersistHeaders: false,
        defaultEditorToolsVisibility: 'headers',
      }),
    );
  }

  function showStatus(text, isError) {
    status.textContent = text;
    status.className = isError ? 'cs-status cs-error' : 'cs-status';
  }

  function update() {
    form.hidden = !!session;
    logoutButton.hidden = !session;
    if (session) {
      var who = session.name + (session.roles.length ? ' (' + session.roles.join(', ') + ')' : '');
      var expires = session.expiresAt ? new Date(session.expiresAt) : null;
      var until = expires && !isNaN(expires.getTime()) ? ', token valid until ' + expires.toLocaleTimeString() : '';
      showStatus('Logged in as ' + who + until, false);
    } else {
      showStatus('Not logged in: only login, refreshSession and logout work anonymously', false);
    }
    render();
  }

  // Anonymous on purpose: the router lets login/logout through without a token.
  function call(query, operationName, variables) {
    return fetch(config.endpoint, {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept: 'application/json' },
      body: JSON.stringify({ query: query, operationName: operationName, variables: variables }),
    }).then(function (response) {
      return response.json();
    });
  }

  form.addEventListener('submit', function (event) {
    event.preventDefault();
    var email = form.elements.namedItem('email').value;
    var password = form.elements.namedItem('password').value;
    showStatus('Logging in…', false);
    call(config.loginMutation, 'Login', { email: email, password: password })
      .then(function (body) {
        var login = body && body.data && body.data.login;
        if (!login || !login.accessToken) {
          throw new Error(body && body.errors && body.errors[0] ? body.errors[0].message : 'no token in the answer');
        }
        var user = login.user || {};
        session = {
          token: login.accessToken,
          refreshToken: login.refreshToken,
          name: user.fullName || email,
          roles: user.roles || [],
          expiresAt: login.expiresAt,
        };
        update();
      })
      .catch(function (error) {
        showStatus('Login failed: ' + error.message, true);
      });
  });

  logoutButton.addEventListener('click', function () {
    var refreshToken = session && session.refreshToken;
    session = null;
    update();
    // Revoke the sign-in on the server too; the page has forgotten the tokens either way.
    if (refreshToken) call(config.logoutMutation, 'Logout', { refreshToken: refreshToken }).catch(function () {});
  });

  update();
})();
`;

export const PLAYGROUND_STYLES = `html, body { height: 100%; margin: 0; }
body { display: flex; flex-direction: column; font-family: system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; }
[hidden] { display: none !important; }
.cs-toolbar { display: flex; flex-wrap: wrap; align-items: center; gap: 8px 16px; padding: 6px 12px;
  border-bottom: 1px solid #d9d9e3; background: #f6f7f9; font-size: 14px; }
.cs-title { font-weight: 600; }
.cs-login { display: flex; flex-wrap: wrap; align-items: center; gap: 6px; margin: 0; }
.cs-toolbar input { padding: 4px 6px; font: inherit; border: 1px solid #c4c4cf; border-radius: 4px; }
.cs-toolbar button { padding: 4px 12px; font: inherit; border: 1px solid #8c8ca1; border-radius: 4px; background: #fff; cursor: pointer; }
.cs-status { color: #3b3b4f; }
.cs-status.cs-error { color: #b00020; }
.cs-graphiql { flex: 1; min-height: 0; display: flex; flex-direction: column; }
.cs-graphiql > .graphiql-container { flex: 1; min-height: 0; }
`;
