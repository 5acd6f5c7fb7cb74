import { ALL_VALUE, expandList, interpolateQuery, sqlValues, variableNames } from './interpolate';
import { FakeTemplateSrv } from './testing/fakeTemplateSrv';
import { ClickPyQuery } from './types';

const srv = new FakeTemplateSrv([
  { name: 'pkg', options: ['requests', 'httpx'], current: 'requests' },
  { name: 'pkgs', options: ['requests', 'httpx', 'urllib3'], current: ['httpx', 'urllib3'], multi: true },
  { name: 'all_pkgs', options: ['requests', 'httpx', 'urllib3'], current: [ALL_VALUE], multi: true, includeAll: true },
  { name: 'country', options: ['US', 'DE', 'FR'], current: ALL_VALUE, includeAll: true },
  { name: 'countries', options: ['US', 'DE', 'FR'], current: ['DE', 'FR'], multi: true },
  { name: 'py', options: ['3.11', '3.12'], current: '3.12' },
  { name: 'pre', options: ['django'], current: 'django' },
]);

describe('variableNames', () => {
  it('finds every syntax', () => {
    expect(variableNames('$a ${b} ${c:csv} [[d]] [[e:raw]] ${f.x} plain')).toEqual(['a', 'b', 'c', 'd', 'e', 'f']);
  });
});

describe('expandList', () => {
  it('keeps plain values and drops blanks and duplicates', () => {
    expect(expandList(['requests', ' ', 'requests', 'numpy'], {}, srv, false)).toEqual(['requests', 'numpy']);
  });

  it('expands a single-value variable into one entry', () => {
    expect(expandList(['$pkg'], {}, srv, false)).toEqual(['requests']);
    expect(expandList(['${pkg}', 'numpy'], {}, srv, false)).toEqual(['requests', 'numpy']);
  });

  it('expands a multi-value variable into one entry per value', () => {
    expect(expandList(['numpy', '$pkgs'], {}, srv, false)).toEqual(['numpy', 'httpx', 'urllib3']);
  });

  it('expands All into every value of the variable for packages', () => {
    expect(expandList(['$all_pkgs'], {}, srv, false)).toEqual(['requests', 'httpx', 'urllib3']);
  });

  it('turns All into no filter for the other lists', () => {
    expect(expandList(['US', '$country'], {}, srv, true)).toEqual([]);
    expect(expandList(['$countries'], {}, srv, true)).toEqual(['DE', 'FR']);
  });

  it('prefers scoped values (repeated panels)', () => {
    expect(expandList(['$pkgs'], { pkgs: { text: 'numpy', value: 'numpy' } }, srv, false)).toEqual(['numpy']);
    expect(expandList(['$country'], { country: { text: 'DE', value: 'DE' } }, srv, true)).toEqual(['DE']);
  });

  it('leaves unknown variables as written', () => {
    expect(expandList(['$nope'], {}, srv, false)).toEqual(['$nope']);
  });
});

describe('interpolateQuery', () => {
  it('expands every list and keeps only the backend keys', () => {
    const query = {
      refId: 'A',
      queryType: 'timeseries',
      packages: ['$pkgs'],
      versions: [],
      countries: ['$country'],
      python_minors: ['$py'],
      granularity: 'day',
      // Left by another data source's editor: the backend would refuse it.
      expr: 'up',
    } as ClickPyQuery & { expr: string };
    expect(interpolateQuery(query, {}, srv)).toEqual({
      refId: 'A',
      queryType: 'timeseries',
      packages: ['httpx', 'urllib3'],
      python_minors: ['3.12'],
      granularity: 'day',
    });
  });

  it('replaces variables in the prefix and the SQL', () => {
    const q = interpolateQuery(
      {
        refId: 'A',
        queryType: 'sql',
        rawSql: "SELECT 1 WHERE project = '$pkg' AND project IN ($pkgs)",
      },
      {},
      srv
    );
    expect(q.rawSql).toBe("SELECT 1 WHERE project = 'requests' AND project IN ('httpx','urllib3')");
    expect(
      interpolateQuery({ refId: 'V', queryType: 'variable', variable: 'packages', prefix: '$pre-' }, {}, srv).prefix
    ).toBe('django-');
  });

  it('replaces a variable in minPython', () => {
    expect(
      interpolateQuery({ refId: 'P', queryType: 'python_support', packages: ['$pkg'], minPython: '$pre' }, {}, srv)
    ).toEqual({ refId: 'P', queryType: 'python_support', packages: ['requests'], minPython: 'django' });
  });

  it('quotes SQL values safely', () => {
    expect(sqlValues(["it's", 'a\\b'])).toBe("'it\\'s','a\\\\b'");
    expect(sqlValues('plain')).toBe('plain');
  });
});
