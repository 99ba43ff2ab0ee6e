// The REST API (/api/v1) as the page uses it: a session cookie, the CSRF token on every change,
// and one error type carrying the API's own message, so every page can show it as it is.

let csrfToken = '';
let onSessionLost = () => {};

export class ApiError extends Error {
  constructor(status, code, message) {
    super(message);
    this.status = status; // 0 when Stripeline could not be reached at all
    this.code = code;     // the API's error.code, e.g. "invalid_secret_key"
  }
}

export function setCsrfToken(token) {
  csrfToken = token || '';
}

// Called once with the error when a signed-in request answers 401 (the session expired or was
// ended): the app then goes back to the login page.
export function setSessionLostHandler(handler) {
  onSessionLost = handler;
}

export async function api(method, path, body) {
  const headers = { Accept: 'application/json' };
  if (body !== undefined) headers['Content-Type'] = 'application/json';
  if (method !== 'GET') headers['X-CSRF-Token'] = csrfToken;
  let response;
  try {
    response = await fetch(`/api/v1${path}`, {
      method,
      headers,
      body: body === undefined ? undefined : JSON.stringify(body),
      credentials: 'same-origin',
      cache: 'no-store',
    });
  } catch {
    throw new ApiError(0, 'unreachable',
      'Stripeline cannot be reached. Check that the service is running, then try again.');
  }
  let json = null;
  try {
    json = await response.json();
  } catch {
    json = null;
  }
  if (!response.ok) {
    const error = new ApiError(response.status, json?.error?.code ?? `http_${response.status}`,
      json?.error?.message ?? `Stripeline answered HTTP ${response.status}.`);
    if (response.status === 401 && !path.startsWith('/auth/')) onSessionLost(error);
    throw error;
  }
  return json;
}

export const get = (path) => api('GET', path);
export const post = (path, body = {}) => api('POST', path, body);
export const patch = (path, body) => api('PATCH', path, body);
export const del = (path) => api('DELETE', path);
