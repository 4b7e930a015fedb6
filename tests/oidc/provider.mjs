// A real OpenID provider on loopback for the tests of "Sign in with Google / Microsoft":
// the npm package oidc-provider, configured to speak as Google does (email_verified, hd)
// or as Microsoft does (tid, oid, an email claim a tenant's users may set), started by
// tests/oidc/conftest.py. It prints "listening <port>" once it answers.
//
//   node tests/oidc/provider.mjs <google|microsoft> <client id> <client secret>
//
// Beyond the provider's own endpoints the tests use three of this file's:
//   GET/POST /interaction/<uid>  the provider's sign-in page: an e-mail, "Sign in"
//   POST /_test/accounts         the accounts, as JSON: {login: {claims...}}
//   POST /_test/id-token         how the next ID tokens are spoilt: {"spoil": "expired" |
//                                "wrong-key" | "other-audience" | null}, for the hub's refusals
import http from 'node:http';
import { generateKeyPair, exportJWK, SignJWT, decodeJwt, decodeProtectedHeader } from 'jose';
import Provider, { interactionPolicy } from 'oidc-provider';

const [kind, clientId, clientSecret] = process.argv.slice(2);
const server = http.createServer();
await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
const { port } = server.address();
const issuer = `http://127.0.0.1:${port}`;

let accounts = {}; // login -> claims (sub included), replaced by POST /_test/accounts
let spoil = null;

const { privateKey } = await generateKeyPair('RS256', { extractable: true });
const signingKey = { ...(await exportJWK(privateKey)), kid: 'stand-in-1', alg: 'RS256', use: 'sig' };

const claimsOf = {
  google: { openid: ['sub', 'hd'], email: ['email', 'email_verified'], profile: ['name'] },
  microsoft: { openid: ['sub', 'tid', 'oid'], email: ['email'], profile: ['name', 'preferred_username'] },
}[kind];

// Google and Microsoft take prompt=select_account (the hub asks for it): their account
// chooser. Here it is the same sign-in page.
const policy = interactionPolicy.base();
policy.add(new interactionPolicy.Prompt({ name: 'select_account', requestable: true }), 0);
// The hub is registered as a loopback ("native") client, for which the provider would ask
// consent every time; Google and Microsoft ask a school's app none (its admin granted it).
policy.get('consent').checks.remove('native_client_prompt');

const provider = new Provider(issuer, {
  clients: [{
    client_id: clientId,
    client_secret: clientSecret,
    // A loopback client: any port of these (RFC 8252), so the suite's live servers need no
    // registration of their own; the hub's callback is otherwise exactly as in production.
    application_type: 'native',
    redirect_uris: ['localhost', '127.0.0.1'].flatMap((host) => ['google', 'microsoft']
      .map((name) => `http://${host}/sign-in/${name}/done`)),
    grant_types: ['authorization_code'],
    response_types: ['code'],
  }],
  jwks: { keys: [signingKey] },
  claims: claimsOf,
  // Google and Microsoft put the scopes' claims in the ID token itself.
  conformIdTokenClaims: false,
  pkce: { required: () => true },
  features: { devInteractions: { enabled: false } },
  interactions: { policy, url: (ctx, interaction) => `/interaction/${interaction.uid}` },
  // No consent screen: a school's own app, as a Workspace or Entra admin would configure it.
  async loadExistingGrant(ctx) {
    const grant = new ctx.oidc.provider.Grant({
      clientId: ctx.oidc.client.clientId, accountId: ctx.oidc.session.accountId,
    });
    grant.addOIDCScope('openid email profile');
    await grant.save();
    return grant;
  },
  async findAccount(ctx, id) {
    const claims = Object.values(accounts).find((account) => account.sub === id);
    return claims && { accountId: id, claims: async () => ({ ...claims }) };
  },
});

const page = (uid, error = '') => `<!doctype html><html lang="en"><head><title>Sign in - ${kind} stand-in</title><link rel="icon" href="data:,"></head>
<body><main><h1>Sign in to your ${kind === 'google' ? 'Google' : 'Microsoft'} account</h1>
${error ? `<p role="alert">${error}</p>` : ''}
<form method="post" action="/interaction/${uid}">
<label for="login">Email</label> <input id="login" name="login" type="email" autofocus>
<button type="submit">Sign in</button></form></main></body></html>`;

async function body(req) {
  let text = '';
  for await (const chunk of req) text += chunk;
  return text;
}

provider.use(async (ctx, next) => {
  const interaction = ctx.path.match(/^\/interaction\/([\w-]+)$/);
  if (interaction) {
    const details = await provider.interactionDetails(ctx.req, ctx.res);
    if (ctx.method === 'GET') {
      ctx.type = 'html';
      ctx.body = page(details.uid);
      return;
    }
    const login = new URLSearchParams(await body(ctx.req)).get('login')?.trim().toLowerCase();
    const account = accounts[login];
    if (!account) {
      ctx.type = 'html';
      ctx.body = page(details.uid, `Couldn't find your account: ${login}`);
      return;
    }
    await provider.interactionFinished(ctx.req, ctx.res, { select_account: {}, login: { accountId: account.sub } },
      { mergeWithLastSubmission: false });
    return;
  }
  if (ctx.method === 'POST' && ctx.path === '/_test/accounts') {
    accounts = JSON.parse(await body(ctx.req));
    ctx.status = 204;
    return;
  }
  if (ctx.method === 'POST' && ctx.path === '/_test/id-token') {
    ({ spoil } = JSON.parse(await body(ctx.req)));
    ctx.status = 204;
    return;
  }
  await next();
  if (ctx.path === '/token' && spoil && ctx.body?.id_token) {
    ctx.body = { ...ctx.body, id_token: await spoilt(ctx.body.id_token) };
  }
});

// The token the provider made, signed again: out of date by an hour, for another app, or
// by a key that is not the provider's (under the provider's key id, as a forger would).
async function spoilt(idToken) {
  const claims = decodeJwt(idToken);
  const header = decodeProtectedHeader(idToken);
  let key = privateKey;
  if (spoil === 'expired') {
    claims.iat -= 7200;
    claims.exp = claims.iat + 3600;
  } else if (spoil === 'other-audience') {
    claims.aud = 'another-app'; // a token the provider made for another app, passed on
  } else if (spoil === 'wrong-key') {
    ({ privateKey: key } = await generateKeyPair('RS256'));
  }
  return new SignJWT(claims).setProtectedHeader(header).sign(key);
}

server.on('request', provider.callback());
console.log(`listening ${port}`);
