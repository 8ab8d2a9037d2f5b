/** Query parameters that carry credentials (SDK keys, OFREP event-stream tokens). */
const SECRET_PARAMS = /([?&](?:key|token|apiKey|api_key|access_token)=)[^&#]*/gi;

/** The URL with credential values replaced, safe to log. */
export const redactUrl = (url: string): string => url.replace(SECRET_PARAMS, '$1[redacted]');
