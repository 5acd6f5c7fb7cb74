import { DataSourceJsonData } from '@grafana/data';
import { DataQuery } from '@grafana/schema';

// The query JSON a panel, alert rule or variable stores. The names are the
// backend's (pkg/querymodel); the backend refuses any other key, so the
// editors write only these.

export type QueryType =
  | 'timeseries'
  | 'breakdown'
  | 'summary'
  | 'ranking'
  | 'top_packages'
  | 'totals'
  | 'emerging'
  | 'needing_refresh'
  | 'hot'
  | 'recent_releases'
  | 'releases'
  | 'dependencies'
  | 'dependents'
  | 'details'
  | 'github_stats'
  | 'github_stars'
  | 'top_contributors'
  | 'sql'
  | 'variable'
  | 'baseline'
  | 'adoption'
  | 'python_support';

/** What a baseline query answers per day (pkg/querymodel). */
export type Statistic = 'expected' | 'noise';

export const STATISTICS: Array<{ value: Statistic; label: string; description: string }> = [
  {
    value: 'expected',
    label: 'Expected',
    description: 'Downloads expected: same weekday over four weeks, moved with PyPI',
  },
  { value: 'noise', label: 'Noise', description: 'The package’s own day-to-day spread, as a ratio' },
];

/** The Python a new python_support query starts from: the oldest still supported upstream. */
export const DEFAULT_MIN_PYTHON = '3.10';

/** A Python minor version, as python_support's minPython takes it. */
export const MIN_PYTHON_PATTERN = /^\d+\.\d+$/;

/** A column of the raw pypi table a query can filter, break down or list. */
export type Dimension = 'version' | 'python_minor' | 'system' | 'country_code' | 'installer' | 'type';

/** What a breakdown query groups by: a dimension, or installer and file type together. */
export type BreakdownDimension = Dimension | 'installer_type';

export type Granularity = 'auto' | 'day' | 'week' | 'month';

export type VariableKind = 'packages' | 'top_packages' | 'hot' | 'versions' | 'dependents' | 'countries' | 'dimension';

/** Variable kinds that list something of exactly one package. */
export const ONE_PACKAGE_KINDS: readonly VariableKind[] = ['versions', 'dependents'];

/** The string-list filters of the query model; empty means all. */
export interface Filters {
  packages?: string[];
  versions?: string[];
  countries?: string[];
  installers?: string[];
  python_minors?: string[];
  systems?: string[];
  types?: string[];
}

export type ListField = keyof Filters;

export const LIST_FIELDS: ListField[] = [
  'packages',
  'versions',
  'countries',
  'installers',
  'python_minors',
  'systems',
  'types',
];

export interface ClickPyQuery extends DataQuery, Filters {
  queryType?: QueryType;
  excludeMirrors?: boolean;
  /** timeseries only: one series per value of this dimension. */
  breakdown?: Dimension;
  /** breakdown queries and dimension variables. */
  dimension?: BreakdownDimension;
  limit?: number;
  granularity?: Granularity;
  rawSql?: string;
  variable?: VariableKind;
  prefix?: string;
  minDownloads?: number;
  /** Count over the whole span of the data instead of the time range. */
  allTime?: boolean;
  /** baseline: the statistic per day. */
  statistic?: Statistic;
  /** python_support: the oldest Python minor kept, e.g. 3.10. */
  minPython?: string;
}

/** Keys of the query model proper; Grafana's own keys are added to these. */
export const MODEL_KEYS = [
  'queryType',
  ...LIST_FIELDS,
  'excludeMirrors',
  'breakdown',
  'dimension',
  'limit',
  'granularity',
  'rawSql',
  'variable',
  'prefix',
  'minDownloads',
  'allTime',
  'statistic',
  'minPython',
] as const;

/** The query types allTime applies to: those counting downloads over the range. */
export const ALL_TIME_TYPES: readonly QueryType[] = [
  'timeseries',
  'breakdown',
  'summary',
  'ranking',
  'top_packages',
  'totals',
  'emerging',
  'needing_refresh',
  'dependencies',
  'dependents',
];

/** Keys Grafana writes into a query that the backend accepts. */
export const GRAFANA_KEYS = ['refId', 'datasource', 'hide', 'key'] as const;

// Limits the backend applies (pkg/querymodel).
export const DEFAULT_LIMIT = 10;
/** A dependents variable's limit when none is set (querymodel.DefaultDependentsLimit). */
export const DEFAULT_DEPENDENTS_LIMIT = 5;
export const MAX_LIMIT = 1000;
export const MAX_PACKAGES = 20;
export const DEFAULT_MIN_DOWNLOADS = 1000;

/** How many packages a query type takes. */
export type PackageArity = 'none' | 'optional' | 'one' | 'some';

export interface QueryTypeInfo {
  value: QueryType;
  label: string;
  description: string;
  packages: PackageArity;
  /** Takes the versions filter. */
  versions: boolean;
  /** Takes the country, Python, system, installer and file type filters and excludeMirrors. */
  filters: boolean;
  /** Takes a limit (top N). */
  limit: boolean;
}

export const QUERY_TYPES: QueryTypeInfo[] = [
  {
    value: 'timeseries',
    label: 'Time series',
    description: 'Downloads over time, one series per package (or per breakdown value)',
    packages: 'optional',
    versions: true,
    filters: true,
    limit: false,
  },
  {
    value: 'breakdown',
    label: 'Breakdown',
    description: 'Totals over the range by one dimension, with each value’s share',
    packages: 'optional',
    versions: true,
    filters: true,
    limit: true,
  },
  {
    value: 'summary',
    label: 'Summary',
    description: 'Per package: last day, last 7 and 30 days, total and last date with data',
    packages: 'some',
    versions: true,
    filters: true,
    limit: false,
  },
  {
    value: 'ranking',
    label: 'Ranking',
    description: 'A package’s rank, top N% and percentile among all packages',
    packages: 'one',
    versions: false,
    filters: true,
    limit: false,
  },
  {
    value: 'top_packages',
    label: 'Top packages',
    description: 'The most downloaded packages in the range',
    packages: 'optional',
    versions: false,
    filters: true,
    limit: true,
  },
  {
    value: 'totals',
    label: 'Totals',
    description: 'Total downloads and number of packages in the range',
    packages: 'optional',
    versions: true,
    filters: true,
    limit: false,
  },
  {
    value: 'emerging',
    label: 'Emerging',
    description: 'Packages first downloaded within the last 3 months of data',
    packages: 'none',
    versions: false,
    filters: true,
    limit: true,
  },
  {
    value: 'needing_refresh',
    label: 'Needing a release',
    description: 'Popular packages whose last upload is over 6 months old',
    packages: 'none',
    versions: false,
    filters: true,
    limit: true,
  },
  {
    value: 'hot',
    label: 'Hot',
    description: 'Largest month-over-month growth between the last two complete months',
    packages: 'optional',
    versions: true,
    filters: true,
    limit: true,
  },
  {
    value: 'recent_releases',
    label: 'Recent releases',
    description: 'Releases per month, as a time series',
    packages: 'optional',
    versions: false,
    filters: false,
    limit: false,
  },
  {
    value: 'releases',
    label: 'Releases',
    description: 'A package’s versions with upload time (annotations)',
    packages: 'one',
    versions: true,
    filters: false,
    limit: false,
  },
  {
    value: 'dependencies',
    label: 'Dependencies',
    description: 'What the package’s latest release requires, with downloads',
    packages: 'one',
    versions: false,
    filters: true,
    limit: true,
  },
  {
    value: 'dependents',
    label: 'Dependents',
    description: 'Packages that require this one, with downloads',
    packages: 'one',
    versions: false,
    filters: true,
    limit: true,
  },
  {
    value: 'details',
    label: 'Details',
    description: 'Latest and highest version, summary, author and e-mail, license, repository, first and last download',
    packages: 'one',
    versions: false,
    filters: false,
    limit: false,
  },
  {
    value: 'github_stats',
    label: 'GitHub activity',
    description:
      'Stars, forks, issues, pull requests and their authors of the package’s repository, in the range and in total',
    packages: 'one',
    versions: false,
    filters: false,
    limit: false,
  },
  {
    value: 'github_stars',
    label: 'GitHub stars',
    description: 'The repository’s stars over time',
    packages: 'one',
    versions: false,
    filters: false,
    limit: false,
  },
  {
    value: 'top_contributors',
    label: 'Top contributors',
    description: 'The repository’s most active contributors in the range, bots left out',
    packages: 'one',
    versions: false,
    filters: false,
    limit: true,
  },
  {
    value: 'baseline',
    label: 'Baseline',
    description: 'Per package and day, the downloads expected or the noise: what the drop alert compares with',
    packages: 'some',
    versions: true,
    filters: true,
    limit: false,
  },
  {
    value: 'python_support',
    label: 'Python support',
    description: 'Per package, the share of downloads on Python minors older than the one given',
    packages: 'some',
    versions: true,
    filters: true,
    limit: false,
  },
  {
    value: 'adoption',
    label: 'Release adoption',
    description: 'Per release: days from upload to half of the downloads, peak and latest daily share',
    packages: 'one',
    versions: false,
    filters: true,
    limit: true,
  },
  {
    value: 'sql',
    label: 'SQL',
    description: 'Your own SQL with time and table macros',
    packages: 'none',
    versions: false,
    filters: false,
    limit: false,
  },
];

export function queryTypeInfo(t: QueryType | undefined): QueryTypeInfo {
  return QUERY_TYPES.find((i) => i.value === (t ?? 'timeseries')) ?? QUERY_TYPES[0];
}

export interface DimensionInfo {
  value: Dimension;
  label: string;
  /** The query model's filter list for this dimension. */
  filter: ListField;
}

export const DIMENSIONS: DimensionInfo[] = [
  { value: 'version', label: 'Version', filter: 'versions' },
  { value: 'python_minor', label: 'Python minor', filter: 'python_minors' },
  { value: 'system', label: 'System', filter: 'systems' },
  { value: 'country_code', label: 'Country', filter: 'countries' },
  { value: 'installer', label: 'Installer', filter: 'installers' },
  { value: 'type', label: 'File type', filter: 'types' },
];

export const INSTALLER_TYPE = { value: 'installer_type' as const, label: 'Installer and file type' };

export const GRANULARITIES: Array<{ value: Granularity; label: string; description: string }> = [
  { value: 'auto', label: 'Auto', description: 'Day, week or month from the interval and max data points' },
  { value: 'day', label: 'Day', description: 'One point per day' },
  { value: 'week', label: 'Week', description: 'One point per week (Monday first)' },
  { value: 'month', label: 'Month', description: 'One point per month' },
];

export const VARIABLE_KINDS: Array<{ value: VariableKind; label: string; description: string }> = [
  {
    value: 'packages',
    label: 'Packages by prefix',
    description: 'Packages whose name starts with a prefix, most downloaded first',
  },
  {
    value: 'top_packages',
    label: 'Top packages',
    description: 'The N most downloaded packages in the dashboard’s range',
  },
  {
    value: 'hot',
    label: 'Hot packages',
    description: 'The top risers from the month before the last complete month to that month',
  },
  { value: 'versions', label: 'Versions of a package', description: 'A package’s versions, newest first' },
  {
    value: 'dependents',
    label: 'Dependents of a package',
    description: 'Packages whose latest release requires the package, most downloaded in the range first',
  },
  { value: 'countries', label: 'Countries', description: 'Country names (text) and codes (value)' },
  {
    value: 'dimension',
    label: 'Dimension values',
    description: 'Values of a dimension in the range, most downloaded first',
  },
];

/** Installers excludeMirrors drops (pkg/querymodel.MirrorInstallers). */
export const MIRROR_INSTALLERS = ['bandersnatch', 'z3c.pypimirror', 'Artifactory', 'devpi'];

/** Macros of the sql query type (pkg/sqlbuild). */
export const SQL_MACROS: Array<{ name: string; description: string }> = [
  { name: '$__timeFilter(col)', description: 'col within the time range, to the millisecond' },
  { name: '$__dateFilter(col)', description: 'col’s date within the range’s dates' },
  {
    name: '$__table(col, ...)',
    description: 'the smallest table holding those columns (the raw pypi table when none does)',
  },
  { name: '$__fromTime', description: "the range’s start as DateTime64(3, 'UTC')" },
  { name: '$__toTime', description: "the range’s end as DateTime64(3, 'UTC')" },
  { name: '$__fromDate', description: 'the range’s first date' },
  { name: '$__toDate', description: 'the range’s last date' },
];

export const DEFAULT_SQL = `SELECT date AS time, project, sum(count) AS downloads
FROM $__table(date, project)
WHERE $__dateFilter(date) AND project = 'requests'
GROUP BY time, project
ORDER BY time`;

export const DEFAULT_QUERY: Partial<ClickPyQuery> = {
  queryType: 'timeseries',
  granularity: 'auto',
};

/** A resource list entry: what /packages, /versions, /countries and /dimensions serve. */
export interface ResourceOption {
  value: string;
  text?: string;
}

export interface ClickHouseSetting {
  name: string;
  value: string;
}

/** jsonData (pkg/datasource/settings.go). */
export interface ClickPyOptions extends DataSourceJsonData {
  host?: string;
  port?: number;
  protocol?: 'native' | 'http';
  secure?: boolean;
  tlsSkipVerify?: boolean;
  tlsServerName?: string;
  username?: string;
  database?: string;
  /** The database holding ClickPy's GitHub tables; empty: database. */
  githubDatabase?: string;
  dialTimeout?: string;
  queryTimeout?: string;
  maxOpenConns?: number;
  cacheTTL?: string;
  cacheSize?: number;
  /** Bytes, or text with a unit: "64MiB". */
  maxResultBytes?: string | number;
  clickhouseSettings?: ClickHouseSetting[];
}

/** secureJsonData: stored encrypted, never sent back to the browser. */
export interface ClickPySecureOptions {
  password?: string;
  tlsCACert?: string;
  tlsClientCert?: string;
  tlsClientKey?: string;
}

/** The public ClickPy instance (README: "The public ClickPy instance"). */
export const PUBLIC_CLICKPY: Required<
  Pick<ClickPyOptions, 'host' | 'port' | 'protocol' | 'secure' | 'username' | 'database' | 'githubDatabase'>
> = {
  host: 'sql-clickhouse.clickhouse.com',
  port: 443,
  protocol: 'http',
  secure: true,
  username: 'demo',
  database: 'pypi',
  // ClickPy keeps the GitHub event stream in its own database.
  githubDatabase: 'github',
};
