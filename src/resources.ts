import { DataSourceApi } from '@grafana/data';
import { getTemplateSrv } from '@grafana/runtime';

import { ClickPyOptions, ClickPyQuery, Dimension, ResourceOption } from './types';

/** Fetches one of the backend's resources: DataSourceWithBackend.getResource. */
export type GetResource = <T>(path: string, params?: Record<string, string | number>) => Promise<T>;

/**
 * The editors' lookups, on the backend's resources (pkg/datasource/resources.go).
 * The data source holds one; the editors reach it through EditorDataSource, so
 * they import this module and never the data source itself.
 */
export class Resources {
  private cache = new Map<string, Promise<ResourceOption[]>>();

  constructor(private readonly get: GetResource) {}

  /** Template variables the editors offer next to the data's values. */
  variableOptions(): ResourceOption[] {
    return getTemplateSrv()
      .getVariables()
      .map((v) => ({ value: `$${v.name}`, text: `$${v.name}` }));
  }

  /** Packages whose name starts with prefix, most downloaded first. */
  searchPackages(prefix: string, limit = 20): Promise<ResourceOption[]> {
    return this.get<ResourceOption[]>('packages', { prefix: prefix.trim().toLowerCase(), limit });
  }

  /** A package's versions, newest first. Variables in the name are replaced. */
  versions(pkg: string): Promise<ResourceOption[]> {
    const name = singlePackage(pkg);
    if (!name) {
      return Promise.resolve([]);
    }
    return this.cached(`versions/${name}`, () => this.get<ResourceOption[]>('versions', { package: name }));
  }

  /** Countries: text is the name, value the two-letter code. */
  countries(): Promise<ResourceOption[]> {
    return this.cached('countries', () => this.get<ResourceOption[]>('countries'));
  }

  /** A dimension's values over the last 90 days, for one package when given. */
  dimensionValues(dim: Dimension, pkg?: string): Promise<ResourceOption[]> {
    const name = pkg ? singlePackage(pkg) : undefined;
    const params: Record<string, string> = name ? { package: name } : {};
    return this.cached(`dimensions/${dim}?${name ?? ''}`, () =>
      this.get<ResourceOption[]>(`dimensions/${dim}`, params)
    );
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

/** What the editors need of the data source. */
export interface EditorDataSource extends DataSourceApi<ClickPyQuery, ClickPyOptions> {
  readonly resources: Resources;
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
