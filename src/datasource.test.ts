import { CoreApp, DataQueryRequest, dateTime } from '@grafana/data';
import { setTemplateSrv } from '@grafana/runtime';
import { of } from 'rxjs';

import { DataSource } from './datasource';
import { ALL_VALUE } from './interpolate';
import { FakeTemplateSrv } from './testing/fakeTemplateSrv';
import { instanceSettings } from './testing/fixtures';
import { ClickPyQuery } from './types';
import { toVariableQuery } from './variableQuery';

beforeEach(() => {
  setTemplateSrv(
    new FakeTemplateSrv([
      { name: 'package', options: ['requests', 'httpx'], current: 'httpx' },
      { name: 'packages', options: ['requests', 'httpx', 'numpy'], current: ['requests', 'numpy'], multi: true },
      { name: 'installer', options: ['pip', 'uv'], current: [ALL_VALUE], multi: true, includeAll: true },
    ])
  );
});

function request(targets: ClickPyQuery[]): DataQueryRequest<ClickPyQuery> {
  const now = dateTime();
  return {
    requestId: 'r',
    interval: '1d',
    intervalMs: 86_400_000,
    range: { from: now, to: now, raw: { from: 'now-7d', to: 'now' } },
    scopedVars: {},
    targets,
    timezone: 'utc',
    app: CoreApp.Dashboard,
    startTime: 0,
  };
}

describe('DataSource', () => {
  const ds = new DataSource(instanceSettings);

  it('has a default query that runs everywhere, Explore included', () => {
    const q = { refId: 'A', ...ds.getDefaultQuery(CoreApp.Explore) };
    expect(q).toEqual({ refId: 'A', queryType: 'timeseries', granularity: 'auto' });
    expect(ds.filterQuery(q)).toBe(true);
  });

  it('skips hidden and incomplete queries', () => {
    expect(ds.filterQuery({ refId: 'A', queryType: 'summary', packages: ['requests'] })).toBe(true);
    expect(ds.filterQuery({ refId: 'A', queryType: 'summary', packages: ['requests'], hide: true })).toBe(false);
    expect(ds.filterQuery({ refId: 'A', queryType: 'summary' })).toBe(false);
    expect(ds.filterQuery({ refId: 'A', queryType: 'details', packages: ['a', 'b'] })).toBe(false);
    expect(ds.filterQuery({ refId: 'A', queryType: 'breakdown' })).toBe(false);
    expect(ds.filterQuery({ refId: 'A', queryType: 'sql' })).toBe(false);
  });

  it('expands single, multi-value and All variables', () => {
    const q = ds.applyTemplateVariables(
      {
        refId: 'A',
        queryType: 'timeseries',
        packages: ['$package', '$packages'],
        installers: ['$installer'],
        versions: ['${package}'],
      },
      {}
    );
    expect(q).toEqual({
      refId: 'A',
      queryType: 'timeseries',
      packages: ['httpx', 'requests', 'numpy'],
      versions: ['httpx'],
    });
  });

  it('interpolates in Explore too', () => {
    const [q] = ds.interpolateVariablesInQueries([{ refId: 'A', packages: ['$packages'] }], {});
    expect(q.packages).toEqual(['requests', 'numpy']);
  });

  it("asks for one package's values only when the name stands for one package", async () => {
    const fresh = new DataSource(instanceSettings);
    const get = jest.spyOn(fresh, 'getResource').mockResolvedValue([]);
    await fresh.resources.dimensionValues('installer', '$package');
    await fresh.resources.dimensionValues('installer', '$packages');
    await fresh.resources.dimensionValues('installer', '$unknown');
    await fresh.resources.versions('$packages');
    await fresh.resources.versions('$package');
    expect(get.mock.calls).toEqual([
      ['dimensions/installer', { package: 'httpx' }],
      ['dimensions/installer', {}],
      ['versions', { package: 'httpx' }],
    ]);
  });

  it('offers dashboard variables to the pickers', () => {
    expect(ds.resources.variableOptions().map((o) => o.value)).toEqual(['$package', '$packages', '$installer']);
  });

  it('runs releases as annotations, skipping a target without its package', () => {
    const prepare = ds.annotations?.prepareQuery;
    expect(ds.annotations?.getDefaultQuery?.()).toEqual({ queryType: 'releases' });
    expect(
      prepare?.({ name: 'Releases', enable: true, iconColor: 'red', target: { refId: '', packages: ['requests'] } })
    ).toEqual({
      refId: 'Anno',
      queryType: 'releases',
      packages: ['requests'],
    });
    expect(prepare?.({ name: 'Releases', enable: true, iconColor: 'red', target: { refId: 'A' } })).toBeUndefined();
  });

  it('runs variable queries as query type variable', () => {
    const spy = jest.spyOn(ds, 'runVariableQuery').mockReturnValue(of({ data: [] }));
    const support = ds.variables as unknown as { query: (r: DataQueryRequest<ClickPyQuery>) => unknown };
    support.query(request(['django-' as unknown as ClickPyQuery, { refId: 'B', variable: 'countries' }]));
    expect(spy.mock.calls[0][0].targets).toEqual([
      { refId: 'variable', queryType: 'variable', variable: 'packages', prefix: 'django-' },
      { refId: 'B', queryType: 'variable', variable: 'countries' },
    ]);
  });

  it('reads stored variable queries', () => {
    expect(toVariableQuery(undefined)).toEqual({
      refId: 'variable',
      queryType: 'variable',
      variable: 'top_packages',
      limit: 10,
    });
  });
});
