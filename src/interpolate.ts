import { ScopedVars } from '@grafana/data';
import { TemplateSrv } from '@grafana/runtime';

import { cleanQuery } from './query';
import { ClickPyQuery, LIST_FIELDS, ListField } from './types';

/** Grafana's value for a variable set to All. */
export const ALL_VALUE = '$__all';

// Joins a multi-value variable's values inside one replace() call; a
// package, version or country never holds this control character.
const SEP = '\u001f';

// The variable syntaxes Grafana's template service replaces: $name,
// [[name]], [[name:format]], ${name}, ${name.path}, ${name:format}.
const VARIABLE_RE = /\$(\w+)|\[\[(\w+?)(?::(\w+))?\]\]|\$\{(\w+)(?:\.([^:^}]+))?(?::([^}]+))?\}/g;

/** Names of the variables a string refers to. */
export function variableNames(text: string): string[] {
  const names: string[] = [];
  for (const m of text.matchAll(VARIABLE_RE)) {
    const name = m[1] ?? m[2] ?? m[4];
    if (name && !names.includes(name)) {
      names.push(name);
    }
  }
  return names;
}

/** Whether the named variable currently stands for All. */
export function isAll(name: string, scopedVars: ScopedVars | undefined, srv: TemplateSrv): boolean {
  const scoped = scopedVars?.[name];
  if (scoped) {
    return holdsAll(scoped.value);
  }
  const variable = srv.getVariables().find((v) => v.name === name);
  if (!variable || !('current' in variable) || !variable.current) {
    return false;
  }
  return holdsAll(variable.current.value);
}

function holdsAll(value: unknown): boolean {
  return value === ALL_VALUE || (Array.isArray(value) && value.includes(ALL_VALUE));
}

const splitValues = (value: unknown): string =>
  Array.isArray(value) ? value.map((v) => String(v)).join(SEP) : String(value ?? '');

/**
 * Expands the entries of one list field. A single-value variable gives one
 * entry, a multi-value variable one entry per value, All every value of the
 * variable. For the filters other than packages, All means no filter
 * (returns an empty list): counting every value is the same as not
 * filtering, and without the filter a smaller summary table can answer.
 */
export function expandList(
  values: string[] | undefined,
  scopedVars: ScopedVars | undefined,
  srv: TemplateSrv,
  allMeansNoFilter: boolean
): string[] | undefined {
  if (!values) {
    return values;
  }
  const out: string[] = [];
  for (const entry of values) {
    if (!srv.containsTemplate(entry)) {
      push(out, entry);
      continue;
    }
    if (allMeansNoFilter && variableNames(entry).some((n) => isAll(n, scopedVars, srv))) {
      return [];
    }
    for (const v of srv.replace(entry, scopedVars, splitValues).split(SEP)) {
      push(out, v);
    }
  }
  return out;
}

function push(out: string[], v: string) {
  const t = v.trim();
  if (t !== '' && !out.includes(t)) {
    out.push(t);
  }
}

/** A ClickHouse string literal. */
export function sqlString(v: string): string {
  return `'${v.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`;
}

/**
 * Formats a variable inside SQL as Grafana's SQL data sources do: a single
 * value as written (the SQL quotes it), several values as a quoted,
 * comma-separated list for IN (...).
 */
export const sqlValues = (value: unknown): string => {
  if (Array.isArray(value)) {
    return value.map((v) => sqlString(String(v))).join(',');
  }
  return String(value ?? '');
};

/** The query with every variable replaced, ready for the backend. */
export function interpolateQuery(
  query: ClickPyQuery,
  scopedVars: ScopedVars | undefined,
  srv: TemplateSrv
): ClickPyQuery {
  const q = cleanQuery(query);
  for (const f of LIST_FIELDS) {
    const expanded = expandList(q[f], scopedVars, srv, f !== 'packages');
    setList(q, f, expanded);
  }
  if (q.rawSql) {
    q.rawSql = srv.replace(q.rawSql, scopedVars, sqlValues);
  }
  if (q.prefix) {
    q.prefix = srv.replace(q.prefix, scopedVars);
  }
  if (q.minPython) {
    q.minPython = srv.replace(q.minPython, scopedVars);
  }
  return q;
}

function setList(q: ClickPyQuery, f: ListField, values: string[] | undefined) {
  if (values && values.length > 0) {
    q[f] = values;
  } else {
    delete q[f];
  }
}
