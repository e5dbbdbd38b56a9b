// The /ubus client: JSON-RPC 2.0 calls as uhttpd-mod-ubus takes them, a public session
// (lime-app) for reading and an admin (root) session once the shared password is typed.
import { t } from './i18n.js';

const NULL_SID = '00000000000000000000000000000000';
let rpcId = 0;

export class RpcError extends Error {
  constructor(message, code) { super(message); this.code = code; }
}

async function post(body) {
  const ctl = new AbortController();
  const timer = setTimeout(() => ctl.abort(), 15000);
  try {
    const r = await fetch('/ubus', { method: 'POST', body: JSON.stringify(body), signal: ctl.signal });
    return await r.json();
  } finally {
    clearTimeout(timer);
  }
}

async function rawCall(sid, object, method, args = {}) {
  const reply = await post({ id: ++rpcId, jsonrpc: '2.0', method: 'call', params: [sid, object, method, args] });
  if (reply.error) throw new RpcError(reply.error.message, reply.error.code);
  const [status, data] = reply.result;
  if (status !== 0) throw new RpcError(status === 6 ? t('api.wrong_password') : t('api.failed', { status }), status);
  if (data && data.status === 'error') throw new RpcError(data.message || t('api.error'), 'app');
  return data || {};
}

async function login(username, password) {
  const data = await rawCall(NULL_SID, 'session', 'login', { username, password, timeout: 5000 });
  return data.ubus_rpc_session;
}

async function sessionValid(sid, group) {
  try {
    const acl = await rawCall(sid, 'session', 'access', {});
    return !!(acl['access-group'] && acl['access-group'][group]);
  } catch { return false; }
}

// Public session: reuse the stored one while it is alive, else log in as lime-app.
async function publicSid() {
  let sid = sessionStorage.getItem('sid');
  if (sid && await sessionValid(sid, 'lime-app')) return sid;
  sid = await login('lime-app', 'generic');
  sessionStorage.setItem('sid', sid);
  return sid;
}

export function isAdmin() { return !!sessionStorage.getItem('admin_sid'); }

export async function adminLogin(password) {
  const sid = await login('root', password);
  sessionStorage.setItem('admin_sid', sid);
  return sid;
}

// Logs in as root with an empty password (a node not yet given a shared password).
export async function tryAdminWithoutPassword() {
  try { await adminLogin(''); return true; } catch { return false; }
}

export function adminLogout() { sessionStorage.removeItem('admin_sid'); }

// A call with the public session.
export async function call(object, method, args) {
  const sid = await publicSid();
  try {
    return await rawCall(sid, object, method, args);
  } catch (e) {
    if (e.code === -32002) { // session expired meanwhile: once more with a fresh one
      sessionStorage.removeItem('sid');
      return rawCall(await publicSid(), object, method, args);
    }
    throw e;
  }
}

// A call that needs the admin session; throws RpcError code 'login' when there is none.
export async function adminCall(object, method, args) {
  const sid = sessionStorage.getItem('admin_sid');
  if (!sid) throw new RpcError(t('api.need_admin'), 'login');
  try {
    return await rawCall(sid, object, method, args);
  } catch (e) {
    if (e.code === -32002) {
      adminLogout();
      throw new RpcError(t('api.admin_ended'), 'login');
    }
    throw e;
  }
}
