import { DataFrame } from '@grafana/data';

/** Tables that only help a query (dates, country names), not where its counts come from. */
const HELPER_TABLES = ['pypi_downloads_max_min', 'countries', 'countries_dict', 'last_updated_dict'];

export const RAW_TABLE = 'pypi';

export interface SourceInfo {
  /** Tables the counts were read from, in order of appearance. */
  tables: string[];
  /** The raw downloads table was scanned. */
  raw: boolean;
  notices: string[];
}

const TABLE_RE = /\b(?:FROM|JOIN)\s+`?([A-Za-z_][A-Za-z0-9_]*)`?\.`?([A-Za-z_][A-Za-z0-9_]*)`?/gi;

/** The tables named after FROM or JOIN in the SQL the backend ran, without helpers. */
export function tablesIn(sql: string): string[] {
  const out: string[] = [];
  for (const m of sql.matchAll(TABLE_RE)) {
    const t = m[2];
    if (!HELPER_TABLES.includes(t) && !out.includes(t)) {
      out.push(t);
    }
  }
  return out;
}

/**
 * Which view answered the query with this refId, from the frame meta: a
 * `sourceTable` the backend may set in meta.custom, else the tables of the
 * executed SQL; and the backend's notices (a raw scan, a partial bucket).
 */
export function sourceOf(frames: DataFrame[] | undefined, refId: string): SourceInfo | undefined {
  const frame = frames?.find((f) => f.refId === refId && f.meta);
  const meta = frame?.meta;
  if (!meta) {
    return undefined;
  }
  const custom: Record<string, unknown> = meta.custom ?? {};
  let tables: string[] = [];
  if (typeof custom.sourceTable === 'string' && custom.sourceTable) {
    tables = [custom.sourceTable];
  } else if (meta.executedQueryString) {
    tables = tablesIn(meta.executedQueryString);
  }
  const notices = (meta.notices ?? []).map((n) => n.text).filter((t) => !!t);
  if (tables.length === 0 && notices.length === 0) {
    return undefined;
  }
  return { tables, raw: tables.includes(RAW_TABLE), notices };
}
