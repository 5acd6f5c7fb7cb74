import {
  ALL_TIME_TYPES,
  ClickPyQuery,
  DEFAULT_SQL,
  DIMENSIONS,
  GRAFANA_KEYS,
  INSTALLER_TYPE,
  LIST_FIELDS,
  MAX_LIMIT,
  MAX_PACKAGES,
  DEFAULT_MIN_PYTHON,
  MIN_PYTHON_PATTERN,
  MODEL_KEYS,
  ONE_PACKAGE_KINDS,
  QUERY_TYPES,
  QueryType,
  STATISTICS,
  VARIABLE_KINDS,
  queryTypeInfo,
} from './types';

const dimensionValues: string[] = DIMENSIONS.map((d) => d.value);

/**
 * Says what keeps a query from running, as the backend would, or undefined
 * when it is complete. A template variable counts as one value: it may
 * expand to several, and the backend then names the field.
 */
export function queryProblem(q: ClickPyQuery): string | undefined {
  const type: QueryType = q.queryType ?? 'timeseries';
  if (type === 'variable') {
    return variableProblem(q);
  }
  if (!QUERY_TYPES.some((t) => t.value === type)) {
    return `Unknown query type "${type}"`;
  }
  const info = queryTypeInfo(type);
  const packages = nonEmpty(q.packages);
  if (info.packages === 'one' && packages.length !== 1) {
    return `${info.label} needs exactly one package`;
  }
  if (info.packages === 'some' && packages.length === 0) {
    return `${info.label} needs at least one package`;
  }
  if (packages.length > MAX_PACKAGES) {
    return `At most ${MAX_PACKAGES} packages can be compared`;
  }
  if (q.limit !== undefined && !validLimit(q.limit)) {
    return `Limit must be a whole number from 1 to ${MAX_LIMIT}`;
  }
  if (q.breakdown && type !== 'timeseries') {
    return 'Only time series take a breakdown';
  }
  if (q.breakdown && !dimensionValues.includes(q.breakdown)) {
    return `Unknown breakdown "${q.breakdown}"`;
  }
  if (type === 'breakdown') {
    if (!q.dimension) {
      return 'Breakdown needs a dimension';
    }
    if (!dimensionValues.includes(q.dimension) && q.dimension !== INSTALLER_TYPE.value) {
      return `Unknown dimension "${q.dimension}"`;
    }
  }
  if (type === 'sql' && !(q.rawSql ?? '').trim()) {
    return 'SQL needs a statement';
  }
  if (type === 'python_support' && !MIN_PYTHON_PATTERN.test(q.minPython ?? '') && !(q.minPython ?? '').includes('$')) {
    return 'Python support needs the oldest Python kept, such as 3.10';
  }
  if (type === 'baseline' && q.statistic && !STATISTICS.some((s) => s.value === q.statistic)) {
    return `Unknown statistic "${q.statistic}"`;
  }
  return undefined;
}

function variableProblem(q: ClickPyQuery): string | undefined {
  if (!q.variable || !VARIABLE_KINDS.some((k) => k.value === q.variable)) {
    return 'Choose what the variable lists';
  }
  if (q.limit !== undefined && !validLimit(q.limit)) {
    return `Limit must be a whole number from 1 to ${MAX_LIMIT}`;
  }
  if (ONE_PACKAGE_KINDS.includes(q.variable) && nonEmpty(q.packages).length !== 1) {
    return `${q.variable.charAt(0).toUpperCase()}${q.variable.slice(1)} need exactly one package`;
  }
  if (q.variable === 'dimension' && !dimensionValues.includes(q.dimension ?? '')) {
    return 'Choose a dimension';
  }
  return undefined;
}

export function validLimit(n: number): boolean {
  return Number.isInteger(n) && n >= 1 && n <= MAX_LIMIT;
}

function nonEmpty(list: string[] | undefined): string[] {
  return (list ?? []).filter((v) => v.trim() !== '');
}

/**
 * Keeps only what the backend accepts: the model's keys and Grafana's
 * refId, datasource, hide and key. Empty lists and unset values go, so the
 * stored JSON says only what the editor shows.
 */
export function cleanQuery(q: ClickPyQuery): ClickPyQuery {
  const out: Record<string, unknown> = {};
  const src: Record<string, unknown> = { ...q };
  for (const k of [...GRAFANA_KEYS, ...MODEL_KEYS]) {
    const v = src[k];
    if (v === undefined || v === null || v === '') {
      continue;
    }
    if (Array.isArray(v) && v.length === 0) {
      continue;
    }
    out[k] = v;
  }
  // refId is required by DataQuery; keep it even when empty.
  return { ...out, refId: q.refId ?? '' } as ClickPyQuery;
}

/**
 * Switches a query to another type, dropping what the new type does not
 * take (so the stored JSON matches the editor) and keeping the first package
 * for the types that take one.
 */
export function withQueryType(q: ClickPyQuery, type: QueryType): ClickPyQuery {
  const info = queryTypeInfo(type);
  const next: ClickPyQuery = { ...q, queryType: type };
  if (info.packages === 'none') {
    delete next.packages;
  } else if (info.packages === 'one' && (next.packages?.length ?? 0) > 1) {
    next.packages = next.packages?.slice(0, 1);
  }
  if (!info.versions) {
    delete next.versions;
  }
  if (!info.filters) {
    for (const f of LIST_FIELDS) {
      if (f !== 'packages' && f !== 'versions') {
        delete next[f];
      }
    }
    delete next.excludeMirrors;
  }
  if (type !== 'timeseries') {
    delete next.breakdown;
  }
  if (type !== 'timeseries' && type !== 'python_support') {
    delete next.granularity;
  }
  if (type !== 'baseline') {
    delete next.statistic;
  }
  if (type !== 'python_support') {
    delete next.minPython;
  } else if (!next.minPython) {
    next.minPython = DEFAULT_MIN_PYTHON;
  }
  if (type !== 'breakdown') {
    delete next.dimension;
  }
  if (!info.limit && !(type === 'timeseries' && next.breakdown)) {
    delete next.limit;
  }
  if (type !== 'hot') {
    delete next.minDownloads;
  }
  if (!ALL_TIME_TYPES.includes(type)) {
    delete next.allTime;
  }
  if (type === 'breakdown' && !next.dimension) {
    next.dimension = 'country_code';
  }
  if (type === 'sql' && !next.rawSql?.trim()) {
    next.rawSql = DEFAULT_SQL;
  }
  delete next.variable;
  delete next.prefix;
  return next;
}
