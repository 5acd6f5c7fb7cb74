import { css } from '@emotion/css';
import { GrafanaTheme2, QueryEditorProps, SelectableValue } from '@grafana/data';
/* eslint-disable @typescript-eslint/no-deprecated -- Select: see pickers.tsx */
import { InlineField, InlineFieldRow, Input, Select, Stack, Text, useStyles2 } from '@grafana/ui';
import React, { useMemo } from 'react';

import type { EditorDataSource } from '../resources';
import { cleanQuery, queryProblem, validLimit } from '../query';
import {
  ClickPyOptions,
  ClickPyQuery,
  DEFAULT_DEPENDENTS_LIMIT,
  DEFAULT_LIMIT,
  DIMENSIONS,
  Dimension,
  ONE_PACKAGE_KINDS,
  MAX_LIMIT,
  VARIABLE_KINDS,
  VariableKind,
} from '../types';
import { toVariableQuery } from '../variableQuery';
import { NumberInput, useDraft } from './NumberInput';
import { PackagePicker, usePackageSources } from './pickers';

export type VariableEditorProps = QueryEditorProps<EditorDataSource, ClickPyQuery, ClickPyOptions, ClickPyQuery>;

const LABEL_WIDTH = 20;

const kindOptions: Array<SelectableValue<VariableKind>> = VARIABLE_KINDS.map((k) => ({
  label: k.label,
  value: k.value,
  description: k.description,
}));

const dimensionOptions: Array<SelectableValue<Dimension>> = DIMENSIONS.map((d) => ({ label: d.label, value: d.value }));

/** Fields each kind of variable takes. */
function takes(kind: VariableKind) {
  const one = ONE_PACKAGE_KINDS.includes(kind);
  return {
    prefix: kind === 'packages',
    packages: one ? ('one' as const) : kind === 'dimension' ? ('some' as const) : undefined,
    dimension: kind === 'dimension',
    limit: kind !== 'countries',
  };
}

/** The limit the backend applies to a kind when the query sets none. */
function defaultLimit(kind: VariableKind): number {
  return kind === 'dependents' ? DEFAULT_DEPENDENTS_LIMIT : DEFAULT_LIMIT;
}

/** What the one package field is for, by kind. */
const onePackageTooltip: Partial<Record<VariableKind, string>> = {
  versions: 'The package whose versions to list; another variable such as $package works',
  dependents: 'The package whose dependents to list; another variable such as $package works',
};

/** Template variables: packages by prefix or top N, versions or dependents of a package, countries, dimension values. */
export function VariableQueryEditor({ query: stored, onChange, onRunQuery, datasource }: VariableEditorProps) {
  const styles = useStyles2(getStyles);
  const query = useMemo(() => toVariableQuery(stored), [stored]);
  const kind = query.variable;
  const fields = takes(kind);
  const { variables, search } = usePackageSources(datasource);
  const [prefix, setPrefix] = useDraft(query.prefix ?? '');

  const change = (next: ClickPyQuery) => {
    onChange(cleanQuery(next));
    onRunQuery();
  };
  const setKind = (variable: VariableKind) => {
    const f = takes(variable);
    const next: ClickPyQuery = { ...query, variable };
    if (!f.prefix) {
      delete next.prefix;
    }
    if (!f.packages) {
      delete next.packages;
    } else if (f.packages === 'one') {
      next.packages = next.packages?.slice(0, 1);
    }
    if (!f.dimension) {
      delete next.dimension;
    } else if (!next.dimension || next.dimension === 'installer_type') {
      next.dimension = 'installer';
    }
    if (!f.limit) {
      delete next.limit;
    } else if (next.limit === defaultLimit(query.variable)) {
      // The old kind's default was taken, not chosen: take the new one's.
      next.limit = defaultLimit(variable);
    }
    change(next);
  };
  const problem = queryProblem(query);
  // Shown on the field itself.
  const packageMissing = fields.packages === 'one' && (query.packages?.length ?? 0) !== 1;

  return (
    <Stack direction="column" gap={0.5}>
      <InlineFieldRow>
        <InlineField label="Lists" labelWidth={LABEL_WIDTH} htmlFor="clickpy-variable-kind">
          <Select<VariableKind>
            inputId="clickpy-variable-kind"
            width={32}
            options={kindOptions}
            value={kind}
            onChange={(v) => v.value && setKind(v.value)}
          />
        </InlineField>
        <div className={styles.description}>
          <Text color="secondary" variant="bodySmall">
            {VARIABLE_KINDS.find((k) => k.value === kind)?.description ?? ''}
          </Text>
        </div>
      </InlineFieldRow>
      {fields.prefix && (
        <InlineFieldRow>
          <InlineField
            label="Prefix"
            labelWidth={LABEL_WIDTH}
            htmlFor="clickpy-variable-prefix"
            tooltip="Package names starting with this; empty lists the most downloaded packages. Variables allowed."
          >
            <Input
              id="clickpy-variable-prefix"
              width={32}
              value={prefix}
              placeholder="e.g. django-"
              onChange={(e) => setPrefix(e.currentTarget.value)}
              onBlur={() => prefix !== (query.prefix ?? '') && change({ ...query, prefix })}
            />
          </InlineField>
        </InlineFieldRow>
      )}
      {fields.packages && (
        <InlineFieldRow>
          <InlineField
            label={fields.packages === 'one' ? 'Package' : 'Packages'}
            labelWidth={LABEL_WIDTH}
            htmlFor="clickpy-variable-packages"
            invalid={packageMissing}
            error="Choose one package"
            tooltip={
              fields.packages === 'one'
                ? onePackageTooltip[kind]
                : 'Only these packages’ values; empty means all packages'
            }
          >
            <PackagePicker
              inputId="clickpy-variable-packages"
              width={48}
              single={fields.packages === 'one'}
              value={query.packages}
              search={search}
              variables={variables}
              onChange={(packages) => change({ ...query, packages })}
            />
          </InlineField>
        </InlineFieldRow>
      )}
      {fields.dimension && (
        <InlineFieldRow>
          <InlineField label="Dimension" labelWidth={LABEL_WIDTH} htmlFor="clickpy-variable-dimension">
            <Select<Dimension>
              inputId="clickpy-variable-dimension"
              width={32}
              options={dimensionOptions}
              value={(query.dimension as Dimension | undefined) ?? null}
              onChange={(v) => change({ ...query, dimension: v.value })}
            />
          </InlineField>
        </InlineFieldRow>
      )}
      {fields.limit && (
        <InlineFieldRow>
          <InlineField
            label="Limit"
            labelWidth={LABEL_WIDTH}
            htmlFor="clickpy-variable-limit"
            tooltip={`How many values (1 to ${MAX_LIMIT})`}
          >
            <NumberInput
              id="clickpy-variable-limit"
              width={12}
              value={query.limit}
              placeholder={String(defaultLimit(kind))}
              valid={validLimit}
              onCommit={(limit) => change({ ...query, limit })}
            />
          </InlineField>
        </InlineFieldRow>
      )}
      {problem && !packageMissing && (
        <Text color="warning" variant="bodySmall">
          {problem}
        </Text>
      )}
    </Stack>
  );
}

const getStyles = (theme: GrafanaTheme2) => ({
  description: css({
    display: 'flex',
    alignItems: 'center',
    padding: theme.spacing(0, 1),
    minHeight: theme.spacing(4),
  }),
});
