import { css } from '@emotion/css';
import { GrafanaTheme2, QueryEditorProps, SelectableValue } from '@grafana/data';
/* eslint-disable @typescript-eslint/no-deprecated -- Select: see pickers.tsx */
import {
  Icon,
  InlineField,
  InlineFieldRow,
  InlineSwitch,
  RadioButtonGroup,
  Select,
  Stack,
  Text,
  useStyles2,
} from '@grafana/ui';
import React from 'react';

import type { EditorDataSource } from '../resources';
import { cleanQuery, queryProblem, validLimit, withQueryType } from '../query';
import { SourceInfo, sourceOf } from '../source';
import {
  ALL_TIME_TYPES,
  BreakdownDimension,
  ClickPyOptions,
  ClickPyQuery,
  DEFAULT_LIMIT,
  DEFAULT_MIN_DOWNLOADS,
  DIMENSIONS,
  Dimension,
  GRANULARITIES,
  Granularity,
  INSTALLER_TYPE,
  MAX_LIMIT,
  MAX_PACKAGES,
  QUERY_TYPES,
  QueryType,
  queryTypeInfo,
} from '../types';
import { Filters, LABEL_WIDTH } from './Filters';
import { NumberInput } from './NumberInput';
import { PackagePicker, usePackageSources } from './pickers';
import { SqlEditor } from './SqlEditor';

export type Props = QueryEditorProps<EditorDataSource, ClickPyQuery, ClickPyOptions>;

const typeOptions: Array<SelectableValue<QueryType>> = QUERY_TYPES.map((t) => ({
  label: t.label,
  value: t.value,
  description: t.description,
}));

const breakdownOptions: Array<SelectableValue<Dimension>> = DIMENSIONS.map((d) => ({ label: d.label, value: d.value }));

const dimensionOptions: Array<SelectableValue<BreakdownDimension>> = [
  ...DIMENSIONS.map((d) => ({ label: d.label, value: d.value })),
  INSTALLER_TYPE,
];

export function QueryEditor({ query, onChange, onRunQuery, datasource, data }: Props) {
  const styles = useStyles2(getStyles);
  const type: QueryType = query.queryType ?? 'timeseries';
  const info = queryTypeInfo(type);
  const { variables, search } = usePackageSources(datasource);

  // Every change is stored clean (only the backend's keys) and run.
  const change = (next: ClickPyQuery) => {
    onChange(cleanQuery(next));
    onRunQuery();
  };

  const problem = queryProblem(query);
  const source = sourceOf(data?.series, query.refId);

  return (
    <Stack direction="column" gap={0.5}>
      <InlineFieldRow>
        <InlineField label="Query type" labelWidth={LABEL_WIDTH} htmlFor="clickpy-query-type">
          <Select<QueryType>
            inputId="clickpy-query-type"
            width={30}
            options={typeOptions}
            value={type}
            onChange={(v) => v.value && change(withQueryType(query, v.value))}
          />
        </InlineField>
        <div className={styles.description} data-testid="clickpy-type-description">
          <Text color="secondary" variant="bodySmall">
            {info.description}
          </Text>
        </div>
      </InlineFieldRow>

      {info.packages !== 'none' && (
        <InlineFieldRow>
          <InlineField
            label={info.packages === 'one' ? 'Package' : 'Packages'}
            labelWidth={LABEL_WIDTH}
            htmlFor="clickpy-packages"
            tooltip={
              info.packages === 'one'
                ? 'One package; type to search by name'
                : `Up to ${MAX_PACKAGES} packages to compare; type to search by name. Empty means all packages.`
            }
          >
            <PackagePicker
              inputId="clickpy-packages"
              width={info.packages === 'one' ? 30 : 76}
              value={query.packages}
              single={info.packages === 'one'}
              search={search}
              variables={variables}
              onChange={(packages) => change({ ...query, packages })}
            />
          </InlineField>
        </InlineFieldRow>
      )}

      {(info.versions || info.filters) && (
        <Filters
          datasource={datasource}
          query={query}
          onChange={change}
          variables={variables}
          versions={info.versions}
          filters={info.filters}
        />
      )}

      <TypeOptions query={query} onChange={change} />

      {type === 'sql' && (
        <SqlEditor
          value={query.rawSql ?? ''}
          variables={variables}
          onChange={(rawSql) => change({ ...query, rawSql })}
        />
      )}

      {problem && (
        <div className={styles.hint} data-testid="clickpy-query-problem">
          <Icon name="exclamation-triangle" className={styles.warnIcon} />
          <Text color="warning" variant="bodySmall">
            {problem}; the query does not run until then.
          </Text>
        </div>
      )}
      {!problem && source && (
        <div className={styles.hint} data-testid="clickpy-source-hint">
          <Icon name={source.raw ? 'exclamation-triangle' : 'database'} className={styles.hintIcon} />
          <Text color={source.raw ? 'warning' : 'secondary'} variant="bodySmall">
            {sourceText(source)}
          </Text>
        </div>
      )}
    </Stack>
  );
}

/** "Answered from <tables>", then the backend's notices, as sentences. */
export function sourceText(source: SourceInfo): string {
  const parts: string[] = [];
  if (source.tables.length > 0) {
    parts.push(`Answered from ${source.tables.join(', ')}`);
  }
  if (source.raw && source.notices.length === 0) {
    parts.push('That is the raw downloads table: no summary view holds every column this query needs');
  }
  for (const n of source.notices) {
    parts.push(n.charAt(0).toUpperCase() + n.slice(1));
  }
  return parts.map((p) => p.replace(/\.$/, '')).join('. ');
}

interface TypeOptionsProps {
  query: ClickPyQuery;
  onChange: (q: ClickPyQuery) => void;
}

/** Breakdown, dimension, limit, granularity, the hot list's floor and all time, as the type takes them. */
function TypeOptions({ query, onChange }: TypeOptionsProps) {
  const type: QueryType = query.queryType ?? 'timeseries';
  const info = queryTypeInfo(type);
  const showLimit = info.limit || (type === 'timeseries' && !!query.breakdown);
  const showAllTime = ALL_TIME_TYPES.includes(type);
  if (type !== 'timeseries' && type !== 'breakdown' && type !== 'hot' && !showLimit && !showAllTime) {
    return null;
  }
  return (
    <InlineFieldRow>
      {type === 'timeseries' && (
        <InlineField
          label="Breakdown"
          labelWidth={LABEL_WIDTH}
          htmlFor="clickpy-breakdown"
          tooltip="One series per value of this dimension (per package): the top values by downloads, the rest summed as other"
        >
          <Select<Dimension>
            inputId="clickpy-breakdown"
            width={20}
            options={breakdownOptions}
            value={query.breakdown ?? null}
            isClearable
            placeholder="None"
            onChange={(v: SelectableValue<Dimension> | null) => onChange({ ...query, breakdown: v?.value })}
          />
        </InlineField>
      )}
      {type === 'breakdown' && (
        <InlineField label="Dimension" labelWidth={LABEL_WIDTH} htmlFor="clickpy-dimension" tooltip="Totals by">
          <Select<BreakdownDimension>
            inputId="clickpy-dimension"
            width={26}
            options={dimensionOptions}
            value={query.dimension ?? null}
            onChange={(v) => onChange({ ...query, dimension: v.value })}
          />
        </InlineField>
      )}
      {showLimit && (
        <InlineField
          label="Limit"
          labelWidth={10}
          htmlFor="clickpy-limit"
          tooltip={`Top N (1 to ${MAX_LIMIT}); the rest is summed as other, never dropped`}
        >
          <NumberInput
            id="clickpy-limit"
            width={10}
            value={query.limit}
            placeholder={String(DEFAULT_LIMIT)}
            valid={validLimit}
            onCommit={(limit) => onChange({ ...query, limit })}
          />
        </InlineField>
      )}
      {type === 'hot' && (
        <InlineField
          label="Min downloads"
          labelWidth={16}
          htmlFor="clickpy-min-downloads"
          tooltip="Floor on the last complete month’s downloads"
        >
          <NumberInput
            id="clickpy-min-downloads"
            width={12}
            value={query.minDownloads}
            placeholder={String(DEFAULT_MIN_DOWNLOADS)}
            valid={(n) => Number.isInteger(n) && n >= 0}
            onCommit={(minDownloads) => onChange({ ...query, minDownloads })}
          />
        </InlineField>
      )}
      {showAllTime && (
        <InlineField
          label="All time"
          labelWidth={10}
          htmlFor="clickpy-all-time"
          tooltip="Count every download in the data, whatever the time range (ClickPy's all-time figures; cheapest to read)"
        >
          <InlineSwitch
            id="clickpy-all-time"
            value={query.allTime ?? false}
            onChange={(e) => onChange({ ...query, allTime: e.currentTarget.checked || undefined })}
          />
        </InlineField>
      )}
      {type === 'timeseries' && (
        <InlineField label="Granularity" labelWidth={13} tooltip="Width of a time bucket">
          <RadioButtonGroup<Granularity>
            options={GRANULARITIES}
            value={query.granularity ?? 'auto'}
            onChange={(granularity) => onChange({ ...query, granularity })}
          />
        </InlineField>
      )}
    </InlineFieldRow>
  );
}

const getStyles = (theme: GrafanaTheme2) => ({
  description: css({
    display: 'flex',
    alignItems: 'center',
    padding: theme.spacing(0, 1),
    minHeight: theme.spacing(4),
  }),
  hint: css({
    display: 'flex',
    alignItems: 'center',
    gap: theme.spacing(1),
    padding: theme.spacing(0.5, 0),
  }),
  hintIcon: css({
    color: theme.colors.text.secondary,
  }),
  warnIcon: css({
    color: theme.colors.warning.text,
  }),
});
