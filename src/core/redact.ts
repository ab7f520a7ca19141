/**
 * The one redaction function for every string that can reach stderr, a log, a result file or a report:
 * URL user-info (`//user:password@`), query/fragment parameters whose names look like credentials
 * (`api_key=`, `token=`, `X-Amz-Signature=`, ...), `Authorization:`/`api-key:` header values, `Bearer` tokens,
 * and the literal values of secrets registered with `registerSecret` (an API key a server echoes back).
 * Callers that shorten text redact first and cut afterwards (`redactAndTruncate`), so a secret straddling the
 * cut cannot leak in part.
 */

const MASK = '***';
const secrets = new Set<string>();

/** Values shorter than this are not registered: masking "a" everywhere would garble messages, not protect anything. */
const MIN_SECRET_LENGTH = 4;

/** Remembers a secret value (an API key read from the environment) so that every later redaction masks it. */
export function registerSecret(value: string | undefined): void {
  if (value && value.length >= MIN_SECRET_LENGTH) secrets.add(value);
}

/** Parameter names that carry credentials. `*_env` names hold an environment variable's name, not a secret. */
const SECRET_PARAM = /^(?!.*_env$)[\w.-]*(?:key|token|secret|passw(?:or)?d|pwd|auth|signature|sig|credential|session)[\w.-]*$/i;

export function redact(text: string, extra: Iterable<string> = []): string {
  let s = text;
  // Literal secret values first (longest first, so a key containing another is masked whole).
  const values = [...secrets, ...[...extra].filter((v) => v && v.length >= MIN_SECRET_LENGTH)].sort((a, b) => b.length - a.length);
  for (const v of values) s = s.split(v).join(MASK);
  // user-info in anything URL-shaped, whatever the scheme (ftp://u:p@h, http://u@h, or a URL that does not parse).
  s = s.replace(/(\/\/)[^/@\s"'<>]*@/g, `$1${MASK}@`);
  // name=value pairs after ? & # ; whose name looks like a credential.
  s = s.replace(/([?&#;][\s]*)([\w.-]+)=([^&#\s"'<>]*)/g, (m, lead: string, name: string, value: string) =>
    SECRET_PARAM.test(name) && value !== MASK ? `${lead}${name}=${MASK}` : m,
  );
  // Header-shaped secrets, plain or JSON-quoted: Authorization: Bearer x, "api-key": "x", x-api-key=x.
  s = s.replace(
    /((?:proxy-)?authorization|x-api-key|api-key|apikey)(["']?\s*[:=]\s*["']?)(?:(Bearer|Basic|Token|Digest)\s+)?[^\s"',;}]+/gi,
    (_m, name: string, sep: string, scheme?: string) => `${name}${sep}${scheme ? `${scheme} ` : ''}${MASK}`,
  );
  // A bare bearer token anywhere else.
  s = s.replace(/\b(Bearer)\s+(?!\*\*\*)[A-Za-z0-9._~+/=-]+/g, `$1 ${MASK}`);
  return s;
}

/** Redacts, then shortens to `max` characters (whitespace runs collapsed), so the cut can never split a secret. */
export function redactAndTruncate(text: string, max: number, extra: Iterable<string> = []): string {
  const s = redact(text, extra).replace(/\s+/g, ' ');
  return s.length > max ? `${s.slice(0, max)}...` : s;
}
