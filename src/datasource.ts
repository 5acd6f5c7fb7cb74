import { CoreApp, DataQueryRequest, DataSourceInstanceSettings, ScopedVars } from '@grafana/data';
import { DataSourceWithBackend, getTemplateSrv } from '@grafana/runtime';

import { AnnotationQueryEditor } from './components/AnnotationQueryEditor';
import { interpolateQuery } from './interpolate';
import { queryProblem } from './query';
import { ClickPyOptions, ClickPyQuery, DEFAULT_QUERY, Dimension, ResourceOption } from './types';
import { ClickPyVariableSupport } from './variables';

export class DataSource extends DataSourceWithBackend<ClickPyQuery, ClickPyOptions> {
  private cache = new Map<string, Promise<ResourceOption[]>>();

  constructor(instanceSettings: DataSourceInstanceSettings<ClickPyOptions>) {
    super(instanceSettings);
    this.variables = new ClickPyVariableSupport(this);
    this.annotations = {
      QueryEditor: AnnotationQueryEditor,
      getDefaultQuery: () => ({ queryType: 'releases' }),
      // Releases are the only annotations; a target without its one
      // package is skipped quietly.
      prepareQuery: (anno) => {
        const target = anno.target;
        if (!target) {
          return undefined;
        }
        const q: ClickPyQuery = { ...target, refId: target.refId || 'Anno', queryType: 'releases' };
        return queryProblem(q) ? undefined : q;
      },
    };
  }

  getDefaultQuery(_: CoreApp): Partial<ClickPyQuery> {
    return DEFAULT_QUERY;
  }

  applyTemplateVariables(query: ClickPyQuery, scopedVars: ScopedVars): ClickPyQuery {
    return interpolateQuery(query, scopedVars, getTemplateSrv());
  }

  /** Skips hidden queries and those the backend would refuse as incomplete. */
  filterQuery(query: ClickPyQuery): boolean {
    return !query.hide && queryProblem(query) === undefined;
  }

  /** Template variables the editors offer next to the data's values. */
  variableOptions(): ResourceOption[] {
    return getTemplateSrv()
      .getVariables()
      .map((v) => ({ value: `$${v.name}`, text: `$${v.name}` }));
  }

  /** Packages whose name starts with prefix, most downloaded first. */
  searchPackages(prefix: string, limit = 20): Promise<ResourceOption[]> {
    return this.getResource<ResourceOption[]>('packages', { prefix: prefix.trim().toLowerCase(), limit });
  }

  /** A package's versions, newest first. Variables in the name are replaced. */
  versions(pkg: string): Promise<ResourceOption[]> {
    const name = singlePackage(pkg);
    if (!name) {
      return Promise.resolve([]);
    }
    return this.cached(`versions/${name}`, () => this.getResource<ResourceOption[]>('versions', { package: name }));
  }

  /** Countries: text is the name, value the two-letter code. */
  countries(): Promise<ResourceOption[]> {
    return this.cached('countries', () => this.getResource<ResourceOption[]>('countries'));
  }

  /** A dimension's values over the last 90 days, for one package when given. */
  dimensionValues(dim: Dimension, pkg?: string): Promise<ResourceOption[]> {
    const name = pkg ? singlePackage(pkg) : undefined;
    const params = name ? { package: name } : {};
    return this.cached(`dimensions/${dim}?${name ?? ''}`, () =>
      this.getResource<ResourceOption[]>(`dimensions/${dim}`, params)
    );
  }

  /** Runs a variable query: a frame of __value (and __text). */
  runVariableQuery(request: DataQueryRequest<ClickPyQuery>) {
    return this.query(request);
  }

  private cached(key: string, load: () => Promise<ResourceOption[]>): Promise<ResourceOption[]> {
    let p = this.cache.get(key);
    if (!p) {
      p = load().then(
        (opts) => opts ?? [],
        (err: unknown) => {
          // Do not keep a failure: the next open tries again.
          this.cache.delete(key);
          throw err;
        }
      );
      this.cache.set(key, p);
    }
    return p;
  }
}

/**
 * The one package name pkg stands for once its variables are replaced, or
 * undefined when that is not one name: an unknown variable, or several
 * values ({a,b} or a,b).
 */
function singlePackage(pkg: string): string | undefined {
  const name = getTemplateSrv().replace(pkg);
  return name && !/[${},]/.test(name) ? name : undefined;
}
