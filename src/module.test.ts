import { AnnotationQueryEditor } from './components/AnnotationQueryEditor';
import { ConfigEditor } from './components/ConfigEditor';
import { QueryEditor } from './components/QueryEditor';
import { VariableQueryEditor } from './components/VariableQueryEditor';
import { DataSource } from './datasource';
import { plugin } from './module';
import pluginJson from './plugin.json';
import { instanceSettings } from './testing/fixtures';

describe('module', () => {
  it('registers the data source with its editors', () => {
    expect(plugin.DataSourceClass).toBe(DataSource);
    expect(plugin.components.ConfigEditor).toBe(ConfigEditor);
    expect(plugin.components.QueryEditor).toBe(QueryEditor);
    const ds = new DataSource(instanceSettings);
    expect((ds.variables as unknown as { editor: unknown }).editor).toBe(VariableQueryEditor);
    expect(ds.annotations?.QueryEditor).toBe(AnnotationQueryEditor);
  });

  it('reads the top-level plugin.json (src/plugin.json links to it)', () => {
    expect(pluginJson.id).toBe('clickpy-pypi-datasource');
    expect(pluginJson.executable).toBe('gpx_clickpy_pypi');
    expect(pluginJson.info.logos.small).toBe('img/logo.svg');
    expect(pluginJson.annotations).toBe(true);
  });
});
