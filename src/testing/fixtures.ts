import { DataSourceInstanceSettings, DataSourcePluginMeta, PluginType } from '@grafana/data';

import { DataSource } from '../datasource';
import { ClickPyOptions, Dimension, ResourceOption } from '../types';

// Sample answers of the backend's resources, for tests and the screenshot page.

export const PACKAGES = [
  'boto3',
  'botocore',
  'requests',
  'requests-oauthlib',
  'requests-toolbelt',
  'httpx',
  'urllib3',
  'numpy',
  'pandas',
  'django',
  'django-rest-framework',
];

export const VERSIONS: Record<string, string[]> = {
  requests: ['2.32.3', '2.32.2', '2.31.0', '2.28.2'],
  httpx: ['0.28.1', '0.27.2', '2.32.3'],
};

export const COUNTRIES: ResourceOption[] = [
  { value: 'DE', text: 'Germany' },
  { value: 'FR', text: 'France' },
  { value: 'IN', text: 'India' },
  { value: 'US', text: 'United States' },
];

export const DIMENSION_VALUES: Record<Dimension, string[]> = {
  version: ['2.32.3', '2.31.0'],
  python_minor: ['3.12', '3.11', '3.10', '3.9'],
  system: ['Linux', 'Windows', 'Darwin'],
  country_code: ['US', 'DE'],
  installer: ['pip', 'uv', 'poetry', 'bandersnatch'],
  type: ['bdist_wheel', 'sdist'],
};

export const instanceSettings: DataSourceInstanceSettings<ClickPyOptions> = {
  // eslint-disable-next-line @typescript-eslint/no-deprecated -- required by the type
  id: 1,
  uid: 'clickpy',
  type: 'clickpy-pypi-datasource',
  name: 'ClickPy',
  access: 'proxy',
  readOnly: false,
  jsonData: { host: 'sql-clickhouse.clickhouse.com' },
  meta: {
    id: 'clickpy-pypi-datasource',
    name: 'ClickPy PyPI downloads',
    type: PluginType.datasource,
    module: '',
    baseUrl: '',
    info: {
      author: { name: 'ClickPy for Grafana' },
      description: '',
      links: [],
      logos: { small: '', large: '' },
      screenshots: [],
      updated: '',
      version: '',
    },
  } as DataSourcePluginMeta<ClickPyOptions>,
};

/** A data source whose resource calls answer from the samples above, without a backend. */
export function fakeDataSource(): DataSource {
  const ds = new DataSource(instanceSettings);
  ds.resources.searchPackages = async (prefix: string) =>
    PACKAGES.filter((p) => p.startsWith(prefix.toLowerCase())).map((value) => ({ value }));
  ds.resources.versions = async (pkg: string) => (VERSIONS[pkg] ?? []).map((value) => ({ value }));
  ds.resources.countries = async () => COUNTRIES;
  ds.resources.dimensionValues = async (dim: Dimension) => DIMENSION_VALUES[dim].map((value) => ({ value }));
  return ds;
}
