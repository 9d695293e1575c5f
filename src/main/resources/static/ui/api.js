// Calls to this node's control surface. The session cookie goes along by itself (same origin);
// no secret is ever kept by this page or put in a URL.

export class ApiError extends Error {
  constructor(status, problem) {
    super((problem && (problem.detail || problem.title)) || `HTTP ${status}`);
    this.status = status;
    this.type = problem && problem.type;
  }
}

export async function api(method, path, body) {
  const init = { method, headers: { Accept: 'application/json, application/problem+json' }, cache: 'no-store' };
  if (body !== undefined) {
    init.headers['Content-Type'] = 'application/json';
    init.body = JSON.stringify(body);
  }
  let response;
  try {
    response = await fetch(path, init);
  } catch (e) {
    throw new ApiError(0, { detail: 'the node cannot be reached' });
  }
  const text = response.status === 204 ? '' : await response.text();
  let data = null;
  if (text) {
    try { data = JSON.parse(text); } catch (e) { data = { detail: text.slice(0, 200) }; }
  }
  if (!response.ok) {
    throw new ApiError(response.status, data);
  }
  return data;
}

export const signIn = (secret) => api('POST', '/session', { token: secret, password: secret });
export const signOut = () => api('DELETE', '/session');
export const status = () => api('GET', '/status');
export const history = (peer, limit) =>
  api('GET', `/history?limit=${limit}` + (peer ? `&peer=${encodeURIComponent(peer)}` : ''));
export const send = (recipient, message, network) => api('POST', '/message', { recipient, message, network });
export const markRead = (pk, ids) => api('POST', '/read-receipt', { pk, ids });
