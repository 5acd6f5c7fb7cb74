// The frames the new dashboard panels receive (written by the dashboards'
// live test with CLICKPY_PANEL_FRAMES=dir, from the plugin binary against
// clickpy-local's test set), drawn with @grafana/ui's own visualisations
// and the field options the dashboards set. @grafana/ui exports no state
// timeline, so the month grids are drawn as a table with colour-background
// cells: the same frame and colour scheme, months as rows.
import {
  DataFrame,
  DataFrameJSON,
  Field,
  FieldColorModeId,
  FieldConfig,
  GrafanaTheme2,
  MappingType,
  SpecialValueMatch,
  ThresholdsMode,
  applyFieldOverrides,
  dataFrameFromJSON,
  getDisplayProcessor,
  getFieldDisplayName,
  rangeUtil,
} from '@grafana/data';
import { BigValue, BigValueColorMode, BigValueGraphMode, BigValueTextMode, Table, TimeSeries } from '@grafana/ui';
import { LegendDisplayMode } from '@grafana/schema';
import React from 'react';

import dependencies from './frames/dependencies.json';
import details from './frames/details.json';
import githubAllTime from './frames/github-all-time.json';
import githubRange from './frames/github-in-the-time-range.json';
import githubStars from './frames/github-stars.json';
import hotGrid from './frames/hot-packages-by-month.json';
import ranking from './frames/ranking.json';
import releaseGrid from './frames/releases-by-month.json';
import topContributors from './frames/top-contributors.json';

const WIDTH = 1100;

function frameOf(json: unknown): DataFrame {
  return dataFrameFromJSON((json as DataFrameJSON[])[0]);
}

/** The fields a panel shows (its filterFieldsByName), each with its options. */
function pick(frame: DataFrame, fields: Array<[string, FieldConfig]>): DataFrame {
  const out: Field[] = [];
  for (const [name, config] of fields) {
    const f = frame.fields.find((x) => x.name === name);
    if (f) {
      out.push({ ...f, config: { ...f.config, ...config } });
    }
  }
  return { ...frame, fields: out, length: frame.length };
}

function processed(frame: DataFrame, theme: GrafanaTheme2): DataFrame {
  return applyFieldOverrides({
    data: [frame],
    fieldConfig: { defaults: {}, overrides: [] },
    replaceVariables: (v) => v,
    theme,
    timeZone: 'utc',
  })[0];
}

/** A stat panel: one BigValue per field, its last value. */
function Stats({ frame, theme, colorMode }: { frame: DataFrame; theme: GrafanaTheme2; colorMode?: BigValueColorMode }) {
  const width = Math.floor(WIDTH / frame.fields.length) - 8;
  return (
    <div style={{ display: 'flex', gap: 8 }}>
      {frame.fields.map((f) => {
        const display = getDisplayProcessor({ field: f, theme });
        const v = display(f.values[f.values.length - 1]);
        return (
          <BigValue
            key={f.name}
            theme={theme}
            width={width}
            height={110}
            value={{ ...v, title: getFieldDisplayName(f, frame) }}
            colorMode={colorMode ?? BigValueColorMode.None}
            graphMode={BigValueGraphMode.None}
            textMode={BigValueTextMode.ValueAndName}
          />
        );
      })}
    </div>
  );
}

const text: FieldConfig = { color: { mode: FieldColorModeId.Fixed, fixedColor: 'text' } };

const medals: FieldConfig = {
  mappings: [
    {
      type: MappingType.ValueToText,
      options: {
        gold: { text: 'Gold', color: '#D4AF37', index: 0 },
        silver: { text: 'Silver', color: '#C0C0C0', index: 1 },
        bronze: { text: 'Bronze', color: '#CD7F32', index: 2 },
      },
    },
    {
      type: MappingType.SpecialValue,
      options: { match: SpecialValueMatch.Empty, result: { text: 'none', color: 'text', index: 3 } },
    },
  ],
  color: { mode: FieldColorModeId.Thresholds },
  thresholds: { mode: ThresholdsMode.Absolute, steps: [{ value: -Infinity, color: 'text' }] },
};

function grid(json: unknown, theme: GrafanaTheme2): DataFrame {
  const f = frameOf(json);
  const fields = f.fields.map((x, i) =>
    i === 0
      ? { ...x, config: { ...x.config, displayName: 'Month', unit: 'time:YYYY-MM' } }
      : {
          ...x,
          config: {
            ...x.config,
            unit: 'locale',
            decimals: 0,
            fieldMinMax: true,
            color: { mode: FieldColorModeId.ContinuousBlPu },
            custom: { cellOptions: { type: 'color-background' }, align: 'center' },
          },
        }
  );
  return processed({ ...f, fields }, theme);
}

/** The panel scenes; undefined for a name that is not one. */
export function panelScene(name: string, theme: GrafanaTheme2): React.ReactNode | undefined {
  switch (name) {
    case 'panel-ranking':
      return (
        <Stats
          theme={theme}
          colorMode={BigValueColorMode.Value}
          frame={pick(frameOf(ranking), [
            ['rank', { ...text, displayName: 'Rank', decimals: 0 }],
            ['top_percent', { ...text, displayName: 'Top', unit: 'percent', decimals: 2 }],
            ['medal', { ...medals, displayName: 'Medal' }],
          ])}
        />
      );
    case 'panel-github-stats':
      return (
        <div style={{ display: 'grid', gap: 12 }}>
          <Stats
            theme={theme}
            frame={pick(frameOf(githubAllTime), [
              ['stars_total', { displayName: 'Stars' }],
              ['forks_total', { displayName: 'Forks' }],
              ['issues_total', { displayName: 'Issues' }],
              ['prs_total', { displayName: 'Pull requests' }],
              ['pr_authors_total', { displayName: 'PR authors' }],
            ])}
          />
          <Stats
            theme={theme}
            frame={pick(frameOf(githubRange), [
              ['stars', { displayName: 'New stars' }],
              ['forks', { displayName: 'Forks' }],
              ['issues', { displayName: 'Issues' }],
              ['prs', { displayName: 'Pull requests' }],
              ['pr_authors', { displayName: 'PR authors' }],
            ])}
          />
        </div>
      );
    case 'panel-github-stars': {
      const f = processed(frameOf(githubStars), theme);
      const times = f.fields[0].values;
      return (
        <TimeSeries
          frames={[f]}
          width={WIDTH}
          height={320}
          timeZone="utc"
          timeRange={rangeUtil.convertRawToRange({
            from: new Date(times[0]).toISOString(),
            to: new Date(times[times.length - 1]).toISOString(),
          })}
          legend={{ showLegend: true, displayMode: LegendDisplayMode.List, placement: 'bottom', calcs: [] }}
        />
      );
    }
    case 'panel-top-contributors':
      return (
        <Table
          width={600}
          height={340}
          data={processed(
            pick(frameOf(topContributors), [
              ['contributor', { displayName: 'Contributor' }],
              ['events', { displayName: 'Events' }],
              ['share', { displayName: 'Share', unit: 'percentunit' }],
            ]),
            theme
          )}
        />
      );
    case 'panel-details':
      return (
        <Table
          width={WIDTH}
          height={110}
          data={processed(
            pick(frameOf(details), [
              ['version', { displayName: 'Latest upload' }],
              ['highest_version', { displayName: 'Highest version' }],
              ['summary', { displayName: 'Summary' }],
              ['author', { displayName: 'Author' }],
              ['author_email', { displayName: 'E-mail' }],
              ['license', { displayName: 'License' }],
              ['repository_url', { displayName: 'Repository' }],
              ['first_download', { displayName: 'First download' }],
              ['last_download', { displayName: 'Last download' }],
            ]),
            theme
          )}
        />
      );
    case 'panel-dependencies':
      return (
        <Table
          width={600}
          height={260}
          data={processed(
            pick(frameOf(dependencies), [
              ['package', { displayName: 'Package' }],
              ['downloads', { displayName: 'Downloads' }],
              ['stars', { displayName: 'Stars' }],
            ]),
            theme
          )}
        />
      );
    case 'panel-hot-grid':
      return <Table width={WIDTH} height={300} data={grid(hotGrid, theme)} />;
    case 'panel-release-grid':
      return <Table width={WIDTH} height={300} data={grid(releaseGrid, theme)} />;
  }
  return undefined;
}
