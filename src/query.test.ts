import { cleanQuery, queryProblem, withQueryType } from './query';
import { ClickPyQuery, QUERY_TYPES } from './types';

const q = (extra: Partial<ClickPyQuery>): ClickPyQuery => ({ refId: 'A', ...extra });

describe('queryProblem', () => {
  it.each<[Partial<ClickPyQuery>, string | undefined]>([
    [{}, undefined],
    [{ queryType: 'timeseries', packages: ['requests'], breakdown: 'version', limit: 5 }, undefined],
    [{ queryType: 'summary' }, 'Summary needs at least one package'],
    [{ queryType: 'summary', packages: ['a', 'b'] }, undefined],
    [{ queryType: 'ranking', packages: ['a', 'b'] }, 'Ranking needs exactly one package'],
    [{ queryType: 'details', packages: ['$pkg'] }, undefined],
    [{ queryType: 'releases' }, 'Releases needs exactly one package'],
    [{ queryType: 'breakdown' }, 'Breakdown needs a dimension'],
    [{ queryType: 'breakdown', dimension: 'installer_type' }, undefined],
    [{ queryType: 'sql', rawSql: '  ' }, 'SQL needs a statement'],
    [{ queryType: 'sql', rawSql: 'SELECT 1' }, undefined],
    [{ queryType: 'top_packages', limit: 0 }, 'Limit must be a whole number from 1 to 1000'],
    [{ queryType: 'breakdown', dimension: 'system', breakdown: 'version' }, 'Only time series take a breakdown'],
    [{ packages: Array.from({ length: 21 }, (_, i) => `p${i}`) }, 'At most 20 packages can be compared'],
    [{ queryType: 'variable' }, 'Choose what the variable lists'],
    [{ queryType: 'variable', variable: 'versions' }, 'Versions need exactly one package'],
    [{ queryType: 'variable', variable: 'dependents' }, 'Dependents need exactly one package'],
    [{ queryType: 'variable', variable: 'dependents', packages: ['a', 'b'] }, 'Dependents need exactly one package'],
    [{ queryType: 'variable', variable: 'dependents', packages: ['$package'] }, undefined],
    [{ queryType: 'variable', variable: 'dimension', dimension: 'installer' }, undefined],
    [{ queryType: 'variable', variable: 'top_packages' }, undefined],
    [{ queryType: 'python_support', packages: ['a'] }, 'Python support needs the oldest Python kept, such as 3.10'],
    [
      { queryType: 'python_support', packages: ['a'], minPython: '3.x' },
      'Python support needs the oldest Python kept, such as 3.10',
    ],
    [{ queryType: 'python_support', packages: ['a'], minPython: '$min_python' }, undefined],
    [{ queryType: 'python_support', packages: ['a'], minPython: '3.10' }, undefined],
    [{ queryType: 'baseline', packages: ['a'], statistic: 'noise' }, undefined],
    [{ queryType: 'baseline' }, 'Baseline needs at least one package'],
    [{ queryType: 'adoption', packages: ['a', 'b'] }, 'Release adoption needs exactly one package'],
  ])('%j', (extra, want) => {
    expect(queryProblem(q(extra))).toBe(want);
  });
});

describe('withQueryType', () => {
  it('keeps one package for single-package types and drops what the type does not take', () => {
    const from = q({
      queryType: 'timeseries',
      packages: ['requests', 'httpx'],
      countries: ['US'],
      breakdown: 'version',
      limit: 5,
      granularity: 'week',
    });
    expect(withQueryType(from, 'details')).toEqual({ refId: 'A', queryType: 'details', packages: ['requests'] });
    expect(withQueryType(from, 'breakdown')).toEqual({
      refId: 'A',
      queryType: 'breakdown',
      packages: ['requests', 'httpx'],
      countries: ['US'],
      limit: 5,
      dimension: 'country_code',
    });
  });

  it('gives SQL an example statement', () => {
    expect(withQueryType(q({}), 'sql').rawSql).toContain('$__table(date, project)');
  });

  it('makes every type complete when a package is given', () => {
    for (const t of QUERY_TYPES) {
      expect([t.value, queryProblem(withQueryType(q({ packages: ['requests'] }), t.value))]).toEqual([
        t.value,
        undefined,
      ]);
    }
  });
});

describe('cleanQuery', () => {
  it('drops unknown keys, empty lists and empty strings', () => {
    const dirty = { refId: 'B', datasource: { uid: 'x' }, packages: [], rawSql: '', limit: 3, colour: 'red' };
    expect(cleanQuery(dirty as ClickPyQuery)).toEqual({ refId: 'B', datasource: { uid: 'x' }, limit: 3 });
  });

  it('keeps allTime, which provisioned dashboards set', () => {
    expect(cleanQuery(q({ queryType: 'totals', allTime: true }))).toEqual({
      refId: 'A',
      queryType: 'totals',
      allTime: true,
    });
  });
});

describe('withQueryType and allTime', () => {
  it('keeps allTime for counts over the range and drops it elsewhere', () => {
    expect(withQueryType(q({ queryType: 'totals', allTime: true }), 'top_packages').allTime).toBe(true);
    expect(
      withQueryType(q({ queryType: 'totals', allTime: true, packages: ['a'] }), 'details').allTime
    ).toBeUndefined();
  });
});
