import { CustomVariableSupport, DataQueryRequest, DataQueryResponse } from '@grafana/data';
import { Observable } from 'rxjs';

import { VariableQueryEditor } from './components/VariableQueryEditor';
import type { EditorDataSource } from './resources';
import { ClickPyQuery } from './types';
import { DEFAULT_VARIABLE_QUERY, toVariableQuery } from './variableQuery';

/** Variable queries: the editor below, run through the backend as type variable. */
export class ClickPyVariableSupport extends CustomVariableSupport<EditorDataSource, ClickPyQuery> {
  editor = VariableQueryEditor;

  constructor(private readonly run: (request: DataQueryRequest<ClickPyQuery>) => Observable<DataQueryResponse>) {
    super();
  }

  getDefaultQuery(): Partial<ClickPyQuery> {
    return DEFAULT_VARIABLE_QUERY;
  }

  query(request: DataQueryRequest<ClickPyQuery>): Observable<DataQueryResponse> {
    const targets = request.targets.map((t) => toVariableQuery(t));
    return this.run({ ...request, targets });
  }
}
