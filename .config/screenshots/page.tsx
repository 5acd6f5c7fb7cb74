// The editors rendered outside Grafana, with mocked props, for screenshots
// (npm run screenshots). Not part of the plugin bundle or CI.
import { css } from '@emotion/css';
import {
  DataSourceSettings,
  FieldType,
  LoadingState,
  PanelData,
  createDataFrame,
  createTheme,
  getDefaultTimeRange,
} from '@grafana/data';
import { setTemplateSrv } from '@grafana/runtime';
import { GlobalStyles, ThemeContext } from '@grafana/ui';
import React, { useEffect, useState } from 'react';
import { createRoot } from 'react-dom/client';

import { AnnotationQueryEditor } from '../../src/components/AnnotationQueryEditor';
import { ConfigEditor } from '../../src/components/ConfigEditor';
import { QueryEditor } from '../../src/components/QueryEditor';
import { VariableQueryEditor } from '../../src/components/VariableQueryEditor';
import logo from '../../src/img/logo.svg';
import { ALL_VALUE } from '../../src/interpolate';
import { FakeTemplateSrv } from '../../src/testing/fakeTemplateSrv';
import { fakeDataSource } from '../../src/testing/fixtures';
import { ClickPyOptions, ClickPyQuery, ClickPySecureOptions, PUBLIC_CLICKPY } from '../../src/types';
import { panelScene } from './panels';
import scenes from './scenes.json';

setTemplateSrv(
  new FakeTemplateSrv([
    { name: 'package', options: ['requests', 'httpx'], current: 'requests' },
    { name: 'installer', options: ['pip', 'uv'], current: ALL_VALUE, includeAll: true },
  ])
);

const datasource = fakeDataSource();

type Settings = DataSourceSettings<ClickPyOptions, ClickPySecureOptions>;

function settings(jsonData: ClickPyOptions, secureJsonFields: Record<string, boolean> = {}): Settings {
  return {
    id: 1,
    uid: 'clickpy',
    orgId: 1,
    name: 'ClickPy',
    typeLogoUrl: '',
    type: 'clickpy-pypi-datasource',
    typeName: 'ClickPy PyPI downloads',
    access: 'proxy',
    url: '',
    user: '',
    // eslint-disable-next-line @typescript-eslint/no-deprecated -- required by the type
    database: '',
    basicAuth: false,
    basicAuthUser: '',
    isDefault: false,
    jsonData,
    secureJsonFields,
    readOnly: false,
    withCredentials: false,
  };
}

function Config({ initial }: { initial: Settings }) {
  const [options, setOptions] = useState(initial);
  return <ConfigEditor options={options} onOptionsChange={setOptions} />;
}

function Query({ initial, data, open }: { initial: ClickPyQuery; data?: PanelData; open?: string }) {
  const [query, setQuery] = useState(initial);
  useOpenMenu(open);
  return (
    <QueryEditor query={query} onChange={setQuery} onRunQuery={() => undefined} datasource={datasource} data={data} />
  );
}

function Variable({ initial }: { initial: ClickPyQuery }) {
  const [query, setQuery] = useState(initial);
  return <VariableQueryEditor query={query} onChange={setQuery} onRunQuery={() => undefined} datasource={datasource} />;
}

function Annotation({ initial }: { initial: ClickPyQuery }) {
  const [query, setQuery] = useState(initial);
  return (
    <AnnotationQueryEditor query={query} onChange={setQuery} onRunQuery={() => undefined} datasource={datasource} />
  );
}

/** Opens a select's menu as a keyboard user would: focus, then arrow down. */
function useOpenMenu(inputId?: string) {
  useEffect(() => {
    if (!inputId) {
      return;
    }
    const t = setTimeout(() => {
      const input = document.getElementById(inputId);
      input?.focus();
      input?.dispatchEvent(new KeyboardEvent('keydown', { key: 'ArrowDown', bubbles: true }));
    }, 300);
    return () => clearTimeout(t);
  }, [inputId]);
}

function answered(sql: string, notices: string[] = []): PanelData {
  const frame = createDataFrame({
    refId: 'A',
    fields: [{ name: 'time', type: FieldType.time, values: [] }],
    meta: { executedQueryString: sql, notices: notices.map((text) => ({ severity: 'warning' as const, text })) },
  });
  return { state: LoadingState.Done, series: [frame], timeRange: getDefaultTimeRange() };
}

const compare: ClickPyQuery = {
  refId: 'A',
  queryType: 'timeseries',
  packages: ['requests', 'httpx'],
  versions: ['2.32.3'],
  countries: ['US', 'DE'],
  installers: ['$installer'],
  excludeMirrors: true,
  breakdown: 'python_minor',
  limit: 5,
  granularity: 'week',
};

function scene(name: string, theme: ReturnType<typeof createTheme>): React.ReactNode {
  const panel = panelScene(name, theme);
  if (panel !== undefined) {
    return panel;
  }
  switch (name) {
    case 'config-new':
      return <Config initial={settings({})} />;
    case 'config-public':
      return <Config initial={settings({ ...PUBLIC_CLICKPY, tlsSkipVerify: false })} />;
    case 'config-errors':
      return (
        <Config
          initial={settings(
            {
              host: 'https://db.example:9000',
              port: 70000,
              database: 'pypi-prod',
              queryTimeout: '2h',
              cacheTTL: 'soon',
              cacheSize: -5,
              clickhouseSettings: [
                { name: 'max_threads', value: '4' },
                { name: 'max threads', value: '8' },
              ],
            },
            { password: true, tlsClientCert: true }
          )}
        />
      );
    case 'query-timeseries':
      return (
        <Query
          initial={compare}
          data={answered('SELECT 1 FROM pypi.pypi_downloads_per_day_by_version_by_python_by_country WHERE 1', [])}
        />
      );
    case 'query-type-menu':
      return (
        <Query initial={{ refId: 'A', queryType: 'timeseries', packages: ['requests'] }} open="clickpy-query-type" />
      );
    case 'query-packages-menu':
      return (
        <Query initial={{ refId: 'A', queryType: 'timeseries', packages: ['requests'] }} open="clickpy-packages" />
      );
    case 'query-versions-menu':
      return (
        <Query
          initial={{ refId: 'A', queryType: 'timeseries', packages: ['requests', 'httpx'] }}
          open="clickpy-versions"
        />
      );
    case 'query-countries-menu':
      return <Query initial={{ refId: 'A', queryType: 'timeseries', countries: ['US'] }} open="clickpy-countries" />;
    case 'query-breakdown':
      return (
        <Query
          initial={{ refId: 'A', queryType: 'breakdown', packages: ['requests'], dimension: 'country_code', limit: 20 }}
          data={answered('SELECT 1 FROM pypi.pypi_downloads_per_day_by_version_by_country')}
        />
      );
    case 'query-hot':
      return <Query initial={{ refId: 'A', queryType: 'hot', minDownloads: 5000, limit: 25 }} />;
    case 'query-sql':
      return (
        <Query
          initial={{
            refId: 'A',
            queryType: 'sql',
            rawSql:
              'SELECT date AS time, project, sum(count) AS downloads\nFROM $__table(date, project)\nWHERE $__dateFilter(date) AND project IN ($package)\nGROUP BY time, project\nORDER BY time',
          }}
          data={answered('SELECT 1 FROM pypi.pypi_downloads_per_day WHERE 1')}
        />
      );
    case 'query-incomplete':
      return <Query initial={{ refId: 'A', queryType: 'summary' }} />;
    case 'query-raw':
      return (
        <Query
          initial={{
            refId: 'A',
            queryType: 'timeseries',
            packages: ['requests'],
            systems: ['Linux'],
            countries: ['DE'],
          }}
          data={answered('SELECT 1 FROM pypi.pypi WHERE 1', [
            'scanned the raw pypi table: no summary view in database pypi holds columns date, project, system, country_code; expect a slow query',
          ])}
        />
      );
    case 'variable-versions':
      return (
        <Variable
          initial={{ refId: 'V', queryType: 'variable', variable: 'versions', packages: ['$package'], limit: 20 }}
        />
      );
    case 'variable-dimension':
      return (
        <Variable initial={{ refId: 'V', queryType: 'variable', variable: 'dimension', dimension: 'installer' }} />
      );
    case 'annotation':
      return (
        <Annotation initial={{ refId: 'Anno', queryType: 'releases', packages: ['requests'], versions: ['2.32.3'] }} />
      );
    case 'logo':
      return (
        <div style={{ display: 'flex', gap: 24, alignItems: 'center' }}>
          <img src={logo} width={256} height={256} alt="logo" />
          <img src={logo} width={48} height={48} alt="logo small" />
          <img src={logo} width={24} height={24} alt="logo tiny" />
        </div>
      );
  }
  return <p>Unknown scene {name}</p>;
}

function App() {
  const name = new URLSearchParams(window.location.search).get('scene') ?? scenes.scenes[0].name;
  const title = scenes.scenes.find((s) => s.name === name)?.title ?? name;
  const theme = createTheme({
    colors: { mode: new URLSearchParams(window.location.search).get('theme') === 'light' ? 'light' : 'dark' },
  });
  return (
    <ThemeContext.Provider value={theme}>
      <GlobalStyles />
      <div
        className={css({
          padding: theme.spacing(2),
          background: theme.colors.background.primary,
          minHeight: '100vh',
        })}
      >
        <h4 className={css({ color: theme.colors.text.secondary, marginBottom: theme.spacing(2) })}>{title}</h4>
        {scene(name, theme)}
      </div>
    </ThemeContext.Provider>
  );
}

const root = document.getElementById('root');
if (root) {
  createRoot(root).render(<App />);
}
