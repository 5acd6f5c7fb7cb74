import { ClickPyQuery, VariableKind } from './types';

export const DEFAULT_VARIABLE_QUERY = {
  queryType: 'variable',
  variable: 'top_packages',
  limit: 10,
} satisfies Partial<ClickPyQuery>;

/**
 * Reads a stored variable query. A plain string (what other data sources
 * and older dashboards store) is taken as a package-name prefix.
 */
export function toVariableQuery(stored: unknown, refId = 'variable'): ClickPyQuery & { variable: VariableKind } {
  if (typeof stored === 'string') {
    return { refId, queryType: 'variable', variable: 'packages', prefix: stored.trim() };
  }
  if (!stored || typeof stored !== 'object') {
    return { refId, ...DEFAULT_VARIABLE_QUERY };
  }
  const q = stored as ClickPyQuery;
  const variable: VariableKind = q.variable ?? 'top_packages';
  return { ...q, refId: q.refId || refId, queryType: 'variable', variable };
}
