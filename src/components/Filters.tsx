import { SelectableValue } from '@grafana/data';
import { InlineField, InlineFieldRow, InlineSwitch } from '@grafana/ui';
import React, { useCallback } from 'react';

import type { EditorDataSource } from '../resources';
import { ClickPyQuery, Dimension, ListField, MIRROR_INSTALLERS, ResourceOption } from '../types';
import { ListPicker, toSelectable } from './pickers';

export const LABEL_WIDTH = 16;
const PICKER_WIDTH = 30;

/** Versions of each package, merged; the description says which packages have a version. */
export async function loadVersions(ds: EditorDataSource, packages: string[]): Promise<Array<SelectableValue<string>>> {
  const lists = await Promise.all(packages.map((p) => ds.resources.versions(p).catch((): ResourceOption[] => [])));
  const owners = new Map<string, string[]>();
  const order: string[] = [];
  lists.forEach((list, i) => {
    for (const o of list) {
      if (!owners.has(o.value)) {
        owners.set(o.value, []);
        order.push(o.value);
      }
      owners.get(o.value)?.push(packages[i]);
    }
  });
  return order.map((v) => ({
    label: v,
    value: v,
    description: packages.length > 1 ? owners.get(v)?.join(', ') : undefined,
  }));
}

interface VersionsFieldProps {
  datasource: EditorDataSource;
  packages: string[];
  value: string[] | undefined;
  onChange: (versions: string[]) => void;
  variables: ResourceOption[];
}

export function VersionsField({ datasource, packages, value, onChange, variables }: VersionsFieldProps) {
  const load = useCallback(() => loadVersions(datasource, packages), [datasource, packages]);
  return (
    <InlineField
      label="Versions"
      labelWidth={LABEL_WIDTH}
      htmlFor="clickpy-versions"
      tooltip="Versions of the chosen packages, newest first; empty means all versions"
    >
      <ListPicker
        inputId="clickpy-versions"
        width={PICKER_WIDTH}
        value={value}
        onChange={onChange}
        load={load}
        loadKey={packages.join('\u0000')}
        variables={variables}
        placeholder={packages.length ? 'All versions' : 'All (choose a package to list)'}
      />
    </InlineField>
  );
}

interface DimFilter {
  field: ListField;
  dimension: Dimension;
  label: string;
  tooltip: string;
}

const DIM_FILTERS: DimFilter[] = [
  {
    field: 'python_minors',
    dimension: 'python_minor',
    label: 'Python',
    tooltip: 'Python minor versions, e.g. 3.12',
  },
  { field: 'systems', dimension: 'system', label: 'System', tooltip: 'Operating systems, e.g. Linux' },
  { field: 'installers', dimension: 'installer', label: 'Installer', tooltip: 'Installers, e.g. pip, uv, poetry' },
  { field: 'types', dimension: 'type', label: 'File type', tooltip: 'bdist_wheel, sdist, …' },
];

interface FiltersProps {
  datasource: EditorDataSource;
  query: ClickPyQuery;
  onChange: (q: ClickPyQuery) => void;
  variables: ResourceOption[];
  versions: boolean;
  filters: boolean;
}

/** The multi-select filters and excludeMirrors; empty lists mean all. */
export function Filters({ datasource, query, onChange, variables, versions, filters }: FiltersProps) {
  const packages = query.packages ?? [];
  // One package narrows the lists to that package's values.
  const onePackage = packages.length === 1 ? packages[0] : undefined;
  const loadCountries = useCallback(
    () => datasource.resources.countries().then((list) => list.map((o) => toSelectable(o, o.value))),
    [datasource]
  );
  const set = (field: ListField) => (values: string[]) => onChange({ ...query, [field]: values });

  return (
    <InlineFieldRow>
      {versions && (
        <VersionsField
          datasource={datasource}
          packages={packages}
          value={query.versions}
          onChange={set('versions')}
          variables={variables}
        />
      )}
      {filters && (
        <>
          <InlineField label="Countries" labelWidth={LABEL_WIDTH} htmlFor="clickpy-countries" tooltip="By name">
            <ListPicker
              inputId="clickpy-countries"
              width={PICKER_WIDTH}
              value={query.countries}
              onChange={set('countries')}
              load={loadCountries}
              loadKey="countries"
              variables={variables}
              eager
            />
          </InlineField>
          {DIM_FILTERS.map((f) => (
            <DimensionFilter
              key={f.field}
              filter={f}
              datasource={datasource}
              pkg={onePackage}
              value={query[f.field]}
              onChange={set(f.field)}
              variables={variables}
            />
          ))}
          <InlineField
            label="Exclude mirrors"
            labelWidth={LABEL_WIDTH}
            htmlFor="clickpy-exclude-mirrors"
            tooltip={`Drop downloads by mirroring tools: ${MIRROR_INSTALLERS.join(', ')}`}
          >
            <InlineSwitch
              id="clickpy-exclude-mirrors"
              value={query.excludeMirrors ?? false}
              onChange={(e) => onChange({ ...query, excludeMirrors: e.currentTarget.checked || undefined })}
            />
          </InlineField>
        </>
      )}
    </InlineFieldRow>
  );
}

interface DimensionFilterProps {
  filter: DimFilter;
  datasource: EditorDataSource;
  pkg?: string;
  value: string[] | undefined;
  onChange: (values: string[]) => void;
  variables: ResourceOption[];
}

function DimensionFilter({ filter, datasource, pkg, value, onChange, variables }: DimensionFilterProps) {
  const load = useCallback(
    () => datasource.resources.dimensionValues(filter.dimension, pkg).then((list) => list.map((o) => toSelectable(o))),
    [datasource, filter.dimension, pkg]
  );
  const id = `clickpy-${filter.field}`;
  return (
    <InlineField label={filter.label} labelWidth={LABEL_WIDTH} htmlFor={id} tooltip={filter.tooltip}>
      <ListPicker
        inputId={id}
        width={PICKER_WIDTH}
        value={value}
        onChange={onChange}
        load={load}
        loadKey={`${filter.dimension}/${pkg ?? ''}`}
        variables={variables}
      />
    </InlineField>
  );
}
