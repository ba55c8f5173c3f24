/** Query parameters that carry credentials (EventSource and the dashboard pass tokens this way). */
const SECRET_PARAMS = /([?&](?:access_token|token|api_key|apikey|key|secret|password)=)[^&#]*/gi;

/** `url` safe for a log line: credential values replaced by `[redacted]`. */
export function redactUrl(url: string): string {
  return url.replace(SECRET_PARAMS, '$1[redacted]');
}
