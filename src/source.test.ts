import { FieldType, createDataFrame } from '@grafana/data';

import { sourceOf, tablesIn } from './source';

const timeseriesSQL = `SELECT
    toStartOfWeek(date, 1) AS t,
    project AS package,
    toInt64(sum(count)) AS v,
    (SELECT max(max_date) FROM pypi.pypi_downloads_max_min) AS data_end
FROM pypi.pypi_downloads_per_day_by_version
WHERE date >= {from:Date}
GROUP BY t, package`;

describe('tablesIn', () => {
  it('lists the tables counts come from, without helpers', () => {
    expect(tablesIn(timeseriesSQL)).toEqual(['pypi_downloads_per_day_by_version']);
    expect(tablesIn('SELECT 1 FROM db.pypi AS p INNER JOIN db.projects ON 1')).toEqual(['pypi', 'projects']);
  });
});

describe('sourceOf', () => {
  it('reads the frame with the refId', () => {
    const frame = createDataFrame({
      refId: 'A',
      fields: [{ name: 'time', type: FieldType.time, values: [] }],
      meta: {
        executedQueryString: 'SELECT count() FROM pypi.pypi',
        notices: [{ severity: 'warning', text: 'scanned the raw pypi table' }],
      },
    });
    expect(sourceOf([frame], 'A')).toEqual({ tables: ['pypi'], raw: true, notices: ['scanned the raw pypi table'] });
    expect(sourceOf([frame], 'B')).toBeUndefined();
  });

  it('prefers a source table the backend names', () => {
    const frame = createDataFrame({
      refId: 'A',
      fields: [],
      meta: { custom: { sourceTable: 'pypi_downloads_per_day' }, executedQueryString: 'SELECT 1 FROM x.y' },
    });
    expect(sourceOf([frame], 'A')?.tables).toEqual(['pypi_downloads_per_day']);
  });
});
