import { CoreApp, DataQueryRequest, DataSourceInstanceSettings, ScopedVars } from '@grafana/data';
import { DataSourceWithBackend, getTemplateSrv } from '@grafana/runtime';

import { AnnotationQueryEditor } from './components/AnnotationQueryEditor';
import { interpolateQuery } from './interpolate';
import { queryProblem } from './query';
import { EditorDataSource, Resources } from './resources';
import { ClickPyOptions, ClickPyQuery, DEFAULT_QUERY } from './types';
import { ClickPyVariableSupport } from './variables';

export class DataSource extends DataSourceWithBackend<ClickPyQuery, ClickPyOptions> implements EditorDataSource {
  readonly resources = new Resources((path, params) => this.getResource(path, params));

  constructor(instanceSettings: DataSourceInstanceSettings<ClickPyOptions>) {
    super(instanceSettings);
    this.variables = new ClickPyVariableSupport((request) => this.runVariableQuery(request));
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

  /** Runs a variable query: a frame of __value (and __text). */
  runVariableQuery(request: DataQueryRequest<ClickPyQuery>) {
    return this.query(request);
  }
}
