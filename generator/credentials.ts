/**
 * What a credential looks like in text, for the two places that keep them out of rendered/: the
 * input model (free-text fields such as annotation values) and rule no-plaintext-secrets (every
 * rendered file). Shapes, not entropy: each matches a format a credential is written in.
 */
export interface CredentialShape {
  /** In words, for messages: "a PEM private key". */
  name: string;
  pattern: RegExp;
}

export const CREDENTIAL_SHAPES: readonly CredentialShape[] = [
  { name: 'a PEM private key', pattern: /-----BEGIN (?:[A-Z0-9]+ )*PRIVATE KEY-----/ },
  // kubeconfig users[].user: a bearer token, a client key, a password (kubectl config view --raw).
  { name: 'a kubeconfig credential', pattern: /(?:^|[\s{,"'])(?:token|client-key-data|password)["']?\s*:\s*["']?[A-Za-z0-9+/=._~-]{16,}/m },
  { name: 'a JSON Web Token', pattern: /\beyJ[A-Za-z0-9_-]{10,}\.eyJ[A-Za-z0-9_-]{10,}\.[A-Za-z0-9_-]{10,}/ },
  { name: 'an AWS access key', pattern: /\b(?:AKIA|ASIA)[0-9A-Z]{16}\b|aws_secret_access_key\s*[=:]\s*["']?[A-Za-z0-9/+=]{40}/i },
  { name: 'a GCP key', pattern: /\bAIza[0-9A-Za-z_-]{35}\b|"private_key_id"\s*:\s*"[0-9a-f]{40}"/ },
  { name: 'an Azure key', pattern: /AccountKey=[A-Za-z0-9+/]{40,}={0,2}|SharedAccessKey=[A-Za-z0-9+/]{40,}={0,2}/ },
];

/** The first credential in `text`, with its offset, if any. */
export function findCredential(text: string): { shape: string; offset: number } | undefined {
  let first: { shape: string; offset: number } | undefined;
  for (const { name, pattern } of CREDENTIAL_SHAPES) {
    const match = pattern.exec(text);
    if (match && (!first || match.index < first.offset)) first = { shape: name, offset: match.index };
  }
  return first;
}
