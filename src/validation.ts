import { ClickPyOptions, ClickPySecureOptions } from './types';

// The checks pkg/datasource/settings.go applies when the data source loads,
// made in the browser so the form can say what is wrong before saving.

export const MAX_TIMEOUT_MS = 30 * 60 * 1000;
export const MAX_CACHE_TTL_MS = 24 * 60 * 60 * 1000;
const MAX_IDENTIFIER = 64;

const UNIT_MS: Record<string, number> = {
  ns: 1e-6,
  us: 1e-3,
  '\u00b5s': 1e-3,
  '\u03bcs': 1e-3,
  ms: 1,
  s: 1000,
  m: 60_000,
  h: 3_600_000,
};

const PART_RE = /^(\d*\.?\d*)(ns|us|\u00b5s|\u03bcs|ms|s|m|h)/;

/**
 * Reads a duration as the backend does: Go's "1m30s" form, or a bare whole
 * number of seconds. Returns milliseconds, or NaN when the text is neither.
 */
export function parseDuration(text: string): number {
  let t = text.trim();
  if (/^[0-9]+$/.test(t)) {
    // A bare number is seconds; the backend refuses leading zeros ("030").
    return t.length > 1 && t.startsWith('0') ? NaN : Number(t) * 1000;
  }
  let sign = 1;
  if (t.startsWith('-') || t.startsWith('+')) {
    sign = t.startsWith('-') ? -1 : 1;
    t = t.slice(1);
  }
  if (t === '0') {
    return 0;
  }
  if (t === '') {
    return NaN;
  }
  let total = 0;
  while (t !== '') {
    const m = PART_RE.exec(t);
    if (!m || m[1] === '' || m[1] === '.') {
      return NaN;
    }
    total += Number(m[1]) * UNIT_MS[m[2]];
    t = t.slice(m[0].length);
  }
  return sign * total;
}

function formatMs(ms: number): string {
  if (ms >= 3_600_000 && ms % 3_600_000 === 0) {
    return `${ms / 3_600_000}h`;
  }
  if (ms >= 60_000 && ms % 60_000 === 0) {
    return `${ms / 60_000}m`;
  }
  return `${ms / 1000}s`;
}

function durationError(text: string | undefined, max: number, allowZero: boolean): string | undefined {
  if (text === undefined || text.trim() === '') {
    return undefined;
  }
  const ms = parseDuration(text);
  if (Number.isNaN(ms)) {
    return 'A duration such as 30s, 2m or 1h30m (a bare number is seconds)';
  }
  if (ms < 0 || ms > max) {
    return `Out of range 0 to ${formatMs(max)}`;
  }
  if (!allowZero && ms === 0) {
    return 'Must be above 0';
  }
  return undefined;
}

export function identifierError(name: string | undefined): string | undefined {
  if (!name) {
    return 'Empty';
  }
  if (name.length > MAX_IDENTIFIER) {
    return `Longer than ${MAX_IDENTIFIER} characters`;
  }
  if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(name)) {
    return 'Only ASCII letters, digits and underscores, not starting with a digit';
  }
  return undefined;
}

function rangeError(n: number | undefined, min: number, max: number): string | undefined {
  if (n === undefined || n === 0) {
    return undefined;
  }
  if (!Number.isInteger(n) || n < min || n > max) {
    return `A whole number from ${min} to ${max}`;
  }
  return undefined;
}

/** One server of the host list: a name or IPv4 with an optional :port, or [IPv6] with one. */
const HOST_RE = /^(\[[0-9A-Fa-f:.]+\]|[^\s/?#@:\[\]]+)(:(\d{1,5}))?$/;

export function hostError(host: string | undefined): string | undefined {
  const h = (host ?? '').trim();
  if (h === '') {
    return 'Required: the ClickHouse server’s host name';
  }
  for (const part of h.split(',')) {
    const m = HOST_RE.exec(part.trim());
    if (!m || (m[3] !== undefined && (Number(m[3]) < 1 || Number(m[3]) > 65535))) {
      return 'Host names or IPs, each with an optional :port and separated by commas, without scheme or path';
    }
  }
  return undefined;
}

const BYTE_UNITS: Record<string, number> = {
  '': 1,
  B: 1,
  KB: 1e3,
  MB: 1e6,
  GB: 1e9,
  KIB: 2 ** 10,
  MIB: 2 ** 20,
  GIB: 2 ** 30,
};
const MIN_RESULT_BYTES = 64 * 2 ** 10;
const MAX_RESULT_BYTES = 2 ** 30;

/** maxResultBytes as the backend reads it: bytes, or a number with a unit such as 64MiB. */
export function resultBytesError(v: string | number | undefined): string | undefined {
  if (v === undefined || v === '') {
    return undefined;
  }
  const m = /^(\d+)\s*([A-Za-z]*)$/.exec(String(v).trim());
  const mult = m ? BYTE_UNITS[m[2].toUpperCase()] : undefined;
  if (!m || mult === undefined) {
    return 'A size such as 67108864, 64MiB or 100MB';
  }
  const n = Number(m[1]) * mult;
  if (n < MIN_RESULT_BYTES || n > MAX_RESULT_BYTES) {
    return 'Out of range 64 KiB to 1024 MiB';
  }
  return undefined;
}

/** Which secrets are set: saved before (secureJsonFields) or typed now (secureJsonData). */
export type SecretState = Partial<Record<keyof ClickPySecureOptions, boolean>>;

export type SettingsErrors = Partial<Record<string, string>>;

/** Errors keyed by the setting's jsonData or secureJsonData name; clickhouseSettings rows as clickhouseSettings.N. */
export function validateSettings(j: ClickPyOptions, secrets: SecretState): SettingsErrors {
  const errors: SettingsErrors = {
    host: hostError(j.host),
    port: rangeError(j.port, 1, 65535),
    database: j.database ? identifierError(j.database) : undefined,
    githubDatabase: j.githubDatabase ? identifierError(j.githubDatabase) : undefined,
    dialTimeout: durationError(j.dialTimeout, MAX_TIMEOUT_MS, false),
    queryTimeout: durationError(j.queryTimeout, MAX_TIMEOUT_MS, false),
    cacheTTL: durationError(j.cacheTTL, MAX_CACHE_TTL_MS, true),
    maxOpenConns: rangeError(j.maxOpenConns, 1, 1000),
    cacheSize: rangeError(j.cacheSize, 1, 1_000_000),
    maxResultBytes: resultBytesError(j.maxResultBytes),
  };
  if (j.protocol && j.protocol !== 'native' && j.protocol !== 'http') {
    errors.protocol = 'Native or HTTP';
  }
  if (!!secrets.tlsClientCert !== !!secrets.tlsClientKey) {
    const msg = 'A client certificate needs its key, and the key its certificate';
    errors[secrets.tlsClientCert ? 'tlsClientKey' : 'tlsClientCert'] = msg;
  }
  (j.clickhouseSettings ?? []).forEach((s, i) => {
    const e =
      s.name.toLowerCase() === 'readonly'
        ? 'readonly is the data source’s own: every query runs with readonly=2'
        : identifierError(s.name);
    if (e) {
      errors[`clickhouseSettings.${i}`] = `Setting name: ${e}`;
    }
  });
  for (const k of Object.keys(errors)) {
    if (errors[k] === undefined) {
      delete errors[k];
    }
  }
  return errors;
}

/** The port the backend uses when none is set. */
export function defaultPort(protocol: ClickPyOptions['protocol'], secure: boolean | undefined): number {
  if (protocol === 'http') {
    return secure ? 8443 : 8123;
  }
  return secure ? 9440 : 9000;
}
