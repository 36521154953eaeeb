// A real OpenID provider for the single sign-on tests: oidc-provider (OpenID Certified) on
// loopback, with a static client, a few test accounts and short token lifetimes.
//
//   OIDC_TEST_REDIRECT_URI=http://127.0.0.1:5000/login/sso/callback \
//     node tests/oidc/provider.mjs PORT
//
// Prints "ready <issuer>" on stdout once it listens on 127.0.0.1:PORT. The sign-in and
// consent pages are oidc-provider's development interactions: the login is one of ACCOUNTS
// below (any password); findAccount finds no other.
//
// Clients (both confidential, authorization code only, PKCE required):
//   onevoice       (secret OIDC_TEST_CLIENT_SECRET): ID tokens valid 5 minutes
//   onevoice-slow  (same secret): ID tokens valid 1 second, and the token endpoint answers
//                  it 2.5 seconds late, so the ID token it carries has expired on arrival
// A second discovery document at /other-tenant/.well-known/openid-configuration is the real
// one with its issuer changed to <issuer>/other-tenant: an application configured with that
// issuer passes discovery but receives ID tokens whose "iss" is not its issuer. Another at
// /forged-keys/.well-known/openid-configuration publishes, under the same key id, a key
// that did not sign the ID tokens (/forged-keys/jwks): their signature does not verify.
import { generateKeyPairSync } from 'node:crypto';

import { Provider } from 'oidc-provider';

const port = Number(process.argv[2] || process.env.OIDC_TEST_PORT);
const redirectUri = process.env.OIDC_TEST_REDIRECT_URI;
const secret = process.env.OIDC_TEST_CLIENT_SECRET || 'onevoice-test-secret';
if (!Number.isInteger(port) || port <= 0 || !redirectUri) {
  console.error('usage: OIDC_TEST_REDIRECT_URI=<app callback> node provider.mjs PORT');
  process.exit(2);
}
const issuer = `http://127.0.0.1:${port}`;

// A fresh RSA signing key per run, and an impostor with the same key id.
const rsaJwk = () => ({
  ...generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey.export({ format: 'jwk' }),
  kid: 'onevoice-test', alg: 'RS256', use: 'sig',
});
const signing = rsaJwk();
const { d, p, q, dp, dq, qi, ...impostor } = rsaJwk();
const SLOW_DELAY_MS = 2500;

// login -> claims. onevoice_role / onevoice_team are the claims the tests map.
const ACCOUNTS = {
  agent: { email: 'agent@example.com', email_verified: true, name: 'Agent',
    onevoice_role: ['cc-agents'], onevoice_team: 'wired_care' },
  trainer: { email: 'Trainer@Example.com', email_verified: true, name: 'Trainer',
    onevoice_role: ['cc-managers', 'staff'], onevoice_team: ['wibro_care', 'wifi_support'] },
  admin: { email: 'admin@example.com', email_verified: true, name: 'Admin',
    onevoice_role: 'it-admins', onevoice_team: [] },
  unverified: { email: 'agent2@example.com', email_verified: false, name: 'Agent Two',
    onevoice_role: 'cc-agents', onevoice_team: 'wired_care' },
  stranger: { email: 'stranger@example.com', email_verified: true, name: 'Stranger',
    onevoice_role: 'cc-agents', onevoice_team: 'wired_care' },
  outsider: { email: 'agent@elsewhere.example', email_verified: true, name: 'Outsider',
    onevoice_role: 'cc-agents', onevoice_team: 'wired_care' },
  nogroup: { email: 'manager@example.com', email_verified: true, name: 'Manager',
    onevoice_role: ['contractors'], onevoice_team: [] },
};

const client = (clientId) => ({
  client_id: clientId,
  client_secret: secret,
  redirect_uris: [redirectUri],
  grant_types: ['authorization_code'],
  response_types: ['code'],
  token_endpoint_auth_method: 'client_secret_basic',
});

const provider = new Provider(issuer, {
  clients: [client('onevoice'), client('onevoice-slow')],
  async findAccount(ctx, id) {
    const claims = ACCOUNTS[id];
    if (!claims) return undefined;
    return { accountId: id, async claims() { return { sub: id, ...claims }; } };
  },
  claims: {
    openid: ['sub'],
    email: ['email', 'email_verified'],
    profile: ['name'],
    onevoice: ['onevoice_role', 'onevoice_team'],
  },
  scopes: ['openid', 'email', 'profile', 'onevoice'],
  pkce: { required: () => true },
  ttl: {
    IdToken: (ctx, token, c) => (c.clientId === 'onevoice-slow' ? 1 : 300),
    AccessToken: 300,
    AuthorizationCode: 60,
    Interaction: 600,
    Session: 600,
    Grant: 600,
  },
  cookies: { keys: ['onevoice-test-cookie-key'] },
  jwks: { keys: [signing] },
});

provider.use(async (ctx, next) => {
  const tenant = ctx.path.match(/^\/(other-tenant|forged-keys)\/\.well-known\/openid-configuration$/);
  if (tenant) {
    ctx.path = '/.well-known/openid-configuration';
    await next();
    ctx.body = { ...ctx.body, issuer: `${issuer}/${tenant[1]}` };
    if (tenant[1] === 'forged-keys') ctx.body.jwks_uri = `${issuer}/forged-keys/jwks`;
    return;
  }
  if (ctx.path === '/forged-keys/jwks') {
    ctx.body = { keys: [impostor] };
    return;
  }
  await next();
  const auth = ctx.get('authorization');
  if (ctx.path === '/token' && auth.startsWith('Basic ')) {
    const id = decodeURIComponent(Buffer.from(auth.slice(6), 'base64').toString().split(':')[0]);
    if (id === 'onevoice-slow') await new Promise((done) => setTimeout(done, SLOW_DELAY_MS));
  }
});

const server = provider.listen(port, '127.0.0.1', () => {
  console.log(`ready ${issuer}`);
});
const stop = () => server.close(() => process.exit(0));
process.on('SIGTERM', stop);
process.on('SIGINT', stop);
