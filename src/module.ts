import { DataSourcePlugin } from '@grafana/data';

import { ConfigEditor } from './components/ConfigEditor';
import { QueryEditor } from './components/QueryEditor';
import { DataSource } from './datasource';
import { ClickPyOptions, ClickPyQuery, ClickPySecureOptions } from './types';

export const plugin = new DataSourcePlugin<DataSource, ClickPyQuery, ClickPyOptions, ClickPySecureOptions>(DataSource)
  .setConfigEditor(ConfigEditor)
  .setQueryEditor(QueryEditor);
