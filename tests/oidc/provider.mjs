// A real OpenID Connect provider (the npm package oidc-provider) on loopback, for the
// tests of council single sign-on (tests/test_auth_oidc.py). Nothing here mocks the
// protocol: discovery, PKCE, the code exchange, signed ID tokens and their claims are
// the library's own. The test harness adds only what a test needs to drive it:
//
// - the "person at the keyboard": /interaction/<uid> signs in the account named by the
//   authorisation request's login_hint (a test adds it, as a browser would type it);
// - clients that misbehave on purpose: "feedback-expiring" gets ID tokens that last one
//   second, and "feedback-misissued" gets ID tokens made out to another client.
//
// Usage: node tests/oidc/provider.mjs PORT ACCOUNTS.json REDIRECT_URI
import fs from 'node:fs';
import http from 'node:http';

import { Provider } from 'oidc-provider';

const [port, accountsFile, redirectUri] = process.argv.slice(2);
const accounts = JSON.parse(fs.readFileSync(accountsFile, 'utf8'));
const issuer = `http://127.0.0.1:${port}`;
const client = (id) => ({
  client_id: id,
  client_secret: `${id}-secret`,
  redirect_uris: [redirectUri],
  grant_types: ['authorization_code'],
  response_types: ['code'],
  token_endpoint_auth_method: 'client_secret_basic',
});

const provider = new Provider(issuer, {
  clients: [client('feedback'), client('feedback-expiring'), client('feedback-misissued'),
    client('another-app')],
  pkce: { required: () => true },
  // As Microsoft Entra ID does: the ID token itself carries e-mail and groups.
  conformIdTokenClaims: false,
  claims: { openid: ['sub'], email: ['email', 'email_verified'], profile: ['name', 'groups'] },
  scopes: ['openid', 'email', 'profile'],
  features: { devInteractions: { enabled: false } },
  ttl: {
    IdToken: (ctx, token, clientOf) => (clientOf.clientId === 'feedback-expiring' ? 1 : 3600),
  },
  async findAccount(ctx, sub) {
    const account = accounts[sub];
    if (!account) return undefined;
    return { accountId: sub, claims: async () => ({ sub, ...account }) };
  },
  // First-party: no consent screen; the grant is made as the person signs in.
  async loadExistingGrant(ctx) {
    const { oidc } = ctx;
    const grantId = oidc.result?.consent?.grantId || oidc.session.grantIdFor(oidc.client.clientId);
    if (grantId) return oidc.provider.Grant.find(grantId);
    const grant = new oidc.provider.Grant({ clientId: oidc.client.clientId,
      accountId: oidc.session.accountId });
    grant.addOIDCScope('openid email profile');
    await grant.save();
    return grant;
  },
});

const issueIdToken = provider.IdToken.prototype.issue;
provider.IdToken.prototype.issue = async function issue(options) {
  if (this.client?.clientId === 'feedback-misissued') {
    this.client = await provider.Client.find('another-app');
  }
  return issueIdToken.call(this, options);
};

const handler = provider.callback();
const server = http.createServer(async (req, res) => {
  const interaction = req.url.match(/^\/interaction\/([^/?]+)/);
  if (!interaction) {
    handler(req, res);
    return;
  }
  try {
    const details = await provider.interactionDetails(req, res);
    const accountId = details.params.login_hint;
    if (!accounts[accountId]) {
      await provider.interactionFinished(req, res, { error: 'access_denied',
        error_description: 'no such account' });
      return;
    }
    await provider.interactionFinished(req, res, { login: { accountId } },
      { mergeWithLastSubmission: false });
  } catch (error) {
    res.statusCode = 500;
    res.end(String(error));
  }
});
server.listen(Number(port), '127.0.0.1', () => {
  process.stdout.write(`listening ${issuer}\n`);
});
